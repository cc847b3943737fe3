/**
 * Kernel semantics of the engine, one behaviour at a time (reclaim-model.md E1–E6, A6, A7): the
 * charge stock, the high handler's retry loop, write return codes per profile, the memory.high
 * write orders, O_NONBLOCK, memory.high.tmp, drop_caches, protection and zswap charging.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scripted, ReclaimUntil } from '../../src/model/scripted.ts';
import type { AgentCtx, AgentLogic } from '../../src/model/agents.ts';
import type { WriteRecord } from '../../src/model/syscalls.ts';
import { EAGAIN, EINTR, EINVAL, ENOENT } from '../../src/model/syscalls.ts';
import { Task } from '../../src/model/task.ts';

const MB = 1 << 20;

/** An agent that performs a list of writes back to back and records the results. */
class Writes implements AgentLogic {
  readonly name = 'writes';
  readonly results: WriteRecord[] = [];
  private i = 0;
  constructor(
    private readonly list: {
      file: 'memory.reclaim' | 'memory.high' | 'memory.max' | 'drop_caches';
      value: string;
    }[],
  ) {}
  limitBytes(): number {
    return NaN;
  }
  next(): ReturnType<AgentLogic['next']> {
    const w = this.list[this.i++];
    return w ? { kind: 'write', ...w } : { kind: 'exit' };
  }
  onResult(_ctx: AgentCtx, rec: WriteRecord): void {
    this.results.push(rec);
  }
}

function reclaimRc(profile: string, value: string): number {
  const s = new Scripted({ 'kernel.profile': profile });
  const cg = s.cgroup('test', null);
  s.process(cg, { name: 'cache', type: 'file', bytes: 8 * MB, initial: 8 * MB }, () => [{ op: 'hold' }]);
  const w = new Writes([{ file: 'memory.reclaim', value }]);
  s.agent(cg, w, 1e6);
  s.run(5e6);
  assert.equal(w.results.length, 1);
  return w.results[0]!.rc;
}

describe('memory.reclaim parsing and return codes (E5)', () => {
  it('accepts a size and returns 0 when it reclaims that much', () => {
    assert.equal(reclaimRc('v5_19', '1M'), 0);
    assert.equal(reclaimRc('current', '1M'), 0);
  });
  it('does not exist before 5.19 (-ENOENT)', () => {
    assert.equal(reclaimRc('legacy_5_8_to_5_10', '1M'), ENOENT);
    assert.equal(reclaimRc('pre_5_8_throttle', '1M'), ENOENT);
  });
  it('rejects "max", negative sizes and unknown keys (-EINVAL)', () => {
    assert.equal(reclaimRc('v5_19', 'max'), EINVAL);
    assert.equal(reclaimRc('current', 'max'), EINVAL);
    assert.equal(reclaimRc('current', '-1M'), EINVAL);
    assert.equal(reclaimRc('current', '1M nodes=0'), EINVAL);
  });
  it('takes swappiness=0..200|max on current kernels only', () => {
    assert.equal(reclaimRc('current', '1M swappiness=0'), 0);
    // Anon only: this cgroup holds page cache only, so there is nothing to take.
    assert.equal(reclaimRc('current', '1M swappiness=max'), EAGAIN);
    assert.equal(reclaimRc('current', '1M swappiness=201'), EINVAL);
    assert.equal(reclaimRc('v5_19', '1M swappiness=0'), EINVAL);
    assert.equal(reclaimRc('v6_6', '1M swappiness=60'), EINVAL);
  });
  it('returns -EAGAIN after MAX_RECLAIM_RETRIES + 1 calls that free nothing', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    const cg = s.cgroup('test', null, { swapMax: 0 });
    s.process(cg, { name: 'anon', type: 'anon', bytes: 8 * MB, initial: 8 * MB }, () => [{ op: 'hold' }]);
    const w = new Writes([{ file: 'memory.reclaim', value: '4M' }]);
    s.agent(cg, w, 1e6);
    s.sim.finalize();
    const before = s.sim.counters.reclaimCalls;
    s.run(5e6);
    assert.equal(w.results[0]!.rc, EAGAIN);
    assert.equal(s.sim.counters.reclaimCalls - before, 17);
    assert.equal(w.results[0]!.reclaimedPages, 0);
  });
  it('returns -EINTR when a signal arrives during a long write', () => {
    const s = new Scripted({ 'kernel.profile': 'v6_6', 'cost.compressor': 'zstd' });
    const cg = s.cgroup('test', null);
    s.process(cg, { name: 'anon', type: 'anon', bytes: 256 * MB, initial: 256 * MB }, () => [{ op: 'hold' }]);
    const w = new Writes([{ file: 'memory.reclaim', value: '200M' }]);
    // A write timeout is a signal that many µs into the write (oomd's memory_high_timeout_ms).
    s.agent(cg, w, 1e6, { timeoutUs: 50e3 });
    s.run(10e6);
    assert.equal(w.results[0]!.rc, EINTR);
    assert.ok(w.results[0]!.durationUs >= 50e3 && w.results[0]!.durationUs < 60e3);
  });
});

