/**
 * The simulator (src/model/sim.ts), one kernel behaviour at a time: the charge path with its
 * per-CPU stock (E1), the high handler (E2) and its penalty, the OOM killer, swap room, zswap
 * charging (A6), refaults (A7), vmpressure and the PSI integration (A8). Expected values are the
 * spec's (reclaim-model.md) or worked out by hand in the comments.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveParams } from '../../src/model/params.ts';
import { Scripted } from '../../src/model/scripted.ts';
import { Simulator, integrateTasks } from '../../src/model/sim.ts';
import { P_LRU, P_ZSWAP } from '../../src/model/page.ts';
import { S_IDLE, S_IOWAIT, S_RUN, S_STALL_RUN, S_STALL_SLEEP, Task } from '../../src/model/task.ts';
import type { Memcg } from '../../src/model/memcg.ts';
import { PROFILE_IDS } from '../../src/model/profiles.ts';

const MB = 1 << 20;
/** 4 KiB pages per MiB. */
const PPM = 256;

describe('the charge path (E1)', () => {
  it('charges the counter a batch at a time and serves the rest from the per-CPU stock', () => {
    const s = new Scripted({ 'kernel.MEMCG_CHARGE_BATCH': 32 });
    const cg = s.cgroup('test', null);
    const { task } = s.process(cg, { name: 'anon', type: 'anon', bytes: 1 * MB }, () => [{ op: 'hold' }]);
    s.sim.finalize();
    assert.equal(s.sim.chargeSlow(task, cg, 1), true);
    // One page in use, a batch of 32 on the counter, 31 in the stock.
    assert.equal(cg.usage, 32);
    assert.equal(s.sim.stockFor(cg), 31);
    assert.equal(s.sim.takeStock(task, cg, 40), 31);
    assert.equal(cg.usage, 32);
  });

  it('drain_all_stock gives the stocked pages back to the counter', () => {
    const s = new Scripted({ 'kernel.MEMCG_CHARGE_BATCH': 32 });
    const cg = s.cgroup('test', null);
    const { task } = s.process(cg, { name: 'anon', type: 'anon', bytes: 1 * MB }, () => [{ op: 'hold' }]);
    s.sim.finalize();
    s.sim.chargeSlow(task, cg, 1);
    s.sim.drainAllStock(cg);
    assert.equal(s.sim.stockFor(cg), 0);
    assert.equal(cg.usage, 1);
    assert.equal(s.sim.root.usage, 1, 'the root counter follows');
  });

  it('flags the task when a batch lands over high and runs the handler inside a syscall only past one batch', () => {
    const s = new Scripted({ 'kernel.MEMCG_CHARGE_BATCH': 32, 'kernel.profile': 'current' });
    const cg = s.cgroup('test', null, { high: 0 });
    const { task } = s.process(cg, { name: 'anon', type: 'anon', bytes: 1 * MB }, () => [{ op: 'hold' }]);
    s.sim.finalize();
    s.sim.chargeSlow(task, cg, 1);
    assert.equal(task.nrOverHigh, 32);
    assert.equal(s.sim.highPending(task, true), false);
    assert.equal(s.sim.highPending(task, false), true);
    s.sim.takeStock(task, cg, 31);
    s.sim.chargeSlow(task, cg, 1);
    assert.equal(task.nrOverHigh, 64);
    assert.equal(s.sim.highPending(task, true), true);
  });

  it('the margin is the tightest room below memory.max up the ancestry', () => {
    const s = new Scripted();
    const parent = s.cgroup('p', null, { max: 10 * MB });
    const child = s.cgroup('p/c', parent, { max: 20 * MB });
    s.resident(child, { name: 'anon', type: 'anon', bytes: 4 * MB });
    s.sim.finalize();
    // Parent: 2560 − 1024 pages; child: 5120 − 1024. The parent is tighter.
    assert.equal(s.sim.margin(child), 1536);
  });
});

