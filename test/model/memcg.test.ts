/**
 * One memory cgroup (src/model/memcg.ts, reclaim-model.md A2): the pre-order subtrees reclaim
 * walks, hierarchical events and stats, the LRU list sizes, and Meta's memory.high.tmp.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVENT_NAMES,
  L_ACTIVE_ANON,
  L_ACTIVE_FILE,
  L_INACTIVE_ANON,
  L_INACTIVE_FILE,
  Memcg,
  STAT_NAMES,
  SUMMARY_STAT_NAMES,
  computeSubtrees,
} from '../../src/model/memcg.ts';

/** root → a → a1, and root → b; ids in creation order. */
function tree(): { root: Memcg; a: Memcg; a1: Memcg; b: Memcg } {
  const root = new Memcg(0, '/', null);
  const a = new Memcg(1, 'a', root);
  const b = new Memcg(2, 'b', root);
  const a1 = new Memcg(3, 'a/a1', a);
  computeSubtrees(root);
  return { root, a, a1, b };
}

describe('the cgroup tree', () => {
  it('lists every subtree in pre-order, each cgroup first', () => {
    const { root, a, a1, b } = tree();
    assert.deepEqual(
      root.subtree.map((m) => m.name),
      ['/', 'a', 'a/a1', 'b'],
    );
    assert.deepEqual(a.subtree, [a, a1]);
    assert.deepEqual(a1.subtree, [a1]);
    assert.deepEqual(b.subtree, [b]);
  });
  it('knows depth, children and the root', () => {
    const { root, a, a1 } = tree();
    assert.deepEqual([root.depth, a.depth, a1.depth], [0, 1, 2]);
    assert.deepEqual(
      root.children.map((m) => m.name),
      ['a', 'b'],
    );
    assert.equal(root.isRoot(), true);
    assert.equal(a.isRoot(), false);
  });
  it('a deep chain needs no recursion', () => {
    const root = new Memcg(0, '/', null);
    let m = root;
    for (let i = 1; i <= 20000; i++) m = new Memcg(i, `c${i}`, m);
    computeSubtrees(root);
    assert.equal(root.subtree.length, 20001);
    assert.equal(m.subtree.length, 1);
  });
});

describe('events and stats', () => {
  it('memory.events and memory.stat read hierarchically: a cgroup counts its whole subtree', () => {
    const { root, a, a1, b } = tree();
    a1.event('high', 2);
    a.event('high');
    b.event('oom');
    a1.stat('pgscan_direct', 32);
    b.stat('pgscan_direct', 10);
    assert.deepEqual(
      [root.eventsH('high'), a.eventsH('high'), a1.eventsH('high'), b.eventsH('high')],
      [3, 3, 2, 0],
    );
    assert.equal(root.eventsH('oom'), 1);
    assert.deepEqual([root.statH('pgscan_direct'), a.statH('pgscan_direct')], [42, 32]);
  });
  it('the summary reports a subset of the kept counters; names are unique', () => {
    assert.equal(new Set(STAT_NAMES).size, STAT_NAMES.length);
    for (const n of SUMMARY_STAT_NAMES) assert.ok((STAT_NAMES as readonly string[]).includes(n), n);
    assert.deepEqual([...EVENT_NAMES], ['low', 'high', 'max', 'oom', 'oom_kill']);
  });
});

describe('the lruvec', () => {
  it('reads the four lists locally and summed over the subtree', () => {
    const { a, a1 } = tree();
    a.lruSize[L_INACTIVE_ANON] = 1;
    a.lruSize[L_ACTIVE_ANON] = 2;
    a.lruSize[L_INACTIVE_FILE] = 3;
    a.lruSize[L_ACTIVE_FILE] = 4;
    a1.lruSize[L_INACTIVE_FILE] = 10;
    assert.deepEqual(a.lruLists(), { inactiveAnon: 1, activeAnon: 2, inactiveFile: 3, activeFile: 4 });
    assert.deepEqual(a.subtreeLists(), { inactiveAnon: 1, activeAnon: 2, inactiveFile: 13, activeFile: 4 });
    assert.equal(a.lruPages(0), 3);
    assert.equal(a.lruPages(1), 7);
  });
});

describe('memory.high.tmp (Meta-internal) expires', () => {
  it('is in effect until its timeout, then memory.high applies again', () => {
    const cg = tree().a;
    cg.highTmp = 100;
    cg.highTmpUntil = 20e6;
    assert.equal(cg.effectiveHigh(1e6), 100);
    assert.equal(cg.effectiveHigh(20e6), Infinity);
    cg.high = 50;
    assert.equal(cg.effectiveHigh(1e6), 50);
  });
});
