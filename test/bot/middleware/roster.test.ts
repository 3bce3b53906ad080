import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { cachedRoster, unnamed } from '../../../bot/identity/roster.js';
import { captureLogs } from '../log-capture.js';

const context = {} as TurnContext;

describe('the roster cache', () => {
  it('asks once per user within its time to live, again after it, and forgets the oldest past its bound', async () => {
    let now = 0;
    const asked: string[] = [];
    const nameOf = cachedRoster(
      async (_c, id) => {
        asked.push(id);
        return `Name of ${id}`;
      },
      captureLogs().logger,
      { ttlMs: 1_000, maxEntries: 2, now: () => now },
    );
    expect(await nameOf(context, 'a', 't')).toBe('Name of a');
    expect(await nameOf(context, 'A', 't')).toBe('Name of a'); // object ids ignore case
    expect(asked).toEqual(['a']);
    now = 1_001;
    await nameOf(context, 'a', 't');
    expect(asked).toEqual(['a', 'a']);
    await nameOf(context, 'b', 't');
    await nameOf(context, 'c', 't'); // a is now the oldest of three: forgotten
    await nameOf(context, 'a', 't');
    expect(asked).toEqual(['a', 'a', 'b', 'c', 'a']);
  });

  it('when the roster fails or does not know the user, shows the object id’s start, and retries a minute later', async () => {
    let now = 0;
    let calls = 0;
    const capture = captureLogs();
    const nameOf = cachedRoster(
      async () => {
        calls++;
        throw new Error('roster unreachable');
      },
      capture.logger,
      { now: () => now },
    );
    const id = '9b1e2f3a-4c5d-4e6f-8a7b-1c2d3e4f5a6b';
    expect(await nameOf(context, id, 't')).toBe(unnamed(id));
    expect(unnamed(id)).toBe('Teams user 9b1e2f3a');
    await nameOf(context, id, 't');
    expect(calls).toBe(1);
    now = 60_001;
    await nameOf(context, id, 't');
    expect(calls).toBe(2);
    expect(capture.lines().some((l) => l.msg === 'could not read the user from the Teams roster')).toBe(true);
  });
});
