import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../core/errors.js';
import { defaultMappings } from '../../../core/mappings/defaults.js';
import { settleCriteria } from '../../../core/match/settle-criteria.js';
import type { Actor } from '../../../core/model/actor.js';

const customer = defaultMappings('company')[0]!;
const manager = { id: 'm', name: 'Mia' } as Actor;
const user = { id: 'u', name: 'Uma' } as Actor;

function deps() {
  const saved: unknown[] = [];
  return {
    saved,
    mappings: {
      saveMatchCriteria: async (_actor: Actor, _name: string, criteria: unknown) => {
        saved.push(criteria);
        return customer;
      },
    },
    roles: { isManager: (actor: Actor) => actor.id === 'm' },
  };
}

describe('settleCriteria (criteria submitted with a match run)', () => {
  const field = customer.fields.find((f) => f.constant === null && !f.useForMatch)!.bcField;
  const changed = { fields: [{ bcField: field, match: true, priority: 7 }] };

  it("saves a manager's new criteria on the mapping", async () => {
    const d = deps();
    expect((await settleCriteria(d, manager, customer, changed)).outcome).toBe('saved');
    expect(d.saved).toEqual([changed]);
  });

  it("uses a non-manager's new criteria for this run only, saving nothing", async () => {
    const d = deps();
    expect((await settleCriteria(d, user, customer, changed)).outcome).toBe('runOnly');
    expect(d.saved).toEqual([]);
  });

  it('leaves the mapping alone when nothing or the same criteria were submitted', async () => {
    const d = deps();
    expect((await settleCriteria(d, manager, customer, null)).outcome).toBe('unchanged');
    expect((await settleCriteria(d, manager, customer, { fields: [] })).outcome).toBe('unchanged');
    expect(d.saved).toEqual([]);
  });

  it('refuses a field the mapping does not have, saving nothing', async () => {
    const d = deps();
    await expect(
      settleCriteria(d, manager, customer, { fields: [{ bcField: 'Nope', match: true }] }),
    ).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
    expect(d.saved).toEqual([]);
  });
});