describe('the charge path (E1)', () => {
  it('charges the counter a batch at a time and serves the rest from the per-CPU stock', () => {
    const s = new Scripted({ 'kernel.MEMCG_CHARGE_BATCH': 32 });
    const cg = s.cgroup('test', null);
    const { task, region } = s.process(cg, { name: 'anon', type: 'anon', bytes: 1 * MB }, () => [
      { op: 'hold' },
    ]);
    s.sim.finalize();
    assert.equal(s.sim.chargeSlow(task, cg, 1), true);
    // One page in use, a batch of 32 on the counter, 31 in the stock.
    assert.equal(cg.usage, 32);
    assert.equal(s.sim.stockFor(cg), 31);
    assert.equal(s.sim.takeStock(task, cg, 40), 31);
    assert.equal(cg.usage, 32);
    void region;
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
});

describe('the high handler (E2)', () => {
  function stuck(profile: string): { calls: number; sleeps: number } {
    // 4M of mlocked anon with high at 1M: reclaim finds nothing and the overage is huge.
    const s = new Scripted({ 'kernel.profile': profile, 'kernel.MEMCG_CHARGE_BATCH': 32 });
    const cg = s.cgroup('test', null, { high: 1 * MB });
    const { task } = s.process(
      cg,
      { name: 'locked', type: 'anon', bytes: 4 * MB, initial: 4 * MB, mlocked: true },
      () => [{ op: 'hold' }],
    );
    s.sim.finalize();
    task.nrOverHigh = 32;
    task.notify = true;
    assert.equal(s.sim.highStart(task), true);
    const before = s.sim.counters.reclaimCalls;
    let steps = 0;
    while (!s.sim.highStep(task)) steps++;
    void steps;
    return { calls: s.sim.counters.reclaimCalls - before, sleeps: task.throttles };
  }
  it('keeps reclaiming for MAX_RECLAIM_RETRIES more passes without progress, then sleeps the clamped penalty', () => {
    const r = stuck('current');
    assert.equal(r.calls, 17);
    assert.equal(r.sleeps, 1);
  });
  it('before 5.8 it reclaims once and then sleeps', () => {
    const r = stuck('pre_5_8_throttle');
    assert.equal(r.calls, 1);
    assert.equal(r.sleeps, 1);
  });
});

describe('memory.high writes (E3)', () => {
  function highWrite(
    profile: string,
    nonblock: boolean,
  ): { rc: number; highDuring: number; agentCpu: number; usage: number } {
    const s = new Scripted({ 'kernel.profile': profile });
    const cg = s.cgroup('test', null);
    s.process(cg, { name: 'cold', type: 'anon', bytes: 64 * MB, initial: 64 * MB }, () => [{ op: 'hold' }]);
    const w = new Writes([{ file: 'memory.high', value: String(32 * MB) }]);
    const a = s.agent(cg, w, 1e6, { nonblock });
    let highDuring = -1;
    s.sim.finalize();
    // Step until the write has started, and read the limit while it runs.
    while (s.sim.now < 10e6 && w.results.length === 0) {
      s.run(s.sim.now + 100);
      if (a.inProgress() && highDuring < 0) highDuring = cg.high;
    }
    return { rc: w.results[0]!.rc, highDuring, agentCpu: a.task.time.reclaim, usage: cg.usage };
  }
  it('applies the limit first and reclaims in the writer until usage <= H (5.19, current)', () => {
    const r = highWrite('current', false);
    assert.equal(r.rc, 0);
    assert.equal(r.highDuring, (32 * MB) / 4096);
    assert.ok(r.usage <= (32 * MB) / 4096);
    assert.ok(r.agentCpu > 0);
  });
  it('reclaims first and applies the limit last on 5.8–5.10', () => {
    const r = highWrite('legacy_5_8_to_5_10', false);
    assert.equal(r.rc, 0);
    assert.equal(r.highDuring, Infinity);
  });
  it('O_NONBLOCK sets the limit and returns at once on current kernels, and is ignored on 5.19', () => {
    const cur = highWrite('current', true);
    assert.equal(cur.agentCpu, 0);
    assert.ok(cur.usage > (32 * MB) / 4096);
    const old = highWrite('v5_19', true);
    assert.ok(old.agentCpu > 0);
  });
  it('always reports success, even when nothing can be reclaimed', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    const cg = s.cgroup('test', null);
    s.process(cg, { name: 'locked', type: 'anon', bytes: 16 * MB, initial: 16 * MB, mlocked: true }, () => [
      { op: 'hold' },
    ]);
    const w = new Writes([{ file: 'memory.high', value: String(4 * MB) }]);
    s.agent(cg, w, 1e6);
    s.run(5e6);
    assert.equal(w.results[0]!.rc, 0);
    assert.equal(cg.high, (4 * MB) / 4096);
  });
});

describe('memory.high.tmp (Meta-internal) expires', () => {
  it('is in effect until its timeout, then memory.high applies again', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.sim.finalize();
    cg.highTmp = 100;
    cg.highTmpUntil = 20e6;
    assert.equal(cg.effectiveHigh(1e6), 100);
    assert.equal(cg.effectiveHigh(20e6), Infinity);
    cg.high = 50;
    assert.equal(cg.effectiveHigh(1e6), 50);
  });
});

