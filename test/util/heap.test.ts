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
});
