/**
 * Running scenario files (src/model/tree-run.ts): every cgroup is reported, each write's per-child
 * figures add up to what the write freed, the spread is the min/median/max of those figures, reclaim
 * started at a parent's memory.high reaches the siblings of the child that allocates, and the run
 * budget refuses what it cannot afford.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenarioFile, SCENARIO_FORMAT } from '../../src/model/scenario-file.ts';
import { runTreeScenario, TREE_RUN_BUDGET_UNITS, type TreeWriteResult } from '../../src/model/tree-run.ts';
import { ParamError } from '../../src/model/params.ts';

const file = (patch: Record<string, unknown>) =>
  parseScenarioFile(
    JSON.stringify({
      format: SCENARIO_FORMAT,
      duration: 20,
      set: { 'sim.quantumUs': 5000, 'sim.sampleMs': 500 },
      tree: {
        name: 'p',
        children: [
          { name: 'c', count: 8, workload: { hot: '2M', cold: '6M', file: '4M', fileHz: 0.5, threads: 1 } },
        ],
      },
      ...patch,
    }),
  );

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? (s[(n - 1) / 2] ?? 0) : ((s[n / 2 - 1] ?? 0) + (s[n / 2] ?? 0)) / 2;
};

function checkSpread(w: TreeWriteResult): void {
  const kids = w.children ?? [];
  assert.ok(w.spread);
  const got = kids.map((k) => k.reclaimedMiB);
  // The children and the target's own lruvec account for all the write freed.
  const sum = got.reduce((a, b) => a + b, 0) + w.spread.ownReclaimedMiB;
  assert.ok(Math.abs(sum - w.reclaimedMiB) < 0.01 * kids.length + 0.01, `${sum} vs ${w.reclaimedMiB}`);
  assert.equal(w.spread.reclaimedMiB.min, Math.min(...got));
  assert.equal(w.spread.reclaimedMiB.max, Math.max(...got));
  assert.ok(Math.abs(w.spread.reclaimedMiB.median - median(got)) < 0.002);
  assert.equal(w.spread.untouched, got.filter((x) => x === 0).length);
  for (const k of kids) {
    if (k.sizeMiB > 0) assert.ok(Math.abs(k.share - k.reclaimedMiB / k.sizeMiB) < 1e-4, k.name);
    assert.ok(
      k.scannedPages * 4096 >= k.reclaimedMiB * 2 ** 20 - 1,
      `${k.name} freed no more than it scanned`,
    );
  }
}

describe('scenario file runs', () => {
  it('reports every cgroup and, per write, children that add up to the total', () => {
    const f = file({
      writes: [
        { at: 5, cgroup: 'p', file: 'memory.reclaim', value: '16M' },
        { at: 8, file: 'global', value: '8M', reclaimer: 'kswapd' },
        { at: 11, file: 'global', value: '4M', reclaimer: 'direct' },
      ],
    });
    const r = runTreeScenario(f);
    assert.deepEqual(
      r.cgroups.map((c) => c.name),
      f.nodes.map((n) => n.path),
    );
    assert.equal(r.writes.length, 3);
    for (const w of r.writes) {
      assert.equal(w.rc, 'ok', JSON.stringify(w));
      assert.ok(w.reclaimedMiB >= w.requestedMiB, `${w.file} freed what it asked`);
    }
    checkSpread(r.writes[0] as TreeWriteResult);
    // Global reclaim's children are the root's: the tree's top cgroup and the writer's own.
    const g = r.writes[1] as TreeWriteResult;
    assert.equal(g.target, '/');
    assert.deepEqual((g.children ?? []).map((c) => c.name).sort(), ['p', 'script']);
    checkSpread(g);
  });

  it('a parent over memory.high reclaims from the siblings of the child that allocates', () => {
    const f = parseScenarioFile(
      JSON.stringify({
        format: SCENARIO_FORMAT,
        duration: 20,
        set: { 'sim.quantumUs': 5000, 'kernel.memcgWalk': 'partial' },
        tree: {
          name: 'p',
          high: '100M',
          children: [
            { name: 'grow', workload: { hot: '1M', growth: '40M', growthAt: 2, growthSecs: 4, threads: 1 } },
            { name: 'idle', count: 8, workload: { cold: '10M', file: '2M', threads: 0 } },
          ],
        },
      }),
    );
    const r = runTreeScenario(f);
    const grow = r.cgroups.find((c) => c.name === 'p/grow');
    const idle = r.cgroups.filter((c) => c.name.startsWith('p/idle'));
    const top = r.cgroups[0];
    // memory.events counts "high" at the level that is over its limit: the parent.
    assert.ok(top && top.events.high > 0, 'the grower pushes the parent over memory.high');
    assert.ok(grow);
    assert.ok(grow.reclaimCpuMs > 0, 'and reclaims in its own context');
    // The idle siblings never allocate, yet lose pages to direct reclaim started at the parent.
    assert.ok(
      idle.every((c) => c.pgsteal.direct > 0),
      JSON.stringify(idle.map((c) => c.pgsteal)),
    );
    assert.ok(idle.every((c) => c.threads === 0 && c.reclaimCpuMs === 0));
    assert.ok(top.usageFinalMiB <= 100 + 2);
  });

  it('refuses a run above its budget before building anything', () => {
    const f = file({ duration: '24h', set: { 'sim.quantumUs': 10 } });
    assert.throws(
      () => runTreeScenario(f),
      (e: unknown) => e instanceof ParamError && /scenario too large/.test(e.message),
    );
    assert.ok(TREE_RUN_BUDGET_UNITS > 0);
  });
});

describe('fixed-work jobs', () => {
  const jobFile = (high: string, duration = 30, work = '10s') =>
    parseScenarioFile(
      JSON.stringify({
        format: SCENARIO_FORMAT,
        duration,
        set: { 'sim.quantumUs': 5000, 'sim.sampleMs': 500 },
        tree: {
          name: 'p',
          children: [
            {
              name: 'job',
              high,
              workload: {
                hot: '8M',
                hotHz: 2,
                cold: '8M',
                growth: '32M',
                growthHz: 1,
                growthSecs: 4,
                threads: 2,
                work,
              },
            },
          ],
        },
      }),
    );

  it('an unconstrained job takes its work plus one minor fault per page it allocates', () => {
    const res = runTreeScenario(jobFile('max'));
    const j = res.jobs[0];
    assert.ok(j);
    // By hand: 32M = 8192 pages split over 2 threads, 4096 minor faults of 0.25 µs each per thread.
    const expected = 10 + (4096 * 0.25) / 1e6;
    assert.ok(j.runtimeS !== null && Math.abs(j.runtimeS - expected) < 2e-4, `runtime ${j.runtimeS}`);
    assert.equal(j.progress, 1);
    assert.equal(j.refaults, 0);
    // Its twin is the same run: no slowdown.
    assert.equal(j.slowdown, 0);
    assert.match(res.baselineMethod ?? '', /unconstrained twin/);
  });

  it('memory.high below the footprint slows the job down, with refaults and PSI the twin has not', () => {
    const res = runTreeScenario(jobFile('24M'));
    const j = res.jobs[0];
    assert.ok(j && j.runtimeS !== null && j.baselineRuntimeS !== null && j.slowdown !== null);
    assert.ok(j.runtimeS > j.baselineRuntimeS, `${j.runtimeS} vs ${j.baselineRuntimeS}`);
    assert.ok(Math.abs(j.slowdown - (j.runtimeS / j.baselineRuntimeS - 1)) < 1e-3);
    assert.ok(j.refaults > 0 && j.baselineRefaults === 0);
    assert.ok(j.psiSomePct > 0 && j.baselinePsiSomePct === 0);
    // The job exited: its anonymous memory is gone.
    const c = res.cgroups.find((x) => x.name === 'p/job');
    assert.ok(c && c.anonFinalMiB === 0, `anon left ${c?.anonFinalMiB}`);
  });

  it('a job the run ends before reports its progress and no runtime', () => {
    const res = runTreeScenario(jobFile('max', 5, '10s'));
    const j = res.jobs[0];
    assert.ok(j);
    assert.equal(j.runtimeS, null);
    assert.equal(j.slowdown, null);
    // Five of its ten seconds, less the fault time.
    assert.ok(j.progress > 0.49 && j.progress <= 0.5, `progress ${j.progress}`);
  });

  it('the twin can be skipped', () => {
    const res = runTreeScenario(jobFile('max'), { baseline: false });
    assert.equal(res.baselineMethod, null);
    assert.equal(res.jobs[0]?.baselineRuntimeS, null);
  });
});

describe('build workloads', () => {
  const buildFile = (high: string, set: Record<string, unknown> = {}, duration = 20) =>
    parseScenarioFile(
      JSON.stringify({
        format: SCENARIO_FORMAT,
        duration,
        set: { 'sim.quantumUs': 2000, 'sim.sampleMs': 500, ...set },
        tree: {
          name: 'ci',
          children: [
            {
              name: 'b',
              high,
              workload: {
                build: {
                  procs: 8,
                  parallel: 2,
                  cpu: '0.5s',
                  anon: '4M',
                  write: '1M',
                  sources: '8M',
                  read: '2M',
                },
              },
            },
          ],
        },
      }),
    );

  it('runs procs/parallel rounds of compiles: unconstrained, each costs its CPU and a minor fault per page', () => {
    const res = runTreeScenario(buildFile('max'));
    const j = res.jobs[0];
    assert.ok(j && j.kind === 'build');
    assert.equal(j.threads, 8);
    // By hand: 4 rounds of (0.5 s + (1024 anon + 256 written pages) × 0.25 µs).
    const expected = 4 * (0.5 + (1280 * 0.25) / 1e6);
    assert.ok(j.runtimeS !== null && Math.abs(j.runtimeS - expected) < 2e-4, `runtime ${j.runtimeS}`);
    const c = res.cgroups.find((x) => x.name === 'ci/b');
    assert.ok(c);
    // The compiles exited: no anon left; the sources and their 8 x 1M of output stay in page cache.
    assert.equal(c.anonFinalMiB, 0);
    assert.equal(c.fileFinalMiB, 16);
    // The output is below the background threshold of a 16 GiB machine and younger than the 30 s
    // expiry at the end of a 20 s run: none of it has been written.
    assert.equal(c.dirtyFinalMiB + c.writebackFinalMiB, 8);
    assert.equal(c.writtenMiB, 0);
  });

  it('under memory.high the flusher writes early, for the memcg domain is over its background threshold', () => {
    const res = runTreeScenario(buildFile('16M'));
    const j = res.jobs[0];
    assert.ok(j && j.runtimeS !== null && j.baselineRuntimeS !== null);
    assert.ok(j.runtimeS > j.baselineRuntimeS);
    const c = res.cgroups.find((x) => x.name === 'ci/b');
    assert.ok(c);
    assert.ok(c.writtenMiB > 0, 'background writeback of the memcg domain');
  });

  it('on a slow device reclaim meets the dirty output, and the writers sleep at the memcg dirty limit', () => {
    const res = runTreeScenario(buildFile('12M', { 'cost.writeback_bw': '1M' }));
    const c = res.cgroups.find((x) => x.name === 'ci/b');
    assert.ok(c);
    assert.ok(c.vmscanImmediate > 0, 'dirty pages met by reclaim');
    assert.ok(c.dirtyPauseMs > 0, 'balance_dirty_pages() slept');
    const j = res.jobs[0];
    assert.ok(j && j.slowdown !== null && j.slowdown > 0.5, `slowdown ${j?.slowdown}`);
  });

  it('refuses a build with threads or work of its own', () => {
    assert.throws(
      () =>
        parseScenarioFile(
          JSON.stringify({
            format: SCENARIO_FORMAT,
            duration: 5,
            tree: { name: 'b', workload: { threads: 2, build: { procs: 2, cpu: 1 } } },
          }),
        ),
      (e: Error) => e.message.startsWith('$.tree.workload.build:'),
    );
  });
});

describe('controllers and sweeps', () => {
  const ctlFile = (extra: Record<string, unknown> = {}) =>
    parseScenarioFile(
      JSON.stringify({
        format: SCENARIO_FORMAT,
        duration: 40,
        set: { 'sim.quantumUs': 10000, 'sim.sampleMs': 500 },
        tree: {
          name: 's',
          children: [
            {
              name: 'app',
              workload: {
                hot: '8M',
                hotHz: 5,
                cold: '16M',
                coldAged: true,
                file: '8M',
                fileHz: 0.2,
                threads: 1,
                work: '30s',
              },
            },
          ],
        },
        controller: {
          cgroup: 's/app',
          kind: 'tmo',
          set: {
            'agent.tick': 1,
            'agent.interval': 1,
            'agent.tmoRatio': 0.05,
            'agent.tmoPsiPct': 1,
            'agent.start': 1,
          },
        },
        ...extra,
      }),
    );

  it('runs the controller on its cgroup: it writes memory.reclaim and the cgroup holds less', () => {
    const res = runTreeScenario(ctlFile());
    assert.ok(res.controller);
    assert.equal(res.controller.kind, 'tmo');
    assert.ok(res.controller.writes > 0 && res.controller.reclaimedMiB > 0);
    const u = res.series.controlled_usage_mib ?? [];
    assert.equal(u.length, res.series.t_s.length);
    // Without the controller the cgroup keeps its 32M: every sample of the run with it is at most that.
    assert.ok(u.every((x) => x <= 32 + 1e-9));
    assert.ok((u[u.length - 1] ?? 32) < 32);
  });

  it('sweeps a parameter: each point against the run without the controller, in one window', () => {
    const res = runTreeScenario(ctlFile({ sweep: { key: 'agent.tmoPsiPct', values: [0.0001, 100] } }));
    const sw = res.sweep;
    assert.ok(sw);
    assert.equal(sw.points.length, 2);
    assert.equal(sw.reference.value, null);
    assert.equal(sw.reference.savedMiB, 0);
    assert.equal(sw.reference.controllerWrites, 0);
    // The window is the job's unconstrained runtime: 30 s of work plus nothing else to wait for.
    assert.ok(Math.abs(sw.windowS - 30) < 0.01, `window ${sw.windowS}`);
    for (const pt of sw.points) {
      assert.ok(Math.abs(pt.savedMiB - (sw.referenceUsageMeanMiB - pt.usageMeanMiB)) < 0.002);
      assert.ok(pt.slowdown !== null && pt.slowdown >= 0);
    }
    // The TMO law reclaims current x ratio x max(0, 1 - psi/threshold): a threshold far above any
    // pressure reclaims at the full ratio, one far below almost never.
    const [low, high] = sw.points as [(typeof sw.points)[0], (typeof sw.points)[0]];
    assert.ok(high.savedMiB > low.savedMiB, `${high.savedMiB} vs ${low.savedMiB}`);
    assert.ok(high.controllerReclaimedMiB > low.controllerReclaimedMiB);
  });

  it('counts every run of a sweep in the budget', () => {
    const one = runTreeScenario(ctlFile(), { baseline: false });
    const swept = runTreeScenario(ctlFile({ sweep: { key: 'agent.tmoPsiPct', values: [0.1, 1, 10] } }));
    // main + twin + reference + 3 values.
    assert.equal(swept.budget.units, one.budget.units * 6);
  });
});
