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