/**
 * A task entering the high handler (E2) with 32 pages over: 4M of mlocked anon against a 1M high,
 * so reclaim finds nothing and the overage is huge.
 */
function lockedOverHigh(profile: string): { s: Scripted; task: Task } {
  const s = new Scripted({ 'kernel.profile': profile, 'kernel.MEMCG_CHARGE_BATCH': 32 });
  const cg = s.cgroup('test', null, { high: 1 * MB });
  const { task } = s.resident(cg, { name: 'locked', type: 'anon', bytes: 4 * MB, mlocked: true });
  s.sim.finalize();
  task.nrOverHigh = 32;
  task.notify = true;
  return { s, task };
}

describe('the high handler (E2)', () => {
  function stuck(profile: string): { calls: number; sleeps: number } {
    const { s, task } = lockedOverHigh(profile);
    assert.equal(s.sim.highStart(task), true);
    const before = s.sim.counters.reclaimCalls;
    while (!s.sim.highStep(task));
    return { calls: s.sim.counters.reclaimCalls - before, sleeps: task.throttles };
  }
  it('keeps reclaiming for MAX_RECLAIM_RETRIES more passes without progress, then sleeps the clamped penalty', () => {
    const r = stuck('current');
    assert.equal(r.calls, 17);
    assert.equal(r.sleeps, 1);
  });
  it('before 5.8 it reclaims once and then sleeps', () => {
    const r = stuck('v5_7');
    assert.equal(r.calls, 1);
    assert.equal(r.sleeps, 1);
  });

  /** A task in `child` under `parent` (high limits in bytes), with usage set by hand for the penalty. */
  function penaltyTree(usageMiB: number): { child: Memcg; task: Task; s: Scripted } {
    const s = new Scripted({ 'kernel.MEMCG_CHARGE_BATCH': 32, 'kernel.HZ': 1000 });
    const parent = s.cgroup('p', null, { high: 100 * MB });
    const child = s.cgroup('p/c', parent);
    const { task } = s.process(child, { name: 't', type: 'anon', bytes: 0 }, () => [{ op: 'hold' }]);
    s.sim.finalize();
    parent.usage = usageMiB * PPM;
    child.usage = usageMiB * PPM;
    return { child, task, s };
  }
  it("uses the largest overage below the root: 105M over a 100M high is the kernel table's 159 jiffies", () => {
    // mm/memcontrol.c at HZ 1000 and nr = MEMCG_CHARGE_BATCH; the child has no high of its own.
    const { child, s } = penaltyTree(105);
    assert.equal(s.sim.highPenalty(child, 32, 0), 159);
    // Linear in nr / BATCH: two batches, twice the sleep.
    assert.equal(s.sim.highPenalty(child, 64, 0), 318);
    // 118M is past the clamp at 2·HZ.
    const clamped = penaltyTree(118);
    assert.equal(clamped.s.sim.highPenalty(clamped.child, 32, 0), 2000);
  });
  it('sleeps that penalty once reclaim gives up: 159 ms for one batch at 105M', () => {
    const { task, s } = penaltyTree(105);
    task.nrOverHigh = 32;
    task.notify = true;
    assert.equal(s.sim.highStart(task), true);
    while (!s.sim.highStep(task));
    assert.equal(task.throttles, 1);
    assert.equal(task.time.throttle, 159e3);
  });
  it('forgives a penalty of HZ/100 jiffies or less: 101M over 100M is 6 jiffies, so no sleep', () => {
    const { child, task, s } = penaltyTree(101);
    assert.equal(s.sim.highPenalty(child, 32, 0), 6);
    task.nrOverHigh = 32;
    task.notify = true;
    assert.equal(s.sim.highStart(task), true);
    assert.equal(s.sim.highStep(task), true, 'the handler returns after its first pass');
    assert.equal(task.throttles, 0);
    assert.equal(task.time.throttle, 0);
  });
});

