/**
 * The reclaim engine (src/model/reclaim.ts, reclaim-model.md E6 and A5): the 32-page floor, the
 * fixed costs of a call, which lists swappiness picks, memory.min and memory.low, and the
 * pgscan/pgsteal split by who asked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scripted } from '../../src/model/scripted.ts';
import { writesOn, type WritesOn } from './writes-on.ts';
import { ReclaimCall, ReclaimLedger } from '../../src/model/reclaim.ts';
import { SRC_DIRECT, SRC_PROACTIVE } from '../../src/model/memcg.ts';
import { EAGAIN } from '../../src/model/syscalls.ts';
import { Task } from '../../src/model/task.ts';

const MB = 1 << 20;
/** 4 KiB pages per MiB. */
const PPM = 256;
const OPTS = { maySwap: true, source: SRC_DIRECT, swappiness: 60 };

describe('one try_to_free_mem_cgroup_pages() call (E6)', () => {
  it('raises a target below SWAP_CLUSTER_MAX to 32 pages', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.sim.finalize();
    assert.equal(new ReclaimCall(s.sim, cg, 1, OPTS).target, 32);
    assert.equal(new ReclaimCall(s.sim, cg, 100, OPTS).target, 100);
  });
  it('costs t_call plus t_memcg per cgroup and priority pass when there is nothing to take', () => {
    // Defaults: t_call 310 µs, t_memcg 2 µs; priorities 12..0 are 13 passes over one cgroup.
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.sim.finalize();
    const call = new ReclaimCall(s.sim, cg, 32, OPTS);
    assert.equal(call.run(Infinity), 310 + 13 * 2);
    assert.equal(call.done, true);
    assert.equal(call.reclaimed, 0);
  });
  it('counts itself once in the simulator, and its scans and steals under the source that asked', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    const before = s.sim.counters.reclaimCalls;
    const call = new ReclaimCall(s.sim, cg, 512, { ...OPTS, source: SRC_PROACTIVE });
    call.run(Infinity);
    assert.equal(s.sim.counters.reclaimCalls - before, 1);
    assert.ok(call.reclaimed >= 512);
    assert.equal(cg.statH('pgsteal_proactive'), call.reclaimed);
    assert.equal(cg.statH('pgscan_proactive'), call.scanned);
    assert.equal(cg.statH('pgscan_direct') + cg.statH('pgsteal_direct'), 0);
  });
  it('frees clean page cache without I/O: usage drops by what it reclaimed', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    const call = new ReclaimCall(s.sim, cg, 1024, OPTS);
    call.run(Infinity);
    assert.equal(cg.usage, 16 * PPM - call.reclaimed);
  });
});

/** memory.reclaim `value` on a current kernel, against 16M of page cache and 16M of anon. */
const cacheAndAnon = (value: string): WritesOn =>
  writesOn(
    { 'kernel.profile': 'current' },
    [
      { name: 'cache', type: 'file', bytes: 16 * MB },
      { name: 'anon', type: 'anon', bytes: 16 * MB },
    ],
    [{ file: 'memory.reclaim', value }],
  );

describe('anon or file (A5)', () => {
  it('swappiness=0 on memory.reclaim drops page cache and leaves anon alone', () => {
    const { cg, first } = cacheAndAnon('24M swappiness=0');
    assert.equal(cg.statH('zswpout'), 0);
    assert.equal(cg.lruPages(1), 0);
    assert.equal(first.rc, EAGAIN);
  });
  it('swappiness=max reclaims anon only', () => {
    const { cg } = cacheAndAnon('8M swappiness=max');
    assert.equal(cg.lruPages(1), 16 * PPM);
    assert.ok(cg.statH('zswpout') >= 8 * PPM);
  });
  it('without swap room it takes file only, even when asked to swap', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null, { swapMax: 0 });
    s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.resident(cg, { name: 'anon', type: 'anon', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', cg, 0, null), cg, 2048, true, SRC_DIRECT);
    assert.equal(cg.lruPages(0), 16 * PPM);
    assert.equal(cg.statH('zswpout'), 0);
    assert.ok(cg.lruPages(1) < 16 * PPM);
  });
});

