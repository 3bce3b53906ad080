import { describe, expect, it } from 'vitest';
import { jobProgress } from '../../../core/jobs/job-progress.js';
import { emptyCounters, type JobCounters } from '../../../core/model/job.js';

const counters = (c: Partial<JobCounters>): JobCounters => ({ ...emptyCounters(), ...c });

describe('how far a job is', () => {
  it.each([
    [
      'records examined of the total, whole percent',
      { modified: 1_000, inserted: 238, failed: 2 },
      10_000,
      'Running',
      { done: 1_240, total: 10_000, percent: 12 },
    ],
    [
      'coupled and uncoupled come on top of a record: not counted twice',
      { inserted: 5, coupled: 5 },
      10,
      'Running',
      { done: 5, total: 10, percent: 50 },
    ],
    [
      'a running job stays below 100%',
      { unchanged: 10 },
      10,
      'Running',
      { done: 10, total: 10, percent: 99 },
    ],
    [
      'an estimate that fell short grows with what was done',
      { inserted: 12 },
      10,
      'Running',
      { done: 12, total: 12, percent: 99 },
    ],
    ['a finished job is at 100%', { unchanged: 10 }, 10, 'Finished', { done: 10, total: 10, percent: 100 }],
    ['nothing to do yet is 0%', {}, 0, 'Running', { done: 0, total: 0, percent: 0 }],
    ['no total: no percentage', { modified: 7 }, null, 'Running', { done: 7, total: null, percent: null }],
  ] as const)('%s', (_, c, total, status, expected) => {
    expect(jobProgress({ counters: counters(c), total, status })).toEqual(expected);
  });
});