describe('the high path per kernel profile (docs/model.md, "Kernel profiles")', () => {
  /** A task in `p/c`; high limits in bytes; usage and swap usage set by hand, in MiB. */
  function tree(
    profile: string,
    limits: { parentHigh?: number; childHigh?: number; childSwapHigh?: number },
    usage: { parent: number; child: number; childSwap?: number },
  ): { s: Scripted; child: Memcg; task: Task } {
    const s = new Scripted({ 'kernel.profile': profile, 'kernel.MEMCG_CHARGE_BATCH': 32, 'kernel.HZ': 1000 });
    const parent = s.cgroup('p', null, limits.parentHigh === undefined ? {} : { high: limits.parentHigh });
    const child = s.cgroup('p/c', parent, limits.childHigh === undefined ? {} : { high: limits.childHigh });
    if (limits.childSwapHigh !== undefined) child.swapHigh = (limits.childSwapHigh / MB) * PPM;
    const { task } = s.process(child, { name: 't', type: 'anon', bytes: 0 }, () => [{ op: 'hold' }]);
    s.sim.finalize();
    parent.usage = usage.parent * PPM;
    child.usage = usage.child * PPM;
    child.swapUsage = (usage.childSwap ?? 0) * PPM;
    parent.swapUsage = child.swapUsage;
    return { s, child, task };
  }
  const penalty = (...a: Parameters<typeof tree>): number => {
    const { s, child } = tree(...a);
    return s.sim.highPenalty(child, 32, 0);
  };

  it('5.4–5.5 penalise from the own cgroup only: a limit on the parent gives no penalty', () => {
    // 105M against a 100M high is the kernel table's 159 jiffies.
    assert.equal(penalty('v5_4_to_5_5', { parentHigh: 100 * MB }, { parent: 105, child: 105 }), 0);
    assert.equal(penalty('v5_4_to_5_5', { childHigh: 100 * MB }, { parent: 105, child: 105 }), 159);
    assert.equal(penalty('v5_7', { parentHigh: 100 * MB }, { parent: 105, child: 105 }), 159);
  });

  it('5.6 wraps around at a level under its limit: 10% over in the child sleeps 2 s, not 639 ms', () => {
    // Child 11M over a 10M high (639 jiffies); the parent is under its 100M high.
    const lim = { parentHigh: 100 * MB, childHigh: 10 * MB };
    assert.equal(penalty('v5_6', lim, { parent: 11, child: 11 }), 2000);
    assert.equal(penalty('v5_7', lim, { parent: 11, child: 11 }), 639);
    // A parent with high "max" wraps to an overage of 0, so one-level setups looked right.
    assert.equal(penalty('v5_6', { childHigh: 10 * MB }, { parent: 11, child: 11 }), 639);
  });

  it('5.7 takes the largest overage below the root with the usage <= high guard', () => {
    // The parent is 5% over its 100M high; the child is under its own 200M high.
    const lim = { parentHigh: 100 * MB, childHigh: 200 * MB };
    assert.equal(penalty('v5_7', lim, { parent: 105, child: 105 }), 159);
    assert.equal(penalty('current', lim, { parent: 105, child: 105 }), 159);
    // Without the guard (5.6) the child's level wraps around; with the own cgroup only (5.4), nothing.
    assert.equal(penalty('v5_6', lim, { parent: 105, child: 105 }), 2000);
    assert.equal(penalty('v5_4_to_5_5', lim, { parent: 105, child: 105 }), 0);
  });

  it('memory.swap.high adds a penalty term and flags the charging task from 5.8 only', () => {
    // Swap 11M over a 10M swap.high, memory under every limit.
    const lim = { childSwapHigh: 10 * MB };
    const use = { parent: 1, child: 1, childSwap: 11 };
    assert.equal(penalty('legacy_5_8_to_5_10', lim, use), 639);
    assert.equal(penalty('current', lim, use), 639);
    assert.equal(penalty('v5_7', lim, use), 0);
    const flagged = (profile: string): number => {
      const { s, child, task } = tree(profile, lim, use);
      s.sim.chargeSlow(task, child, 1);
      return task.nrOverHigh;
    };
    assert.equal(flagged('legacy_5_8_to_5_10'), 32);
    assert.equal(flagged('v5_7'), 0);
  });

  it('5.18 runs the handler inside a syscall once more than a batch is over high; 5.11–5.17 wait for the return to user', () => {
    const pending = (profile: string): boolean => {
      const { s, task } = tree(profile, { childHigh: 1 * MB }, { parent: 2, child: 2 });
      task.nrOverHigh = 64;
      task.notify = true;
      return s.sim.highPending(task, true);
    };
    assert.equal(pending('v5_18'), true);
    assert.equal(pending('v5_11_to_5_17'), false);
    assert.equal(pending('legacy_5_8_to_5_10'), false);
  });

  /**
   * A fast allocator in p/c under p's 16M memory.high, with 32M of mlocked anon already in p/c and no
   * swap: reclaim can free nothing. Returns MiB over p's high after `us`, and the sleeps.
   */
  function allocatorUnderParentHigh(
    profile: string,
    us: number,
  ): { overMiB: number; sleeps: number; sleptUs: number } {
    const s = new Scripted({ 'kernel.profile': profile, 'swap.size': 0 });
    const p = s.cgroup('p', null, { high: 16 * MB });
    const c = s.cgroup('p/c', p);
    s.resident(c, { name: 'locked', type: 'anon', bytes: 32 * MB, mlocked: true });
    const { task } = s.allocating(c, { name: 'anon', type: 'anon', bytes: 1024 * MB }, 'hold');
    s.run(us);
    return { overMiB: (p.usage - p.high) / PPM, sleeps: task.throttles, sleptUs: task.time.throttle };
  }
  it("5.4–5.5 livelock: allocation under an ancestor's memory.high outruns reclaim and never sleeps", () => {
    // Measured: 353.9 MiB over high after 1 s, no sleep.
    const r = allocatorUnderParentHigh('v5_4_to_5_5', 1e6);
    assert.equal(r.sleeps, 0);
    assert.equal(r.sleptUs, 0);
    assert.ok(r.overMiB > 300, `${r.overMiB} MiB over high`);
  });
  it('from 5.6 the same allocator sleeps, and no sleep is longer than MEMCG_MAX_HIGH_DELAY_JIFFIES (2 s)', () => {
    for (const profile of PROFILE_IDS.slice(PROFILE_IDS.indexOf('v5_6'))) {
      const r = allocatorUnderParentHigh(profile, 1e6);
      // Usage is twice the limit, so every sleep is the full clamp: one 2 s sleep by t = 1 s.
      assert.equal(r.sleeps, 1, profile);
      assert.equal(r.sleptUs, r.sleeps * 2e6, profile);
      assert.ok(r.overMiB < 20, `${profile}: ${r.overMiB} MiB over high`);
    }
  });

  it('the throttle sleep is killable in every profile: a fatal signal 100 ms in ends it', () => {
    for (const profile of ['v5_4_to_5_5', 'v5_7', 'legacy_5_8_to_5_10', 'v6_6', 'current']) {
      const { s, task } = lockedOverHigh(profile);
      task.fatalSignalAt = task.clock + 100e3;
      assert.equal(s.sim.highStart(task), true);
      while (!s.sim.highStep(task));
      // The penalty is the 2 s clamp; the task wakes when the signal arrives.
      assert.equal(task.clock, task.fatalSignalAt, profile);
      assert.ok(task.time.throttle > 0 && task.time.throttle < 100e3, profile);
    }
  });

  it('since 6.8 every pass of the handler checks for a dying task; before, the loop reclaims on', () => {
    /** Reclaim calls the handler makes after a fatal signal arrives between its passes. */
    const callsAfterSignal = (profile: string): number => {
      // 16M of page cache against a 1M high: each pass frees 32 pages and the overage stays huge.
      const s = new Scripted({ 'kernel.profile': profile, 'kernel.MEMCG_CHARGE_BATCH': 32 });
      const cg = s.cgroup('test', null, { high: 1 * MB });
      const { task } = s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
      s.sim.finalize();
      task.nrOverHigh = 32;
      task.notify = true;
      assert.equal(s.sim.highStart(task), true);
      assert.equal(s.sim.highStep(task), false, 'reclaim progressed, so the handler retries');
      task.fatalSignalAt = task.clock;
      const before = s.sim.counters.reclaimCalls;
      for (let i = 0; i < 4 && !s.sim.highStep(task); i++);
      return s.sim.counters.reclaimCalls - before;
    };
    assert.equal(callsAfterSignal('current'), 0);
    assert.ok(callsAfterSignal('v6_6') > 0);
  });
});