describe('protection', () => {
  it('skips a cgroup within memory.min entirely', () => {
    const s = new Scripted();
    const parent = s.cgroup('p', null);
    const a = s.cgroup('p/a', parent, { min: 64 * MB });
    const b = s.cgroup('p/b', parent);
    s.resident(a, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.resident(b, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', parent, 0, null), parent, 2048, true, SRC_DIRECT);
    assert.equal(a.usage, 16 * PPM);
    assert.ok(b.usage < 16 * PPM);
  });
  it('takes from within memory.low only when nothing else gives, and counts a low event', () => {
    const s = new Scripted();
    const parent = s.cgroup('p', null);
    const a = s.cgroup('p/a', parent, { low: 64 * MB });
    s.resident(a, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', parent, 0, null), parent, 256, true, SRC_DIRECT);
    assert.ok(a.usage < 16 * PPM, 'the protected cgroup gave memory');
    assert.ok(a.eventsH('low') >= 1);
  });
  it('does not protect the cgroup reclaim was asked of', () => {
    const s = new Scripted();
    const a = s.cgroup('a', null, { min: 64 * MB });
    s.resident(a, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', a, 0, null), a, 256, true, SRC_DIRECT);
    assert.ok(a.usage <= 16 * PPM - 256);
  });
});

// ---------------------------------------------------------------------------------------------
// Hierarchical reclaim (issue 13 item 4): shrink_node_memcgs()'s walk over many children,
// get_scan_count()'s per-memcg quota, protection, and the 6.11 partial walk with its cookie.

/** A parent with `n` children, child i holding sizes(i) pages of clean page cache read once. */
function manyChildren(
  n: number,
  sizes: (i: number) => number,
  overrides: Record<string, string | number | boolean> = {},
  limits: (i: number) => Parameters<Scripted['cgroup']>[2] = () => ({}),
): { s: Scripted; parent: ReturnType<Scripted['cgroup']>; kids: ReturnType<Scripted['cgroup']>[] } {
  const s = new Scripted(overrides);
  const parent = s.cgroup('parent', null);
  const kids = [];
  for (let i = 0; i < n; i++) {
    const c = s.cgroup(`parent/c${i}`, parent, limits(i));
    s.resident(c, { name: 'cache', type: 'file', bytes: sizes(i) * 4096 });
    kids.push(c);
  }
  s.sim.finalize();
  return { s, parent, kids };
}

/** File only, so get_scan_count() gives anon nothing and every scanned page (read once) is freed. */
const FILE_ONLY = { maySwap: false, source: SRC_PROACTIVE, swappiness: 60 };

describe('hierarchical reclaim over 128 children (shrink_node_memcgs, get_scan_count)', () => {
  it('a full walk scans each child by the kernel rule size >> priority, pass after pass', () => {
    const sizes = (i: number): number => 1024 * (1 + (i % 5)) + 37 * i;
    const { s, parent, kids } = manyChildren(128, sizes, { 'kernel.memcgWalk': 'full' });
    const ledger = new ReclaimLedger(s.sim.memcgs.length);
    const target = 20000;
    const call = new ReclaimCall(s.sim, parent, target, { ...FILE_ONLY, ledger });
    call.run(Infinity);
    // Naive oracle: every pass visits every child; its quota is what is left >> priority, all of
    // which is freed (clean page cache read once); stop after the pass that meets the target.
    const rem = kids.map((_, i) => sizes(i));
    const want = kids.map(() => 0);
    let total = 0;
    for (let prio = 12; prio >= 0 && total < target; prio--) {
      for (let i = 0; i < rem.length; i++) {
        const q = Math.floor((rem[i] ?? 0) / 2 ** prio);
        rem[i] = (rem[i] ?? 0) - q;
        want[i] = (want[i] ?? 0) + q;
        total += q;
      }
    }
    assert.deepEqual(
      kids.map((k) => ledger.reclaimed[k.id]),
      want,
    );
    assert.deepEqual(
      kids.map((k) => ledger.scanned[k.id]),
      want,
    );
    assert.equal(call.reclaimed, total);
    // The sum over children is the call's total (the parent itself holds nothing).
    assert.equal(
      kids.reduce((a, k) => a + (ledger.reclaimed[k.id] ?? 0), 0),
      call.reclaimed,
    );
  });

  it('memory.min children lose nothing while the unprotected ones have enough', () => {
    const { s, parent, kids } = manyChildren(
      128,
      () => 2048,
      {},
      (i) => (i % 2 ? { min: 2048 * 4096 } : {}),
    );
    const ledger = new ReclaimLedger(s.sim.memcgs.length);
    const call = new ReclaimCall(s.sim, parent, 64 * 1024, { ...FILE_ONLY, ledger });
    call.run(Infinity);
    assert.ok(call.reclaimed >= 64 * 1024);
    for (const [i, k] of kids.entries()) {
      if (i % 2) {
        assert.equal(ledger.reclaimed[k.id], 0, k.name);
        assert.ok((ledger.skipped[k.id] ?? 0) > 0, k.name);
        assert.equal(k.usage, 2048);
      } else assert.ok((ledger.reclaimed[k.id] ?? 0) > 0, k.name);
    }
  });

  it('memory.low scales the quota by 1 − protection/(usage + 1) before the priority shift (mem_cgroup_protection)', () => {
    // One pass at DEF_PRIORITY is enough for a 32-page target: read its quotas.
    const size = 3 * 4096 + 100;
    const low = (i: number): number => (i % 4) * 4096;
    const { s, parent, kids } = manyChildren(
      128,
      () => size,
      { 'kernel.memcgWalk': 'full' },
      (i) => ({ low: low(i) * 4096 }),
    );
    const ledger = new ReclaimLedger(s.sim.memcgs.length);
    new ReclaimCall(s.sim, parent, 32, { ...FILE_ONLY, ledger }).run(Infinity);
    for (const [i, k] of kids.entries()) {
      const prot = low(i);
      let scan = size;
      if (prot > 0) scan = Math.max(32, size - Math.floor((size * prot) / (Math.max(size, prot) + 1)));
      assert.equal(ledger.quota[k.id], Math.floor(scan / 4096), k.name);
    }
  });

  it('a partial walk bails once nr_to_reclaim is met, and the next call resumes at the next sibling', () => {
    // 8192 pages each: 2 pages per child at priority 12, so a 32-page call needs 16 children.
    const { s, parent, kids } = manyChildren(128, () => 8192, { 'kernel.memcgWalk': 'partial' });
    const index = new Map(kids.map((k, i) => [k.id, i]));
    let expectNext = 0;
    const visitsTotal = kids.map(() => 0);
    for (let callNo = 0; callNo < 24; callNo++) {
      const ledger = new ReclaimLedger(s.sim.memcgs.length);
      const call = new ReclaimCall(s.sim, parent, 32, { ...FILE_ONLY, ledger });
      call.run(Infinity);
      assert.ok(call.reclaimed >= 32);
      const visited = kids.filter((k) => (ledger.visits[k.id] ?? 0) > 0).map((k) => index.get(k.id) ?? -1);
      // A contiguous run of siblings (mod 128) starting where the previous call stopped.
      const first = visited.includes(expectNext) ? expectNext : -1;
      assert.equal(first, expectNext, `call ${callNo} starts at c${expectNext}`);
      let last = expectNext;
      while (visited.includes((last + 1) % 128) && (last + 1) % 128 !== expectNext) last = (last + 1) % 128;
      assert.equal(
        visited.length,
        ((last - expectNext + 128) % 128) + 1,
        `call ${callNo} visits a contiguous run`,
      );
      // It stopped as soon as the goal was met: without the last child it would fall short.
      const lastChild = kids[last] as (typeof kids)[number];
      assert.ok(call.reclaimed - (ledger.reclaimed[lastChild.id] ?? 0) < 32, `call ${callNo} bails at once`);
      for (const v of visited) visitsTotal[v] = (visitsTotal[v] ?? 0) + 1;
      expectNext = (last + 1) % 128;
    }
    // Fairness over the calls: the cookie spreads them over the siblings.
    assert.ok(Math.max(...visitsTotal) - Math.min(...visitsTotal) <= 1, visitsTotal.join(','));
  });

  it('a full walk visits every child on every call', () => {
    const { s, parent, kids } = manyChildren(128, () => 8192, { 'kernel.memcgWalk': 'full' });
    for (let callNo = 0; callNo < 3; callNo++) {
      const ledger = new ReclaimLedger(s.sim.memcgs.length);
      new ReclaimCall(s.sim, parent, 32, { ...FILE_ONLY, ledger }).run(Infinity);
      assert.ok(kids.every((k) => (ledger.visits[k.id] ?? 0) >= 1));
    }
  });

  it('a partial walk that frees nothing retries with a full walk before giving up (memcg_full_walk)', () => {
    const { s, parent } = manyChildren(4, () => 0, { 'kernel.memcgWalk': 'partial' });
    const partial = new ReclaimCall(s.sim, parent, 32, FILE_ONLY);
    const full = new ReclaimCall(s.sim, parent, 32, { ...FILE_ONLY, walk: 'full' });
    // Nothing to reclaim: the full-walk call makes 13 passes over 5 cgroups; the partial one makes
    // 13 partial walks (each runs to the end of the subtree), then 13 full passes.
    const costFull = full.run(Infinity);
    const costPartial = partial.run(Infinity);
    assert.equal(costFull, 310 + 13 * 5 * 2);
    assert.ok(costPartial > costFull, `${costPartial} > ${costFull}`);
    assert.equal(costPartial, 310 + 2 * 13 * 5 * 2);
  });

  it('global reclaim at the root walks every level below it and books each cgroup', () => {
    const { s, kids } = manyChildren(128, (i) => 512 + 8 * i, { 'kernel.memcgWalk': 'full' });
    const ledger = new ReclaimLedger(s.sim.memcgs.length);
    const call = new ReclaimCall(s.sim, s.sim.root, 4096, {
      ...FILE_ONLY,
      source: SRC_DIRECT,
      global: true,
      kswapd: true,
      ledger,
    });
    call.run(Infinity);
    let sum = 0;
    for (const m of s.sim.memcgs) sum += ledger.reclaimed[m.id] ?? 0;
    assert.equal(sum, call.reclaimed);
    assert.ok(kids.every((k) => (ledger.reclaimed[k.id] ?? 0) > 0));
  });
});
