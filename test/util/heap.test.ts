import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { relieveHeap } from '../../src/util/heap.ts';

describe('relieveHeap', () => {
  it('does nothing under the limit', () => {
    assert.equal(relieveHeap(Number.MAX_SAFE_INTEGER), false);
  });

  it('collects garbage when the heap is over the limit', () => {
    // About 40 MB of short-lived strings, dropped when the function returns: garbage a lazy
    // collector may keep.
    const makeGarbage = (): number =>
      Array.from({ length: 40_000 }, (_, i) => `${i}`.padEnd(1000, 'x')).length;
    assert.equal(makeGarbage(), 40_000);
    const before = v8.getHeapStatistics().used_heap_size;
    assert.equal(relieveHeap(1), true);
    const after = v8.getHeapStatistics().used_heap_size;
    assert.ok(before > 10e6, `the garbage is on the heap (${before >> 20} MB)`);
    assert.ok(after < before / 2, `heap ${before >> 20} MB before, ${after >> 20} MB after`);
  });

  it('does not collect again and again while the live data stays above the limit', () => {
    // ~60 MB kept alive, as `graph train` keeps every paragraph's features through a build
    const live = Array.from({ length: 60_000 }, (_, i) => `${i}`.padEnd(1000, 'y'));
    const limit = 16 * 1024 * 1024;
    let collections = 0;
    for (let k = 0; k < 6; k++) {
      // a little garbage between calls, as one thread of a build leaves
      assert.ok(Array.from({ length: 2_000 }, (_, i) => `${k}${i}`.padEnd(500, 'z')).length > 0);
      if (relieveHeap(limit)) collections++;
    }
    assert.ok(live.length === 60_000);
    assert.equal(collections, 1, 'one collection, then none until the heap doubles');
    // once the heap has doubled since that collection, it collects again
    const more = Array.from({ length: 200_000 }, (_, i) => `${i}`.padEnd(1000, 'w')).length;
    assert.equal(more, 200_000);
    assert.equal(relieveHeap(limit), true);
  });
});
