import { describe, expect, it } from 'vitest';
import { digestText, stalledText } from '../../../bot/notifications/schedule-alerts.js';
import type { SyncError } from '../../../core/sync/sync-error-repository.js';

const at = new Date(Date.UTC(2025, 0, 1, 8));
const looping = (bcNumber: string, mapping = 'CUSTOMER'): SyncError =>
  ({
    id: bcNumber,
    mapping,
    bcId: `bc-${bcNumber}`,
    bcNumber,
    kind: 'failure',
    message: 'Name is longer than 100 characters.',
    occurrences: 5,
    streak: 4,
    recurringSince: at,
    waitingFor: null,
  }) as SyncError;

describe('what managers read', () => {
  it('the digest names the counts, a bounded list, and how many more there are', () => {
    const text = digestText({
      day: '2025-01-01',
      total: 3,
      newSinceLast: 0,
      errors: [looping('10000'), looping('CT100', 'CONTACT')],
      perMapping: [
        { mapping: 'CONTACT', count: 1 },
        { mapping: 'CUSTOMER', count: 2 },
      ],
    });
    expect(text).toBe(
      [
        'Daily digest, 2025-01-01: 3 records fail the same way run after run.',
        'CONTACT: 1 · CUSTOMER: 2',
        '- CUSTOMER 10000: Failed. Recurring: 4 runs in a row since 2025-01-01 08:00 UTC, seen 5 times. Name is longer than 100 characters.',
        '- CONTACT CT100: Failed. Recurring: 4 runs in a row since 2025-01-01 08:00 UTC, seen 5 times. Name is longer than 100 characters.',
        '… and 1 more.',
        'Type errors recurring to act on them. This digest comes once a day while records keep failing.',
      ].join('\n'),
    );
  });

  it('a stalled schedule without any error says the runs may not be starting', () => {
    const stall = { mapping: 'VENDOR', stalledSince: at, lastError: null } as Parameters<
      typeof stalledText
    >[0];
    expect(stalledText(stall, 30)).toMatch(
      /^Scheduled synchronization of VENDOR has not completed since 2025-01-01 08:00 UTC \(3 intervals of 30 minutes\)\. No run reported an error/,
    );
  });
});
