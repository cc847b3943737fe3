/**
 * Dirty page cache and writeback (src/model/writeback.ts and its use in reclaim.ts): reclaim never
 * frees a dirty page, marks it for immediate reclaim and moves it out of the way (shrink_folio_list(),
 * mm/vmscan.c); the flusher writes at the device's bandwidth, periodically what has expired and at
 * once when reclaim asks (wb_do_writeback(), fs/fs-writeback.c); a page whose writeback ends with
 * PG_reclaim goes to the inactive tail (folio_end_writeback(), mm/filemap.c); reclaim that meets only
 * pages it already marked sleeps one jiffy (reclaim_throttle(VMSCAN_THROTTLE_CONGESTED)); a writer
 * over its domain's dirty limit sleeps in balance_dirty_pages() (mm/page-writeback.c).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Simulator } from '../../src/model/sim.ts';
import { resolveParams, type ParamOverrides } from '../../src/model/params.ts';
import { ReclaimCall } from '../../src/model/reclaim.ts';
import {
  L_ACTIVE_FILE,
  L_INACTIVE_FILE,
  SRC_DIRECT,
  SRC_PROACTIVE,
  type Memcg,
} from '../../src/model/memcg.ts';
import { F_DIRTY, F_RECLAIM, F_WRITEBACK, P_FILE_WB, P_LRU } from '../../src/model/page.ts';
import type { Region } from '../../src/model/task.ts';

const OPTS = { maySwap: false, source: SRC_DIRECT, swappiness: 60 };

/** A cgroup with `dirty` pages of dirty page cache and `clean` clean ones, all inactive and unreferenced. */
function setup(dirty: number, clean = 0, set: ParamOverrides = {}, limits = {}) {
  const sim = new Simulator(resolveParams({ 'sim.cpus': 2, ...set }), 1);
  const m = sim.addMemcg('job', sim.root, limits);
  const proc = sim.addProcess('job:w', m);
  const d = sim.addRegion(proc, {
    name: 'out',
    type: 'file',
    pages: dirty,
    hz: 0,
    initial: dirty,
    dirty: 1,
    aged: true,
  });
  let c: Region | null = null;
  if (clean > 0)
    c = sim.addRegion(proc, { name: 'cache', type: 'file', pages: clean, hz: 0, initial: clean, aged: true });
  const task = sim.addTask('job:w', m, proc);
  sim.finalize();
  return { sim, m, d, c, task };
}

function pagesOf(sim: Simulator, r: Region): number[] {
  return Array.from({ length: r.allocated }, (_, i) => r.first + i);
}

function flagCount(sim: Simulator, r: Region, flag: number): number {
  return pagesOf(sim, r).filter((p) => ((sim.pgFlags[p] ?? 0) & flag) !== 0).length;
}

