/**
 * Invariants over random runs (fast-check): pages are conserved and every counter agrees with the
 * page store, usage never exceeds memory.max, PSI full ≤ some, the clock never goes backwards, no
 * output holds NaN or Infinity, and a run is deterministic for its seed. The checks recount
 * everything from the page arrays rather than trusting the simulator's own counters.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveParams } from '../../src/model/params.ts';
import { configArb } from './random-config.ts';
import { buildRun, summarize, type BuiltRun } from '../../src/model/arm.ts';
import * as page from '../../src/model/page.ts';
import type { Simulator } from '../../src/model/sim.ts';

/** Recount every page from the page arrays and compare with the counters. */
function checkAccounting(sim: Simulator, initialUsage: number[]): void {
  const n = sim.memcgs.length;
  const lru = Array.from({ length: n }, () => [0, 0, 0, 0]);
  const unevict = new Array<number>(n).fill(0);
  const isoAnon = new Array<number>(n).fill(0);
  const isoFile = new Array<number>(n).fill(0);
  const zswap = new Array<number>(n).fill(0);
  let swapSlots = 0;
  let counted = 0;
  for (let p = 0; p < sim.nPages; p++) {
    const s = sim.pgState[p]!;
    const m = sim.pgMemcg[p]!;
    const file = sim.regions[sim.pgRegion[p]!]!.type === 1;
    counted++;
    if (s === page.P_LRU) lru[m]![sim.pgList[p]!]!++;
    else if (s === page.P_UNEVICTABLE) unevict[m]!++;
    else if (s === page.P_ZSWAP) {
      zswap[m]!++;
      swapSlots++;
    } else if (s === page.P_SWAP) swapSlots++;
    else if (s === page.P_SWAP_WB) {
      isoAnon[m]!++;
      swapSlots++;
    } else if (s === page.P_ZSWAP_PENDING || s === page.P_FILE_WB) {
      if (file) isoFile[m]!++;
      else isoAnon[m]!++;
    } else assert.ok(s === page.P_FREE || s === page.P_EVICTED, `page ${p} in unknown state ${s}`);
  }
  assert.equal(counted, sim.nPages);
  assert.equal(sim.swapUsed, swapSlots, 'swap slots');
  for (const m of sim.memcgs) {
    const i = m.id;
    for (let l = 0; l < 4; l++) {
      assert.equal(m.lruSize[l], lru[i]![l], `${m.name} list ${l} size`);
      // Walk the list: the links must agree with the size.
      let k = 0;
      for (let p = m.lruTail[l]!; p >= 0; p = sim.pgNext[p]!) k++;
      assert.equal(k, lru[i]![l], `${m.name} list ${l} links`);
    }
    assert.equal(m.unevictable, unevict[i], `${m.name} unevictable`);
    assert.equal(m.isolatedAnon, isoAnon[i], `${m.name} isolated anon`);
    assert.equal(m.isolatedFile, isoFile[i], `${m.name} isolated file`);
    assert.equal(m.zswapEntries, zswap[i], `${m.name} zswap entries`);
  }
  // memory.current of every cgroup is what its subtree holds: resident pages, compressed pool,
  // short-lived charges and the charge stocks.
  for (const m of sim.memcgs) {
    let want = 0;
    for (const c of m.subtree) {
      want += lru[c.id]!.reduce((a, b) => a + b, 0) + unevict[c.id]! + isoAnon[c.id]! + isoFile[c.id]!;
      want += c.transient + c.zswapCharged + sim.stockFor(c);
    }
    assert.equal(m.usage, want, `${m.name} usage`);
    // No charge succeeds over max (page_counter_try_charge()); a cgroup placed over max at the start
    // may stay there while nothing in it can be freed (dirty page cache waits for writeback).
    assert.ok(
      m.usage <= m.max || m.usage <= (initialUsage[m.id] ?? 0),
      `${m.name} usage ${m.usage} over max ${m.max}`,
    );
  }
  // Dirty and writeback counts are the pages carrying the flags (writeback.ts).
  const dirty = new Array<number>(sim.memcgs.length).fill(0);
  const wback = new Array<number>(sim.memcgs.length).fill(0);
  for (let p = 0; p < sim.nPages; p++) {
    const f = sim.pgFlags[p]!;
    if (sim.pgState[p] !== page.P_LRU && sim.pgState[p] !== page.P_UNEVICTABLE) continue;
    if (f & page.F_DIRTY) dirty[sim.pgMemcg[p]!]!++;
    if (f & page.F_WRITEBACK) wback[sim.pgMemcg[p]!]!++;
  }
  for (const m of sim.memcgs) {
    assert.equal(m.nrDirty, dirty[m.id], `${m.name} dirty pages`);
    assert.equal(m.nrWriteback, wback[m.id], `${m.name} writeback pages`);
  }
  // The fault sets hold exactly the pages that would fault.
  for (const r of sim.regions) {
    let faultable = 0;
    for (let i = 0; i < r.count; i++) {
      const s = sim.pgState[r.first + i]!;
      if (s !== page.P_FREE && s !== page.P_LRU && s !== page.P_UNEVICTABLE) faultable++;
    }
    assert.equal(r.nFaultable, faultable, `${r.name} fault set`);
  }
}

