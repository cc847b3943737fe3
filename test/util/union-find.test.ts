// findRoot (src/util/union-find.ts) on hand-made parent arrays: the root, and the path compressed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findRoot } from '../../src/util/union-find.ts';

describe('findRoot', () => {
  it('returns a root as itself and leaves the array alone', () => {
    const parent = [0, 1, 2];
    assert.equal(findRoot(parent, 1), 1);
    assert.deepEqual(parent, [0, 1, 2]);
  });
  it('follows a chain to its root and points every element on it at the root', () => {
    // 4 → 3 → 1 → 0, and 2 its own root.
    const parent = [0, 0, 2, 1, 3];
    assert.equal(findRoot(parent, 4), 0);
    assert.deepEqual(parent, [0, 0, 2, 0, 0]);
    assert.equal(findRoot(parent, 2), 2);
  });
  it('works on an Int32Array and on a chain of 100 000 without recursion', () => {
    const n = 100_000;
    const parent = new Int32Array(n);
    for (let i = 0; i < n; i++) parent[i] = Math.max(0, i - 1);
    assert.equal(findRoot(parent, n - 1), 0);
    assert.equal(parent[n - 1], 0);
    assert.equal(parent[n / 2], 0);
  });
});
