/**
 * Control-file writes (src/model/syscalls.ts) as the kernel runs them in the writer's context
 * (reclaim-model.md E3–E5): memory.reclaim parsing and return codes per profile, the memory.high
 * write orders and O_NONBLOCK, memory.max down to the OOM killer, memory.swap.max and drop_caches.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scripted, Writes } from '../../src/model/scripted.ts';
import { writesOn } from './writes-on.ts';
import type { AgentCtx } from '../../src/model/agents.ts';
import {
  EAGAIN,
  EINTR,
  EINVAL,
  ENOENT,
  parseLimit,
  rcName,
  type WriteRecord,
} from '../../src/model/syscalls.ts';

const MB = 1 << 20;
/** 4 KiB pages per MiB. */
const PPM = 256;

const CACHE_8M = { name: 'cache', type: 'file', bytes: 8 * MB } as const;

function reclaimRc(profile: string, value: string): number {
  return writesOn({ 'kernel.profile': profile }, [CACHE_8M], [{ file: 'memory.reclaim', value }]).first.rc;
}

describe('return codes', () => {
  it('are the negated Linux errno values, named for output', () => {
    // include/uapi/asm-generic/errno-base.h: ENOENT 2, EINTR 4, EAGAIN 11, EINVAL 22.
    assert.deepEqual([ENOENT, EINTR, EAGAIN, EINVAL], [-2, -4, -11, -22]);
    assert.deepEqual(
      [0, EAGAIN, EINTR, EINVAL, ENOENT, -5].map(rcName),
      'ok EAGAIN EINTR EINVAL ENOENT -5'.split(' '),
    );
  });
});

describe('memory.reclaim parsing and return codes (E5)', () => {
  it('accepts a size and returns 0 when it reclaims that much', () => {
    assert.equal(reclaimRc('v5_19', '1M'), 0);
    assert.equal(reclaimRc('current', '1M'), 0);
  });
  it('does not exist before 5.19 (-ENOENT)', () => {
    assert.equal(reclaimRc('legacy_5_8_to_5_10', '1M'), ENOENT);
    for (const p of ['v5_4_to_5_5', 'v5_6', 'v5_7', 'v5_11_to_5_17', 'v5_18'])
      assert.equal(reclaimRc(p, '1M'), ENOENT, p);
  });
  it('rejects "max", negative sizes and unknown keys (-EINVAL)', () => {
    assert.equal(reclaimRc('v5_19', 'max'), EINVAL);
    assert.equal(reclaimRc('current', 'max'), EINVAL);
    assert.equal(reclaimRc('current', '-1M'), EINVAL);
    assert.equal(reclaimRc('current', '1M nodes=0'), EINVAL);
  });
  it('never takes nodes=: 12a5d3955227 was reverted (55ab834a86a9) before any release had it', () => {
    for (const p of ['v5_19', 'v6_0', 'v6_6', 'current']) assert.equal(reclaimRc(p, '1M nodes=0'), EINVAL, p);
  });
  it('takes swappiness=0..200|max on current kernels only', () => {
    assert.equal(reclaimRc('current', '1M swappiness=0'), 0);
    // Anon only: this cgroup holds page cache only, so there is nothing to take.
    assert.equal(reclaimRc('current', '1M swappiness=max'), EAGAIN);
    assert.equal(reclaimRc('current', '1M swappiness=201'), EINVAL);
    assert.equal(reclaimRc('v5_19', '1M swappiness=0'), EINVAL);
    assert.equal(reclaimRc('v6_0', '1M swappiness=0'), EINVAL);
    assert.equal(reclaimRc('v6_6', '1M swappiness=60'), EINVAL);
  });
  it('returns -EAGAIN after MAX_RECLAIM_RETRIES + 1 calls that free nothing', () => {
    // Nothing else reclaims here, so every reclaim call of the run is the write's.
    const { s, first } = writesOn(
      { 'kernel.profile': 'current' },
      [{ name: 'anon', type: 'anon', bytes: 8 * MB }],
      [{ file: 'memory.reclaim', value: '4M' }],
      { limits: { swapMax: 0 } },
    );
    assert.equal(first.rc, EAGAIN);
    assert.equal(s.sim.counters.reclaimCalls, 17);
    assert.equal(first.reclaimedPages, 0);
  });
  it('returns -EINTR when a signal arrives during a long write', () => {
    // A write timeout is a signal that many µs into the write (oomd's memory_high_timeout_ms).
    const { first } = writesOn(
      { 'kernel.profile': 'v6_6', 'cost.compressor': 'zstd' },
      [{ name: 'anon', type: 'anon', bytes: 256 * MB }],
      [{ file: 'memory.reclaim', value: '200M' }],
      { untilUs: 10e6, timeoutUs: 50e3 },
    );
    assert.equal(first.rc, EINTR);
    assert.ok(first.durationUs >= 50e3 && first.durationUs < 60e3);
  });
  it('changes no limit and records what it was asked for in pages', () => {
    const { cg, first } = writesOn(
      { 'kernel.profile': 'current' },
      [CACHE_8M],
      [{ file: 'memory.reclaim', value: '2M' }],
    );
    assert.equal(first.requestedPages, 2 * PPM);
    assert.ok(first.reclaimedPages >= 2 * PPM);
    assert.equal(cg.high, Infinity);
    assert.equal(cg.max, Infinity);
  });
});