function checkNumbers(value: unknown): void {
  // An explicit stack instead of recursion: the result is a deep but finite tree.
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'number') assert.ok(Number.isFinite(v), `non-finite number ${v}`);
    else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
}

function runChecked(b: BuiltRun): void {
  const { sim } = b;
  sim.finalize();
  const initialUsage = sim.memcgs.map((m) => m.usage);
  let lastNow = -1;
  const clocks = sim.tasks.map(() => -1);
  const step = 250e3;
  for (let t = step; t <= b.durationUs + 1; t += step) {
    sim.run(t);
    assert.ok(sim.now >= lastNow, 'the simulation clock went backwards');
    lastNow = sim.now;
    sim.tasks.forEach((task, i) => {
      assert.ok(task.clock >= clocks[i]!, `${task.name} clock went backwards`);
      clocks[i] = task.clock;
      for (let k = 0; k + 3 < task.seg.length; k += 3) {
        assert.ok(
          task.seg[k]! <= task.seg[k + 1]! && task.seg[k + 1]! <= task.seg[k + 3]!,
          'segments out of order',
        );
      }
    });
    checkAccounting(sim, initialUsage);
    for (const ps of sim.psi.values()) assert.ok(ps.fullTotal <= ps.someTotal + 1e-6, 'PSI full > some');
  }
}

describe('model invariants over random runs', () => {
  it('conserve pages, keep usage under max, PSI full <= some, clocks monotone, finite outputs', () => {
    fc.assert(
      fc.property(configArb, ({ seed, overrides }) => {
        const b = buildRun(resolveParams(overrides), seed);
        runChecked(b);
        const res = summarize(b, 'x', 'x');
        checkNumbers(res);
        const some = res.series.psi_some_pct!;
        const full = res.series.psi_full_pct!;
        for (let i = 0; i < some.length; i++) assert.ok((full[i] ?? 0) <= (some[i] ?? 0) + 1e-9);
        const t = res.series.t_s!;
        for (let i = 1; i < t.length; i++)
          assert.ok((t[i] ?? 0) > (t[i - 1] ?? 0), 'sample times not increasing');
        const json = JSON.stringify(res);
        assert.ok(!/NaN|Infinity/.test(json));
      }),
      { numRuns: 40, seed: 20260922 },
    );
  });

  it('is deterministic for a seed and differs between seeds', () => {
    fc.assert(
      fc.property(configArb, ({ seed, overrides }) => {
        const a = buildRun(resolveParams(overrides), seed);
        a.sim.run(a.durationUs);
        const b = buildRun(resolveParams(overrides), seed);
        b.sim.run(b.durationUs);
        assert.equal(JSON.stringify(summarize(a, 'x', '')), JSON.stringify(summarize(b, 'x', '')));
      }),
      { numRuns: 10, seed: 7 },
    );
  });
});
