/**
 * Tasks (src/model/task.ts): each keeps its own clock and records its PSI state as
 * (start, end, state) segments, merging a segment into the previous one when both touch and agree.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { S_IOWAIT, S_RUN, S_STALL_RUN, S_STALL_SLEEP, Task } from '../../src/model/task.ts';
import type { Memcg } from '../../src/model/memcg.ts';

const task = (): Task => new Task(0, 't', null as unknown as Memcg, 0, null);

describe('Task', () => {
  it('spend() advances the clock and records a segment, merging adjacent ones in the same state', () => {
    const t = task();
    t.spend(S_RUN, 10);
    t.spend(S_RUN, 5);
    assert.deepEqual(t.seg, [0, 15, S_RUN]);
    t.spend(S_STALL_RUN, 3);
    assert.deepEqual(t.seg, [0, 15, S_RUN, 15, 18, S_STALL_RUN]);
    assert.equal(t.clock, 18);
  });
  it('idle time is a gap: idleUntil() moves the clock without a segment, and never backwards', () => {
    const t = task();
    t.spend(S_RUN, 10);
    t.idleUntil(30);
    t.idleUntil(20);
    assert.equal(t.clock, 30);
    t.spend(S_RUN, 2);
    // Not merged with [0, 10]: the segments do not touch.
    assert.deepEqual(t.seg, [0, 10, S_RUN, 30, 32, S_RUN]);
  });
  it('spending nothing, or a negative or NaN time, records nothing', () => {
    const t = task();
    t.spend(S_STALL_SLEEP, 0);
    t.spend(S_IOWAIT, -1);
    t.spend(S_RUN, NaN);
    assert.deepEqual(t.seg, []);
    assert.equal(t.clock, 0);
  });
  it('starts alive, with nothing pending over high and no time spent', () => {
    const t = task();
    assert.equal(t.alive, true);
    assert.equal(t.nrOverHigh, 0);
    assert.equal(t.notify, false);
    assert.deepEqual(t.time, {
      useful: 0,
      reclaim: 0,
      throttle: 0,
      refaultCpu: 0,
      refaultIo: 0,
      fault: 0,
      dirtyPause: 0,
    });
  });
});