describe('memory.high writes (E3)', () => {
  function highWrite(
    profile: string,
    nonblock: boolean,
  ): { rc: number; highDuring: number; agentCpu: number; usage: number } {
    const s = new Scripted({ 'kernel.profile': profile });
    const cg = s.cgroup('test', null);
    s.resident(cg, { name: 'cold', type: 'anon', bytes: 64 * MB });
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
  it('applies the limit first and reclaims in the writer until usage <= H (5.11+, e82553c10b08)', () => {
    for (const profile of ['v5_11_to_5_17', 'v5_19', 'current']) {
      const r = highWrite(profile, false);
      assert.equal(r.rc, 0, profile);
      assert.equal(r.highDuring, 32 * PPM, profile);
      assert.ok(r.usage <= 32 * PPM, profile);
      assert.ok(r.agentCpu > 0, profile);
    }
  });
  it('before 5.8 applies the limit and makes one reclaim call, draining no charge stock', () => {
    /** Reclaim calls of the write and the pages left in the job's charge stock after it. */
    const write = (profile: string): { calls: number; stock: number; rc: number } => {
      const s = new Scripted({ 'kernel.profile': profile, 'kernel.MEMCG_CHARGE_BATCH': 32 });
      const cg = s.cgroup('test', null);
      s.resident(cg, { name: 'cold', type: 'anon', bytes: 64 * MB });
      // One page charged by a running task leaves 31 in its CPU's stock.
      s.allocating(cg, { name: 'new', type: 'anon', bytes: 4096 }, 'hold');
      const w = new Writes([{ file: 'memory.high', value: String(32 * MB) }]);
      s.agent(cg, w, 1e6);
      s.run(0.5e6);
      assert.equal(s.sim.stockFor(cg), 31, profile);
      const before = s.sim.counters.reclaimCalls;
      s.run(5e6);
      return { calls: s.sim.counters.reclaimCalls - before, stock: s.sim.stockFor(cg), rc: w.results[0]!.rc };
    };
    for (const profile of ['v5_4_to_5_5', 'v5_6', 'v5_7']) {
      assert.deepEqual(write(profile), { calls: 1, stock: 31, rc: 0 }, profile);
    }
    // From 5.8 the writer drains the stocks first (536d3bf261a2, kept by the 5.11 revert).
    for (const profile of ['legacy_5_8_to_5_10', 'v5_11_to_5_17', 'current']) {
      assert.equal(write(profile).stock, 0, profile);
    }
  });
  it('reclaims first and applies the limit last on 5.8–5.10', () => {
    const r = highWrite('legacy_5_8_to_5_10', false);
    assert.equal(r.rc, 0);
    assert.equal(r.highDuring, Infinity);
  });
  it('O_NONBLOCK sets the limit and returns at once on current kernels, and is ignored on 5.19', () => {
    const cur = highWrite('current', true);
    assert.equal(cur.agentCpu, 0);
    assert.ok(cur.usage > 32 * PPM);
    const old = highWrite('v5_19', true);
    assert.ok(old.agentCpu > 0);
  });
  it('always reports success, even when nothing can be reclaimed', () => {
    const { cg, first } = writesOn(
      { 'kernel.profile': 'current' },
      [{ name: 'locked', type: 'anon', bytes: 16 * MB, mlocked: true }],
      [{ file: 'memory.high', value: String(4 * MB) }],
    );
    assert.equal(first.rc, 0);
    assert.equal(cg.high, 4 * PPM);
  });
});

describe('memory.reclaim on a dying cgroup', () => {
  it('returns -EAGAIN at once on current kernels (posted 2026) and reclaims on 6.6', () => {
    const rc = (profile: string): number => {
      const s = new Scripted({ 'kernel.profile': profile });
      const cg = s.cgroup('test', null);
      s.resident(cg, CACHE_8M);
      cg.dying = true;
      const w = new Writes([{ file: 'memory.reclaim', value: '1M' }]);
      s.agent(cg, w, 1e6);
      s.run(5e6);
      return w.results[0]!.rc;
    };
    assert.equal(rc('current'), EAGAIN);
    assert.equal(rc('v6_6'), 0);
  });
});

describe('memory.high and memory.max values', () => {
  it('parse as bytes rounded down to pages, or "max"', () => {
    assert.equal(parseLimit('max'), Infinity);
    assert.equal(parseLimit('1M'), 256);
    assert.equal(parseLimit(' 8K '), 2);
    assert.equal(parseLimit('4097'), 1);
    assert.equal(parseLimit('4095'), 0);
    assert.equal(parseLimit('-1'), null);
    assert.equal(parseLimit('lots'), null);
  });
  it('a bad value fails the write with -EINVAL and leaves the limit alone', () => {
    const { cg, first } = writesOn({}, [], [{ file: 'memory.high', value: 'lots' }]);
    assert.equal(first.rc, EINVAL);
    assert.equal(cg.high, Infinity);
  });
});

describe('memory.max writes (E4)', () => {
  it('set the limit, and when reclaim cannot get under it, OOM-kill until usage fits', () => {
    // 16M of mlocked anon cannot be reclaimed, so a 4M memory.max ends in the OOM killer.
    const { s, cg, first } = writesOn(
      { 'kernel.profile': 'current' },
      [{ name: 'locked', type: 'anon', bytes: 16 * MB, mlocked: true }],
      [{ file: 'memory.max', value: '4M' }],
    );
    assert.equal(first.rc, 0);
    assert.equal(cg.max, 4 * PPM);
    assert.equal(cg.eventsH('oom_kill'), 1);
    assert.equal(s.sim.processes[0]?.alive, false);
    assert.ok(cg.usage <= 4 * PPM);
  });
  it('reclaim page cache instead when there is enough of it', () => {
    const { cg, first } = writesOn(
      { 'kernel.profile': 'current' },
      [{ name: 'cache', type: 'file', bytes: 16 * MB }],
      [{ file: 'memory.max', value: '4M' }],
    );
    assert.equal(first.rc, 0);
    assert.ok(cg.usage <= 4 * PPM);
    assert.equal(cg.eventsH('oom'), 0);
  });
});

describe('memory.swap.max and drop_caches', () => {
  it('memory.swap.max takes effect at once, in pages', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    // swap.max as each write returns.
    const seen: number[] = [];
    class Watched extends Writes {
      override onResult(ctx: AgentCtx, rec: WriteRecord): void {
        super.onResult(ctx, rec);
        seen.push(cg.swapMax);
      }
    }
    const w = new Watched([
      { file: 'memory.swap.max', value: '1M' },
      { file: 'memory.swap.max', value: '0' },
      { file: 'memory.swap.max', value: 'max' },
    ]);
    s.agent(cg, w, 1e6);
    s.run(2e6);
    assert.deepEqual(seen, [256, 0, Infinity]);
    assert.deepEqual(
      w.results.map((r) => r.rc),
      [0, 0, 0],
    );
  });
  it('drop_caches drops clean page cache in every cgroup but no anon', () => {
    const s = new Scripted();
    const a = s.cgroup('a', null);
    const b = s.cgroup('b', null);
    s.resident(a, { name: 'cache', type: 'file', bytes: 8 * MB });
    s.resident(b, { name: 'cache', type: 'file', bytes: 8 * MB });
    s.resident(b, { name: 'anon', type: 'anon', bytes: 8 * MB });
    const w = new Writes([{ file: 'drop_caches', value: '1' }]);
    s.agent(a, w, 1e6);
    s.run(5e6);
    assert.equal(a.lruPages(1), 0);
    assert.equal(b.lruPages(1), 0);
    assert.equal(b.lruPages(0), 8 * PPM);
    assert.equal(w.results[0]!.reclaimedPages, 16 * PPM);
  });
});