describe('the OOM killer', () => {
  it('kills the live process with the most anon in the subtree and frees its anon', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    const small = s.resident(cg, { name: 'small', type: 'anon', bytes: 8 * MB });
    const big = s.resident(cg, { name: 'big', type: 'anon', bytes: 16 * MB });
    s.sim.finalize();
    assert.equal(s.sim.oomKill(cg, small.task), true);
    assert.equal(big.task.process?.alive, false);
    assert.equal(small.task.process?.alive, true);
    assert.equal(cg.usage, 8 * PPM);
    assert.equal(cg.eventsH('oom'), 1);
    assert.equal(cg.eventsH('oom_kill'), 1);
  });
  it('reports failure when nothing in the subtree has anon to free', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    const { task } = s.resident(cg, { name: 'cache', type: 'file', bytes: 8 * MB });
    s.sim.finalize();
    assert.equal(s.sim.oomKill(cg, task), false);
    assert.equal(cg.eventsH('oom'), 1);
    assert.equal(cg.eventsH('oom_kill'), 0);
  });
});

describe('swap and zswap (A6)', () => {
  it('free swap is the tightest of the device and every swap.max up the ancestry', () => {
    const s = new Scripted({ 'swap.size': '1G' });
    const parent = s.cgroup('p', null, { swapMax: 64 * MB });
    const child = s.cgroup('p/c', parent);
    s.sim.finalize();
    assert.equal(s.sim.freeSwap(s.sim.root), 1024 * PPM);
    assert.equal(s.sim.freeSwap(child), 64 * PPM);
  });
  it('charges the zswap pool to the cgroup since 5.19 and not before', () => {
    /** Pages charged for the pool after reclaiming 16M of anon into zswap. */
    const poolCharge = (profile: 'v5_19' | 'legacy_5_8_to_5_10'): number => {
      const s = new Scripted({ 'kernel.profile': profile });
      const cg = s.cgroup('test', null);
      s.resident(cg, { name: 'anon', type: 'anon', bytes: 16 * MB });
      s.sim.finalize();
      s.sim.reclaimFor(new Task(99, 'r', cg, 0, null), cg, 2048, true, 1);
      assert.ok(cg.zswapEntries > 0, profile);
      return cg.zswapCharged;
    };
    assert.ok(poolCharge('v5_19') > 0);
    assert.equal(poolCharge('legacy_5_8_to_5_10'), 0);
  });
  it('compressed sizes average PAGE_SIZE/ratio within ± ratioSpread; same-filled pages take none', () => {
    // lzo: ratio 2.7, spread 0.5, so every size lies in 4096/2.7 × [0.5, 1.5] = [758.5, 2275.6].
    const s = new Scripted({ 'cost.compressor': 'lzo' });
    const cg = s.cgroup('test', null);
    const anon = s.resident(cg, { name: 'anon', type: 'anon', bytes: 16 * MB });
    const same = s.resident(cg, { name: 'same', type: 'anon', bytes: 1 * MB, sameFilled: true });
    s.sim.finalize();
    let sum = 0;
    for (let i = 0; i < anon.region.count; i++) {
      const size = s.sim.compressedSize(anon.region.first + i);
      assert.ok(size >= 758 && size <= 2276, `size ${size}`);
      sum += size;
    }
    const mean = sum / anon.region.count;
    assert.ok(Math.abs(mean - 4096 / 2.7) < 0.02 * (4096 / 2.7), `mean ${mean}`);
    assert.equal(s.sim.compressedSize(same.region.first), 0);
  });
});