describe('reclaim meets dirty page cache', () => {
  it('frees none of it: marks each page PG_reclaim, activates it, and wakes the flusher', () => {
    const { sim, m, d } = setup(256);
    assert.equal(sim.wb.nrDirty, 256);
    assert.equal(sim.wb.nextTime, 5e6, 'the periodic timer is armed, the flusher asleep');
    const call = new ReclaimCall(sim, m, 64, OPTS);
    call.run(Infinity);
    assert.equal(call.reclaimed, 0);
    assert.equal(m.usage, 256);
    // The call went down the priorities and met every page, some more than once (deactivated again).
    assert.ok(call.scanned >= 256);
    assert.equal(flagCount(sim, d, F_RECLAIM), 256);
    assert.equal(m.statH('nr_vmscan_immediate'), call.scanned, 'every page it met was dirty');
    assert.equal((m.lruSize[L_ACTIVE_FILE] ?? 0) + (m.lruSize[L_INACTIVE_FILE] ?? 0), 256);
    assert.equal(sim.wb.nextTime, sim.now, 'a batch of only unqueued dirty pages wakes the flusher');
  });

  it('frees the pages once written: their writeback ends at the inactive tail, and the next call takes them', () => {
    const bw = 4096 * 1000; // 1000 pages per second
    const { sim, m, d } = setup(64, 0, { 'cost.writeback_bw': bw });
    new ReclaimCall(sim, m, 64, OPTS).run(Infinity);
    const marked = flagCount(sim, d, F_RECLAIM);
    assert.ok(marked > 0);
    // By hand: 64 pages at 1000 pages/s leave the device in 64 ms.
    sim.run(63_000);
    assert.ok(sim.wb.nrWriteback > 0, 'still writing after 63 ms');
    sim.run(64_001);
    assert.equal(sim.wb.nrWriteback + sim.wb.nrDirty, 0);
    assert.equal(sim.wb.written, 64);
    assert.equal(flagCount(sim, d, F_DIRTY | F_WRITEBACK | F_RECLAIM), 0);
    assert.equal(m.statH('pgrotated'), marked, 'every marked page rotated');
    assert.equal(m.lruSize[L_INACTIVE_FILE], 64);
    const again = new ReclaimCall(sim, m, 64, OPTS);
    again.run(Infinity);
    assert.equal(again.reclaimed, 64);
  });

  it('kswapd writes a page it has marked before and that was not referenced (pageout())', () => {
    const { sim, d } = setup(32);
    // As if an earlier pass had met them: PG_reclaim set, still dirty, back on the inactive list.
    for (const p of pagesOf(sim, d)) sim.pgFlags[p] = (sim.pgFlags[p] ?? 0) | F_RECLAIM;
    const call = new ReclaimCall(sim, sim.root, 32, { ...OPTS, kswapd: true, global: true });
    call.run(Infinity);
    const out = pagesOf(sim, d).filter((p) => sim.pgState[p] === P_FILE_WB).length;
    assert.ok(out > 0);
    assert.equal(out, call.scanned, 'every page it met went to pageout()');
    assert.equal(sim.wb.nrDirty, 32 - out);
  });

  it('kswapd does not write a dirty page on first sight: one batch marks them all', () => {
    const { sim, m, d } = setup(32);
    const call = new ReclaimCall(sim, sim.root, 32, { ...OPTS, kswapd: true, global: true });
    assert.equal(call.shrinkInactive(m, L_INACTIVE_FILE, 32), 0);
    assert.equal(pagesOf(sim, d).filter((p) => sim.pgState[p] === P_FILE_WB).length, 0);
    assert.equal(flagCount(sim, d, F_RECLAIM), 32);
  });

  it('sleeps one jiffy per pass when every dirty page it meets is marked and still under writeback', () => {
    // A slow device keeps them in writeback: 256 pages per second.
    const { sim, m } = setup(64, 0, { 'cost.writeback_bw': '1M', 'kernel.HZ': 250 });
    new ReclaimCall(sim, m, 64, OPTS).run(Infinity);
    sim.run(1000); // the flusher submits them all
    assert.equal(sim.wb.nrWriteback, 64);
    // They are on the active list, marked; move them back so the next call meets them again.
    for (let p = m.lruTail[L_ACTIVE_FILE] ?? -1; p >= 0; p = m.lruTail[L_ACTIVE_FILE] ?? -1) {
      sim.lruDel(p, m);
      sim.lruAdd(p, m, L_INACTIVE_FILE);
    }
    const call = new ReclaimCall(sim, m, 32, OPTS);
    call.run(Infinity);
    assert.equal(call.reclaimed, 0);
    // HZ 250: 4 ms a jiffy; at least the first pass met only congested pages.
    assert.ok(call.sleepUs >= 4000 && call.sleepUs % 4000 === 0, `slept ${call.sleepUs}`);
    assert.equal(m.statH('vmscan_throttled_us'), call.sleepUs);
  });

  it('does not sleep while write-pending pages are at most half the reclaimable ones (skip_throttle_noprogress)', () => {
    const { sim, m, c } = setup(64, 256, { 'cost.writeback_bw': '1M' });
    assert.ok(c);
    new ReclaimCall(sim, m, 32, OPTS).run(Infinity);
    sim.run(1000);
    const call = new ReclaimCall(sim, m, 32, OPTS);
    call.run(Infinity);
    assert.equal(call.sleepUs, 0);
  });

  it('memory.reclaim is cgroup reclaim too: dirty pages are skipped the same way', () => {
    const { sim, m } = setup(128);
    const call = new ReclaimCall(sim, m, 128, { ...OPTS, source: SRC_PROACTIVE });
    call.run(Infinity);
    assert.equal(call.reclaimed, 0);
    assert.ok(m.statH('nr_vmscan_immediate') > 0);
  });
});

describe('the flusher', () => {
  it('writes pages below the background threshold only once they expire (30 s), at the 5 s wake after', () => {
    const { sim, d } = setup(100);
    sim.run(29.99e6);
    assert.equal(sim.wb.nrDirty, 100, 'nothing written before dirty_expire_centisecs');
    // The wake at 30 s finds them dirtied at 0, which is 30 s ago; 100 pages at 200 MiB/s take 2 ms.
    sim.run(30.01e6);
    assert.equal(sim.wb.written, 100);
    assert.equal(flagCount(sim, d, F_DIRTY | F_WRITEBACK), 0);
    assert.ok(
      pagesOf(sim, d).every((p) => sim.pgState[p] === P_LRU),
      'written pages stay cached',
    );
  });

  it('writes at once above the background threshold of the memcg domain', () => {
    // memory.max 1000 pages, 400 dirty: 10 % of (file 400 + headroom 600) = 100 < 400.
    const { sim } = setup(400, 0, {}, { max: 1000 });
    sim.run(1e6);
    assert.ok(sim.wb.written >= 300, `written ${sim.wb.written}`);
  });
});

describe('balance_dirty_pages()', () => {
  it('puts a writer over its memcg domain dirty limit to sleep for the excess at the device rate, at most 200 ms', () => {
    // memory.max 1000 pages, 400 dirty: limit 20 % of (400 + 600) = 200 pages, excess 200.
    const bw = 4096 * 1000; // 1 ms a page
    const { sim, m, task } = setup(400, 0, { 'cost.writeback_bw': bw }, { max: 1000 });
    sim.wb.balance(task, m);
    assert.equal(task.time.dirtyPause, 200_000);
    const small = setup(400, 0, { 'cost.writeback_bw': bw * 100 }, { max: 1000 });
    small.sim.wb.balance(small.task, small.m);
    // 200 pages at 10 µs each.
    assert.ok(Math.abs(small.task.time.dirtyPause - 2000) < 1e-6);
  });

  it('lets a writer without a limit dirty far more (the global domain of 16 GiB)', () => {
    const { sim, m, task } = setup(4000);
    sim.wb.balance(task, m);
    assert.equal(task.time.dirtyPause, 0);
  });

  it('counts dirty pages per cgroup and in total', () => {
    const { sim, m } = setup(10);
    const other: Memcg = sim.memcgs.find((x) => x.name === 'job') as Memcg;
    assert.equal(other, m);
    assert.equal(m.nrDirty, 10);
    assert.equal(sim.wb.writePending(), 10);
  });
});
