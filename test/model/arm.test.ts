/**
 * One arm (src/model/arm.ts): the simulation built from parameters (the job and its children, the
 * workload's regions and threads, the neighbour, the agent), the page census, the sampler's time
 * series and the summary of a run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRun, memBreakdown, pageCensus, runArm } from '../../src/model/arm.ts';
import { resolveParams, type ParamOverrides } from '../../src/model/params.ts';
import { SERIES } from '../../src/model/series.ts';

/** 4 KiB pages per MiB. */
const PPM = 256;
const SMALL: ParamOverrides = {
  'workload.threads': 2,
  'workload.hot': '8M',
  'workload.cold': '8M',
  'workload.file': '4M',
  'workload.mlocked': '4M',
  'workload.burst': '4M',
  'workload.burstAt': 1,
  'workload.burstSecs': 1,
  'sim.duration': 3,
};

describe('buildRun', () => {
  it('builds a job with the workload limits, an agent cgroup, and the regions resident as asked', () => {
    const b = buildRun(resolveParams({ ...SMALL, 'workload.high': '16M', 'workload.max': '64M' }), 1);
    assert.equal(b.job.name, 'job');
    assert.equal(b.job.high, 16 * PPM);
    assert.equal(b.job.max, 64 * PPM);
    assert.deepEqual(
      b.sim.memcgs.map((m) => m.name),
      ['/', 'job', 'agent'],
    );
    assert.equal(b.jobTasks.length, 2);
    assert.equal(b.threads.length, 2);
    // Hot, cold and file are resident from the start; mlocked is unevictable; the burst comes later.
    assert.deepEqual(pageCensus(b.sim), {
      free: 4 * PPM,
      lru: (8 + 8 + 4) * PPM,
      unevictable: 4 * PPM,
      zswap: 0,
      swap: 0,
      evicted: 0,
      inflight: 0,
    });
    assert.equal(b.job.usage, 24 * PPM);
    assert.deepEqual(memBreakdown(b.job), { anon: 20 * PPM, file: 4 * PPM, diskSwap: 0, zswapEntries: 0 });
  });
  it('gives every child its own workload and threads, with the burst in one child only', () => {
    const b = buildRun(
      resolveParams({ ...SMALL, 'tree.children': 3, 'tree.childThreads': 1, 'tree.burstChild': 1 }),
      1,
    );
    assert.deepEqual(
      b.children.map((c) => c.name),
      ['job/c0', 'job/c1', 'job/c2'],
    );
    assert.equal(b.jobTasks.length, 3);
    assert.deepEqual(
      b.jobTasks.map((t) => t.memcg.name),
      ['job/c0', 'job/c1', 'job/c2'],
    );
    const bursts = b.sim.regions.filter((r) => r.name === 'burst');
    assert.equal(bursts.length, 1);
    assert.equal(bursts[0]?.memcg.name, 'job/c1');
    assert.equal(b.job.usage, 3 * 24 * PPM);
  });
  it('adds the neighbour only when it has page cache, and an agent task only when there is an agent', () => {
    const plain = buildRun(resolveParams(SMALL), 1);
    assert.equal(plain.agent, null);
    assert.equal(
      plain.sim.memcgs.find((m) => m.name === 'neighbour'),
      undefined,
    );
    const both = buildRun(resolveParams({ ...SMALL, 'neighbour.file': '2M', 'agent.kind': 'tmo' }), 1);
    const nb = both.sim.memcgs.find((m) => m.name === 'neighbour');
    assert.equal(nb?.usage, 2 * PPM);
    assert.equal(both.agent?.logic.name, 'tmo');
    assert.equal(both.agent?.task.memcg.name, 'agent');
    const inJob = buildRun(resolveParams({ ...SMALL, 'agent.kind': 'tmo', 'agent.inJob': true }), 1);
    assert.equal(inJob.agent?.task.memcg.name, 'job');
  });
  it('refuses a run over the budget before building anything', () => {
    assert.throws(() => buildRun(resolveParams({ 'workload.cold': '1T' }), 1), /run too large/);
  });
});

describe('runArm', () => {
  it('samples every series every sim.sampleMs for the whole run', () => {
    const r = runArm(resolveParams({ ...SMALL, 'sim.sampleMs': 250 }), 1, 'x', 'title');
    assert.deepEqual(
      Object.keys(r.series),
      SERIES.map((s) => s.key),
    );
    // 3 s at 250 ms: samples at 0.25, 0.5, ..., 3.
    assert.deepEqual(
      r.series.t_s,
      Array.from({ length: 12 }, (_, i) => (i + 1) * 0.25),
    );
    for (const s of SERIES) assert.equal(r.series[s.key]?.length, 12, s.key);
    // No limit: memory.high reads as null ("max").
    assert.ok(r.series.high_mib?.every((v) => v === null));
  });
  it('summarizes the run: the burst arrives, nothing is reclaimed without pressure, all numbers finite', () => {
    const r = runArm(resolveParams(SMALL), 1, 'x', 'title');
    assert.equal(r.name, 'x');
    assert.equal(r.title, 'title');
    assert.equal(r.summary.durationS, 3);
    assert.equal(r.summary.profile, 'current');
    assert.equal(r.summary.memory.usageFinalMiB, 28, '24 MiB resident plus the 4 MiB burst');
    assert.equal(r.summary.memory.highFinalMiB, null);
    assert.equal(r.summary.workload.threads, 2);
    assert.equal(r.summary.workload.reclaimCpuMs, 0);
    assert.equal(r.summary.events.high, 0);
    assert.equal(r.summary.agent, null);
    assert.equal(r.summary.rpc, null);
    assert.equal(r.params['workload.high'], 'max');
    assert.ok(!/NaN|Infinity/.test(JSON.stringify(r)));
  });
  it('is deterministic for a seed', () => {
    const p = resolveParams({ ...SMALL, 'workload.high': '20M', 'workload.hotHz': 5 });
    assert.equal(JSON.stringify(runArm(p, 4)), JSON.stringify(runArm(p, 4)));
  });
});
