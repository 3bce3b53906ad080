import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../core/errors.js';
import type { Actor } from '../../core/model/actor.js';
import { createRoles } from '../../core/roles.js';

const MANAGER = '6f1c2a7e-0000-4000-8000-00000000000a';
const actor = (id: string): Actor => ({ id, name: `user ${id}` });

function forbiddenMessage(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(ErrorCode.Forbidden);
    return (e as DomainError).message;
  }
  throw new Error('expected Forbidden');
}

describe('roles', () => {
  it.each([
    ['the configured id', MANAGER, true],
    ['the same id in upper case with spaces', `  ${MANAGER.toUpperCase()} `, true],
    ['another id', '11111111-0000-4000-8000-000000000000', false],
    ['an empty id', '', false],
  ])('%s is a manager: %s', (_what, id, expected) => {
    const roles = createRoles([MANAGER, '']);
    expect(roles.isManager(actor(id))).toBe(expected);
  });

  it('lets a manager through without throwing', () => {
    expect(() =>
      createRoles([MANAGER]).requireManager(actor(MANAGER), 'change table mappings'),
    ).not.toThrow();
  });

  it('refuses a non-manager with a message naming the action and who can help', () => {
    const message = forbiddenMessage(() =>
      createRoles([MANAGER]).requireManager(actor('someone-else'), 'change table mappings'),
    );
    expect(message).toMatch(
      /^Only managers can change table mappings\. Ask one of your Coupling Assistant managers/,
    );
  });

  it('tells that nobody is a manager yet when none is configured', () => {
    const message = forbiddenMessage(() =>
      createRoles([]).requireManager(actor(MANAGER), 'uncouple all customers'),
    );
    expect(message).toContain('Only managers can uncouple all customers.');
    expect(message).toContain('MANAGER_AAD_OBJECT_IDS');
    expect(message).toContain('Nobody is a manager yet');
  });
});
