import { describe, expect, it } from 'vitest';
import { inDependencyOrder } from '../../../core/mappings/dependency-order.js';
import { defaultMappings } from '../../../core/mappings/defaults.js';

const names = (ms: Array<{ name: string }>) => ms.map((m) => m.name);

describe('mappings in dependency order', () => {
  it("puts the default mappings in BC's order: what a mapping depends on runs before it", () => {
    expect(names(inDependencyOrder(defaultMappings('6e0b8a4c-0000-4000-8000-0000000000c1')))).toEqual([
      'SALESPEOPLE',
      'CURRENCY',
      'CUSTOMER',
      'VENDOR',
      'CONTACT',
      'ITEM-PRODUCT',
      'RESOURCE-PRODUCT',
    ]);
  });

  it.each([
    ['keeps the given order where nothing depends', [{ name: 'B' }, { name: 'A' }], ['B', 'A']],
    ['ignores a dependency on a mapping not in the list', [{ name: 'A', dependsOn: ['GONE'] }], ['A']],
    [
      'falls back to the given order for a cycle, listing each mapping once',
      [
        { name: 'A', dependsOn: ['B'] },
        { name: 'B', dependsOn: ['A'] },
      ],
      ['B', 'A'],
    ],
  ])('%s', (_, input, expected) => {
    expect(names(inDependencyOrder(input))).toEqual(expected);
  });
});