describe('refaults (A6, A7)', () => {
  it('a hot page evicted and touched again soon comes back active and counts a restore and memstall', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    const { region, task } = s.resident(cg, { name: 'anon', type: 'anon', bytes: 4 * MB });
    s.sim.finalize();
    // Age everything through the active list so it carries the workingset flag, then reclaim it.
    const r = new Task(99, 'r', cg, 0, null);
    for (let i = 0; i < 8; i++) s.sim.reclaimFor(r, cg, 4096, true, 1);
    let p = -1;
    for (let i = 0; i < region.count; i++)
      if (s.sim.pgState[region.first + i] === P_ZSWAP) p = region.first + i;
    assert.ok(p >= 0, 'some page went to zswap');
    const before = task.seg.length;
    assert.equal(s.sim.faultIn(task, p), true);
    assert.equal(s.sim.pgState[p], P_LRU);
    assert.equal(cg.statH('workingset_refault_anon'), 1);
    assert.equal(cg.statH('zswpin'), 1);
    assert.ok(task.seg.length > before);
  });
});

describe('vmpressure (socket pressure)', () => {
  it('a 512-page window that reclaims 100 pages is 80% pressure, above the 60% medium level', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    s.sim.finalize();
    s.sim.vmpressure(511, 100, false);
    assert.equal(s.sim.socketPressureNow, false, 'the window is not full yet');
    s.sim.vmpressure(1, 0, false);
    assert.equal(s.sim.socketPressureNow, true);
  });
  it('a window that reclaims half of what it scans (50%) stays below medium', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    s.sim.finalize();
    s.sim.vmpressure(512, 256, false);
    assert.equal(s.sim.socketPressureNow, false);
  });
  it('proactive reclaim feeds vmpressure on 5.19 and not since v6.0', () => {
    const proactiveCounts = (profile: 'v5_19' | 'v6_0' | 'current'): boolean => {
      const s = new Scripted({ 'kernel.profile': profile });
      s.sim.finalize();
      s.sim.vmpressure(512, 0, true);
      return s.sim.socketPressureNow;
    };
    assert.equal(proactiveCounts('v5_19'), true);
    assert.equal(proactiveCounts('v6_0'), false);
    assert.equal(proactiveCounts('current'), false);
  });
});

