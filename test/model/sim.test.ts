/**
 * The simulator (src/model/sim.ts), one kernel behaviour at a time: the charge path with its
 * per-CPU stock (E1), the high handler (E2) and its penalty, the OOM killer, swap room, zswap
 * charging (A6), refaults (A7), vmpressure and the PSI integration (A8). Expected values are the
 * spec's (reclaim-model.md) or worked out by hand in the comments.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scripted } from '../../src/model/scripted.ts';
import { integrateTasks } from '../../src/model/sim.ts';
import { P_LRU, P_ZSWAP } from '../../src/model/page.ts';
import { S_RUN, S_STALL_RUN, Task } from '../../src/model/task.ts';
import type { Memcg } from '../../src/model/memcg.ts';

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

describe('the high handler (E2)', () => {
  function stuck(profile: string): { calls: number; sleeps: number } {
    // 4M of mlocked anon with high at 1M: reclaim finds nothing and the overage is huge.
    const s = new Scripted({ 'kernel.profile': profile, 'kernel.MEMCG_CHARGE_BATCH': 32 });
    const cg = s.cgroup('test', null, { high: 1 * MB });
    const { task } = s.resident(cg, { name: 'locked', type: 'anon', bytes: 4 * MB, mlocked: true });
    s.sim.finalize();
    task.nrOverHigh = 32;
    task.notify = true;
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
    const proactiveCounts = (profile: 'v5_19' | 'current'): boolean => {
      const s = new Scripted({ 'kernel.profile': profile });
      s.sim.finalize();
      s.sim.vmpressure(512, 0, true);
      return s.sim.socketPressureNow;
    };
    assert.equal(proactiveCounts('v5_19'), true);
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
});