describe('reclaim choices (A5, A6)', () => {
  it('swappiness=0 on memory.reclaim drops page cache and leaves anon alone', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    const cg = s.cgroup('test', null);
    s.process(cg, { name: 'cache', type: 'file', bytes: 16 * MB, initial: 16 * MB }, () => [{ op: 'hold' }]);
    s.process(cg, { name: 'anon', type: 'anon', bytes: 16 * MB, initial: 16 * MB }, () => [{ op: 'hold' }]);
    const w = new Writes([{ file: 'memory.reclaim', value: '24M swappiness=0' }]);
    s.agent(cg, w, 1e6);
    s.run(5e6);
    assert.equal(cg.statH('zswpout'), 0);
    assert.equal(cg.lruPages(1), 0);
    assert.equal(w.results[0]!.rc, EAGAIN);
  });
  it('swappiness=max reclaims anon only', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    const cg = s.cgroup('test', null);
    s.process(cg, { name: 'cache', type: 'file', bytes: 16 * MB, initial: 16 * MB }, () => [{ op: 'hold' }]);
    s.process(cg, { name: 'anon', type: 'anon', bytes: 16 * MB, initial: 16 * MB }, () => [{ op: 'hold' }]);
    const w = new Writes([{ file: 'memory.reclaim', value: '8M swappiness=max' }]);
    s.agent(cg, w, 1e6);
    s.run(5e6);
    assert.equal(cg.lruPages(1), (16 * MB) / 4096);
    assert.ok(cg.statH('zswpout') >= (8 * MB) / 4096);
  });
  it('charges the zswap pool to the cgroup since 5.19 and not before', () => {
    for (const [profile, charged] of [
      ['v5_19', true],
      ['legacy_5_8_to_5_10', false],
    ] as const) {
      const s = new Scripted({ 'kernel.profile': profile });
      const cg = s.cgroup('test', null);
      s.process(cg, { name: 'anon', type: 'anon', bytes: 16 * MB, initial: 16 * MB }, () => [{ op: 'hold' }]);
      s.sim.finalize();
      const t = new Task(99, 'r', cg, 0, null);
      s.sim.reclaimFor(t, cg, 2048, true, 1);
      assert.ok(cg.zswapEntries > 0);
      assert.equal(cg.zswapCharged > 0, charged, profile);
    }
  });
  it('skips a cgroup within memory.min entirely', () => {
    const s = new Scripted();
    const parent = s.cgroup('p', null);
    const a = s.cgroup('p/a', parent, { min: 64 * MB });
    const b = s.cgroup('p/b', parent);
    s.process(a, { name: 'cache', type: 'file', bytes: 16 * MB, initial: 16 * MB }, () => [{ op: 'hold' }]);
    s.process(b, { name: 'cache', type: 'file', bytes: 16 * MB, initial: 16 * MB }, () => [{ op: 'hold' }]);
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', parent, 0, null), parent, 2048, true, 1);
    assert.equal(a.usage, (16 * MB) / 4096);
    assert.ok(b.usage < (16 * MB) / 4096);
  });
  it('drop_caches drops clean page cache in every cgroup but no anon and no dirty pages', () => {
    const s = new Scripted();
    const a = s.cgroup('a', null);
    const b = s.cgroup('b', null);
    s.process(a, { name: 'cache', type: 'file', bytes: 8 * MB, initial: 8 * MB }, () => [{ op: 'hold' }]);
    s.process(b, { name: 'cache', type: 'file', bytes: 8 * MB, initial: 8 * MB }, () => [{ op: 'hold' }]);
    s.process(b, { name: 'anon', type: 'anon', bytes: 8 * MB, initial: 8 * MB }, () => [{ op: 'hold' }]);
    const w = new Writes([{ file: 'drop_caches', value: '1' }]);
    s.agent(a, w, 1e6);
    s.run(5e6);
    assert.equal(a.lruPages(1), 0);
    assert.equal(b.lruPages(1), 0);
    assert.equal(b.lruPages(0), (8 * MB) / 4096);
  });
  it('reclaim_until as the selftest writes it succeeds on a page-cache cgroup', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.process(cg, { name: 'cache', type: 'file', bytes: 64 * MB, initial: 64 * MB }, () => [{ op: 'hold' }]);
    const logic = new ReclaimUntil(16 * MB);
    s.agent(cg, logic, 1e6);
    s.run(5e6);
    assert.equal(logic.result, true);
    assert.ok(cg.usage * 4096 <= 16.5 * MB);
  });
});

describe('refaults (A6, A7)', () => {
  it('a hot page evicted and touched again soon comes back active and counts a restore and memstall', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    const { region, task } = s.process(
      cg,
      { name: 'anon', type: 'anon', bytes: 4 * MB, initial: 4 * MB },
      () => [{ op: 'hold' }],
    );
    s.sim.finalize();
    // Age everything through the active list so it carries the workingset flag, then reclaim it.
    const r = new Task(99, 'r', cg, 0, null);
    for (let i = 0; i < 8; i++) s.sim.reclaimFor(r, cg, 4096, true, 1);
    let p = -1;
    for (let i = 0; i < region.count; i++) if (s.sim.pgState[region.first + i] === 3) p = region.first + i;
    assert.ok(p >= 0, 'some page went to zswap');
    const before = task.seg.length;
    assert.equal(s.sim.faultIn(task, p), true);
    assert.equal(s.sim.pgState[p], 1);
    assert.equal(cg.statH('workingset_refault_anon'), 1);
    assert.equal(cg.statH('zswpin'), 1);
    assert.ok(task.seg.length > before);
  });
});