describe('PSI integration (A8)', () => {
  it('two tasks on two CPUs, one stalled for the first second: some = full = 50% of that second', () => {
    const a = new Task(0, 'a', null as unknown as Memcg, 0, null);
    const b = new Task(1, 'b', null as unknown as Memcg, 1, null);
    a.spend(S_STALL_RUN, 1e6);
    b.spend(S_RUN, 2e6);
    // [0, 1 s]: 2 non-idle, 1 stalled, 1 productive → some 1/2, full (2 − 1)/2. [1 s, 2 s]: no stall.
    const [some, full] = integrateTasks([a, b], 0, 2e6, 2);
    assert.equal(some, 0.5e6);
    assert.equal(full, 0.5e6);
  });
  it('no stalled task means no pressure, whatever the load', () => {
    const tasks = [0, 1, 2].map((i) => {
      const t = new Task(i, `t${i}`, null as unknown as Memcg, i, null);
      t.spend(S_RUN, 1e6);
      return t;
    });
    assert.deepEqual(integrateTasks(tasks, 0, 1e6, 2), [0, 0]);
  });

  /** Every task looked at at every boundary: at each instant, which segment covers it. */
  function sweepOracle(tasks: Task[], a: number, b: number, cpus: number): [number, number] {
    let some = 0;
    let full = 0;
    let t = a;
    while (t < b) {
      let next = b;
      let nonIdle = 0;
      let stalled = 0;
      let productive = 0;
      for (const task of tasks) {
        const seg = task.seg;
        for (let k = 0; k < seg.length; k += 3) {
          const s0 = seg[k]!;
          const s1 = seg[k + 1]!;
          if (s0 > t && s0 < next) next = s0;
          if (s1 > t && s1 < next) next = s1;
          if (s0 <= t && t < s1) {
            const st = seg[k + 2]!;
            if (st !== S_IDLE) nonIdle++;
            if (st === S_STALL_RUN || st === S_STALL_SLEEP) stalled++;
            if (st === S_RUN) productive++;
          }
        }
      }
      const threads = Math.min(nonIdle, cpus);
      if (stalled > 0 && threads > 0) {
        const s = Math.min(stalled / threads, 1);
        some += s * (next - t);
        full += Math.min((threads - Math.min(productive, threads)) / threads, s) * (next - t);
      }
      t = next;
    }
    return [some, full];
  }

  it('sums the same pressure in the same order as looking at every task at every boundary', () => {
    const stepArb = fc.record({
      state: fc.constantFrom(S_IDLE, S_RUN, S_STALL_RUN, S_STALL_SLEEP, S_IOWAIT),
      // Whole µs make boundaries of different tasks coincide; fractions make rounding matter.
      us: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.double({ min: 0, max: 6, noNaN: true })),
      idle: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 })),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(stepArb, { maxLength: 12 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (plans, a, len, cpus) => {
          const tasks = plans.map((plan, i) => {
            const task = new Task(i, `t${i}`, null as unknown as Memcg, i % cpus, null);
            for (const st of plan) {
              task.idleUntil(task.clock + st.idle);
              task.spend(st.state, st.us);
            }
            return task;
          });
          // Exact equality: the same intervals summed in the same order round the same way.
          assert.deepEqual(integrateTasks(tasks, a, a + len, cpus), sweepOracle(tasks, a, a + len, cpus));
        },
      ),
      { numRuns: 500, seed: 20261207 },
    );
  });
});

