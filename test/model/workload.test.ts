/**
 * The workload thread (src/model/workload.ts): scripted operations, gradual allocation at a set
 * rate, short-lived churn that is freed at the end of each quantum, and RPC requests with their
 * latency against the SLO.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scripted } from '../../src/model/scripted.ts';
import { WorkloadStats, WorkloadThread, type RunShape, type ThreadOp } from '../../src/model/workload.ts';
import type { Memcg } from '../../src/model/memcg.ts';
import type { Region } from '../../src/model/task.ts';

/** A job cgroup with one process, its anon region, and one thread running `ops` with `shape`. */
function thread(
  shape: (r: Region) => RunShape,
  ops: (r: Region) => ThreadOp[],
  region: { pages: number; initial?: number; allocAtUs?: number; allocPerUs?: number },
): { s: Scripted; cg: Memcg; r: Region; w: WorkloadThread; stats: WorkloadStats } {
  const s = new Scripted();
  const cg = s.cgroup('job', null);
  const proc = s.sim.addProcess('job:app', cg);
  const r = s.sim.addRegion(proc, { name: 'burst', type: 'anon', hz: 0, ...region });
  const task = s.sim.addTask('job:t0', cg, proc);
  const stats = new WorkloadStats();
  const w = new WorkloadThread(task, ops(r), shape(r), stats, 1000);
  s.sim.addActor(w);
  return { s, cg, r, w, stats };
}

const NOTHING: RunShape = { access: [], gradual: [], churnPerUs: 0 };

describe('scripted operations', () => {
  it('sleep, alloc and exit run in order; exit frees the anon and the thread stops', () => {
    const { s, cg, r, w } = thread(
      () => NOTHING,
      (reg) => [{ op: 'sleep', us: 2e6 }, { op: 'alloc', region: reg, pages: 256 }, { op: 'exit' }],
      { pages: 512 },
    );
    s.run(1.5e6);
    assert.equal(r.allocated, 0, 'still asleep');
    s.run(4e6);
    assert.equal(r.allocated, 256, 'allocates only the pages asked for');
    assert.equal(r.process.alive, false);
    assert.equal(cg.usage, 0);
    assert.equal(w.nextTime, Infinity);
  });
  it('hold keeps the memory and never runs again', () => {
    const { s, cg, r } = thread(
      () => NOTHING,
      () => [{ op: 'hold' }],
      { pages: 256, initial: 256 },
    );
    s.run(3e6);
    assert.equal(r.allocated, 256);
    assert.equal(cg.usage, 256);
  });
});

describe("'run' mode", () => {
  it('allocates a gradual region from its start time at its rate until it is full', () => {
    // 1024 pages at 1024 per second of useful time, from t = 1 s.
    const { s, r } = thread(
      (reg) => ({ ...NOTHING, gradual: [reg] }),
      () => [{ op: 'run', untilUs: 4e6 }],
      {
        pages: 1024,
        allocAtUs: 1e6,
        allocPerUs: 1024 / 1e6,
      },
    );
    s.run(0.99e6);
    assert.equal(r.allocated, 0);
    s.run(1.5e6);
    assert.ok(r.allocated > 400 && r.allocated < 600, `${r.allocated} pages after half a second`);
    s.run(4e6);
    assert.equal(r.allocated, 1024);
  });
  it('charges short-lived churn during a quantum and uncharges it at the end', () => {
    // 1 page per µs of useful time: 1000 pages per 1 ms quantum, gone once the quantum is done.
    const { s, cg, w } = thread(
      () => ({ ...NOTHING, churnPerUs: 1 }),
      () => [{ op: 'run', untilUs: 0.5e6 }],
      { pages: 0 },
    );
    s.run(1e6);
    // Each quantum: 1000 µs of work plus 1000 minor faults at 0.25 µs, so 1250 µs; 400 fit in 0.5 s.
    assert.equal(w.task.time.useful, 400 * 1000);
    assert.equal(w.task.time.fault, 400 * 1000 * 0.25);
    assert.equal(cg.transient, 0);
    assert.equal(cg.usage - s.sim.stockFor(cg), 0, 'only charge stock is left on the counter');
    assert.ok(cg.statH('pgscan_direct') === 0, 'no reclaim was needed');
  });
  it('serves Poisson RPC arrivals and times each request against the SLO', () => {
    // 1000 requests per second for 2 s, 150 µs of work each, SLO 1 ms.
    const { s, stats } = thread(
      (reg) => ({
        ...NOTHING,
        rpc: { perUs: 1000 / 1e6, allocPages: 0, workUs: 150, touches: 0, hot: reg },
      }),
      () => [{ op: 'run', untilUs: 2e6 }],
      { pages: 0 },
    );
    stats.sloUs = 1000;
    s.run(3e6);
    assert.ok(Math.abs(stats.requests - 2000) < 200, `${stats.requests} requests`);
    assert.ok(
      stats.requestLatency.quantile(0.01) >= 150 * 0.94,
      'every request takes its work time at least',
    );
    assert.ok(stats.sloMisses < stats.requests * 0.05, `${stats.sloMisses} SLO misses on an idle machine`);
  });
});

describe('WorkloadStats', () => {
  it('starts empty with a 1 ms SLO', () => {
    const st = new WorkloadStats();
    assert.deepEqual(
      [st.requests, st.sloMisses, st.sloUs, st.intervalLatMax, st.intervalThrottles, st.intervalReqMax],
      [0, 0, 1000, 0, 0, 0],
    );
    assert.equal(st.requestLatency.count, 0);
  });
});