describe('the scheduler', () => {
  /** What one step of a test actor does: its next time and, optionally, a wake of a woken actor or a new actor. */
  interface Move {
    /** Added to the clock for the actor's own next time (NaN and Infinity stay as they are). */
    delta: number;
    /** Set this woken actor's (index into the woken ones) nextTime to clock + wakeDelta. */
    wake: number;
    wakeDelta: number;
    /** Add a new actor with this script (only from the actors present at the start). */
    spawn: Script | null;
  }
  interface Script {
    prio: number;
    woken: boolean;
    start: number;
    moves: Move[];
  }

  /** The world a test actor sees; the real run and the oracle each provide one. */
  interface World {
    now(): number;
    add(a: ScriptActor): void;
    woken: ScriptActor[];
    log: string[];
  }

  /** An actor whose every step follows its script, so two runs can be compared step by step. */
  class ScriptActor {
    nextTime: number;
    readonly prio: number;
    readonly wokenByOthers: boolean;
    private k = 0;

    constructor(
      readonly name: string,
      private readonly script: Script,
      private readonly world: World,
    ) {
      this.prio = script.prio;
      this.wokenByOthers = script.woken;
      this.nextTime = script.start;
      if (script.woken) world.woken.push(this);
    }

    step(): void {
      const w = this.world;
      const now = w.now();
      w.log.push(`${this.name}@${now}`);
      const m = this.script.moves[this.k++];
      if (!m) {
        this.nextTime = Infinity;
        return;
      }
      this.nextTime = now + m.delta;
      const target = w.woken.length > 0 ? w.woken[m.wake % w.woken.length] : undefined;
      if (target && target !== this) target.nextTime = now + m.wakeDelta;
      if (m.spawn) w.add(new ScriptActor(`${this.name}.${this.k}`, m.spawn, w));
    }
  }

  /** The scan the heap replaced: the earliest nextTime, then the lowest prio, then the first added. */
  function oracle(scripts: Script[], runs: number[]): { log: string[]; now: number } {
    let now = 0;
    const actors: ScriptActor[] = [];
    const world: World = { now: () => now, add: (a) => actors.push(a), woken: [], log: [] };
    scripts.forEach((s, i) => actors.push(new ScriptActor(`a${i}`, s, world)));
    for (const untilUs of runs) {
      for (;;) {
        let best: ScriptActor | null = null;
        let bt = Infinity;
        let bp = 0;
        for (const a of actors) {
          if (a.nextTime < bt || (a.nextTime === bt && a.prio < bp)) {
            best = a;
            bt = a.nextTime;
            bp = a.prio;
          }
        }
        if (best === null || bt > untilUs) break;
        if (bt > now) now = bt;
        best.step();
      }
      if (untilUs > now && Number.isFinite(untilUs)) now = untilUs;
    }
    return { log: world.log, now };
  }

  function simulated(scripts: Script[], runs: number[]): { log: string[]; now: number } {
    const sim = new Simulator(resolveParams({ 'sim.cpus': 2 }), 1);
    const world: World = { now: () => sim.now, add: (a) => sim.addActor(a), woken: [], log: [] };
    scripts.forEach((s, i) => sim.addActor(new ScriptActor(`a${i}`, s, world)));
    for (const untilUs of runs) sim.run(untilUs);
    return { log: world.log, now: sim.now };
  }

  // Few distinct times, so that many actors are due at once and the tie-breaks decide.
  const deltaArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(0, 1, 2, 5) },
    { weight: 1, arbitrary: fc.constantFrom(-3, Infinity, NaN) },
  );
  const moveArb = (spawn: fc.Arbitrary<Script | null>): fc.Arbitrary<Move> =>
    fc.record({ delta: deltaArb, wake: fc.nat(7), wakeDelta: deltaArb, spawn });
  const scriptArb = (spawn: fc.Arbitrary<Script | null>): fc.Arbitrary<Script> =>
    fc.record({
      prio: fc.constantFrom(0, 1, 2, 3),
      woken: fc.nat(4).map((n) => n === 0),
      start: fc.oneof(fc.constantFrom(0, 1, 3), fc.constant(Infinity)),
      moves: fc.array(moveArb(spawn), { maxLength: 8 }),
    });
  const leafArb = scriptArb(fc.constant(null));
  const topArb = scriptArb(fc.option(leafArb, { freq: 8 }));

  it('steps actors in the order of a linear scan over them, ties and wakes included', () => {
    fc.assert(
      fc.property(
        fc.array(topArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.constantFrom(0, 2, 4, 7, 12), { maxLength: 4 }),
        (scripts, cuts) => {
          // Several run() calls end to end, then one past the end of every script (not to Infinity:
          // run(Infinity) never returns, as the empty completion queue is always due then).
          const runs: number[] = [...cuts].sort((a, b) => a - b);
          runs.push(1e6);
          assert.deepEqual(simulated(scripts, runs), oracle(scripts, runs));
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it('at one time runs samplers, then agents, then workloads, each in the order they were added', () => {
    const s: Script = { prio: 0, woken: false, start: 5, moves: [] };
    const scripts = [2, 1, 0, 2, 1, 0].map((prio) => ({ ...s, prio }));
    const { log } = simulated(scripts, [100]);
    assert.deepEqual(log, ['a2@5', 'a5@5', 'a1@5', 'a4@5', 'a0@5', 'a3@5']);
  });
});
