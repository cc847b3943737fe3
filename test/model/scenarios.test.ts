/**
 * The scenarios (src/model/scenarios.ts): the presets and their layers, the catalog the site links
 * to, and every scenario run at its quick size with its expected outcome holding (the direction of
 * each claim, as reclaim-model.md section (c) states it). docs/model.md reports the full-size figures.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario, type ScenarioResult } from '../../src/model/index.ts';
import type { ArmResult } from '../../src/model/arm.ts';
import { SCENARIOS, armLayers, findScenario, scenarioCatalog } from '../../src/model/scenarios.ts';
import { resolveParams } from '../../src/model/params.ts';

function arm(r: ScenarioResult, name: string): ArmResult['summary'] {
  const a = r.arms.find((x) => x.name === name);
  assert.ok(a, `arm ${name}`);
  return a.summary;
}

describe('the presets', () => {
  it('are S1–S11, each naming what it tests, with unique arm names and two of them to compare', () => {
    assert.deepEqual(
      SCENARIOS.map((x) => x.id),
      ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11'],
    );
    for (const sc of SCENARIOS) {
      const names = sc.arms.map((a) => a.name);
      assert.equal(new Set(names).size, names.length, sc.id);
      assert.ok(names.includes(sc.compare[0]) && names.includes(sc.compare[1]), sc.id);
      assert.ok(sc.messageIds.length > 0, sc.id);
    }
    assert.equal(
      SCENARIOS.filter((x) => x.whatIf)
        .map((x) => x.id)
        .join(),
      'S8',
    );
  });
  it('findScenario takes any case and returns nothing for an unknown id', () => {
    assert.equal(findScenario('s10')?.id, 'S10');
    assert.equal(findScenario('S12'), undefined);
  });
  it('layers the full size, the quick size, the arm, then the user, later layers winning', () => {
    const s1 = findScenario('S1');
    const armA = s1?.arms[0];
    assert.ok(s1 && armA);
    const full = resolveParams(...armLayers(s1, armA, false, {}));
    assert.equal(full['workload.hot'], 2 * 2 ** 30, 'the common setup: 2G hot');
    assert.equal(full['workload.burst'], 2 ** 30, 'S1: a 1 GiB burst');
    assert.equal(full['agent.kind'], 'senpai', 'arm A');
    const quick = resolveParams(...armLayers(s1, armA, true, { 'workload.burst': '64M' }));
    assert.equal(quick['workload.hot'], 512 * 2 ** 20, 'quick: 512M hot');
    assert.equal(quick['workload.burst'], 64 * 2 ** 20, 'the user wins');
    assert.equal(quick['sim.duration'], 360, 'what the quick size does not set stays');
  });
  it('exports a catalog for the site with model.html#scenario= links', () => {
    const cat = scenarioCatalog();
    assert.equal(cat.length, SCENARIOS.length);
    assert.equal(cat[1]?.href, 'model.html#scenario=S2');
    assert.equal(scenarioCatalog('../model.html')[0]?.href, '../model.html#scenario=S1');
    assert.ok(cat.every((c) => c.messageIds.length > 0 && c.expected.length > 0));
  });
});

describe('scenarios at the quick size', () => {
  it('S1: memory.high arms reclaim in the workload and show PSI; memory.reclaim arms do not', () => {
    const r = runScenario('S1', { quick: true });
    for (const n of ['A', 'B']) {
      assert.ok(arm(r, n).events.high! > 0, n);
      assert.ok(arm(r, n).whoPays.workloadReclaimMs > 0, n);
      assert.ok(arm(r, n).psi.someTotalMs > 0, n);
    }
    for (const n of ['C', 'D']) {
      assert.equal(arm(r, n).events.high, 0, n);
      assert.equal(arm(r, n).whoPays.workloadReclaimMs, 0, n);
      assert.equal(arm(r, n).psi.someTotalMs, 0, n);
    }
    // Senpai on memory.high exposes the burst far more than a poke whose window is short.
    assert.ok(arm(r, 'A').whoPays.workloadReclaimMs > arm(r, 'B').whoPays.workloadReclaimMs);
    assert.equal(r.findings.length, 4);
  });

  it('S2: memory.high pokes put reclaim into requests (worse with zstd); memory.reclaim does not', () => {
    const r = runScenario('S2', {
      quick: true,
      arms: ['high-lzo', 'reclaim-lzo', 'high-zstd', 'reclaim-zstd'],
    });
    assert.ok(arm(r, 'high-lzo').whoPays.workloadReclaimMs > 0);
    assert.equal(arm(r, 'reclaim-lzo').whoPays.workloadReclaimMs, 0);
    assert.equal(arm(r, 'reclaim-zstd').whoPays.workloadReclaimMs, 0);
    const hz = arm(r, 'high-zstd').rpc!;
    const rz = arm(r, 'reclaim-zstd').rpc!;
    assert.ok(hz.p999Us > 2 * rz.p999Us, `${hz.p999Us} vs ${rz.p999Us}`);
    assert.ok(hz.p999Us >= 1000, 'zstd hiccups reach milliseconds');
    assert.ok(arm(r, 'high-zstd').whoPays.workloadReclaimMs > arm(r, 'high-lzo').whoPays.workloadReclaimMs);
  });

  it('S3: whole-remainder calls over-reclaim more than 32-page or quarter batches; back-off keeps the long run near 1', () => {
    const r = runScenario('S3', { quick: true });
    const ratio = (n: string): number => arm(r, n).agent!.reclaimedOverRequested!;
    assert.ok(ratio('v5_19') > ratio('v6_6') && ratio('v5_19') > ratio('current'));
    assert.ok(Math.abs(ratio('current') - 1) < 0.02);
    assert.ok(ratio('tree-v5_19') > 1.05);
    const finding = r.findings.find((f) => f.text.startsWith('tree-backoff'))!.text;
    const longRun = Number(/= ([\d.]+)$/.exec(finding)?.[1]);
    assert.ok(longRun > 0.8 && longRun < 1.25, finding);
  });

  it('S4: memory.reclaim returns -EAGAIN and leaves the job alone; memory.high succeeds and then sleeps 2 s per batch', () => {
    const r = runScenario('S4', { quick: true });
    assert.equal(r.arms[0]!.writes[0]!.rc, 'EAGAIN');
    assert.equal(arm(r, 'reclaim').workload.throttleCount, 0);
    assert.equal(r.arms[1]!.writes[0]!.rc, 'ok');
    const high = arm(r, 'high').workload;
    assert.ok(high.throttleCount > 5);
    assert.equal(high.throttleMs / high.throttleCount, 2000);
  });

  it('S5: after the crash memory.high keeps costing the job, memory.high.tmp stops, memory.reclaim leaves nothing', () => {
    const r = runScenario('S5', { quick: true });
    const cost = (n: string): number => arm(r, n).whoPays.workloadReclaimMs + arm(r, n).workload.throttleMs;
    assert.ok(cost('high') > 5 * cost('high.tmp'), `${cost('high')} vs ${cost('high.tmp')}`);
    assert.equal(cost('reclaim'), 0);
    assert.ok(arm(r, 'high').memory.highFinalMiB !== null);
    assert.equal(arm(r, 'reclaim').memory.highFinalMiB, null);
  });

  it('S6: legacy writers pay for the whole growth; current kernels bill the job; O_NONBLOCK returns at once', () => {
    const r = runScenario('S6', { quick: true });
    const legacy = arm(r, 'legacy');
    const cur = arm(r, 'current');
    assert.ok(r.arms[0]!.writes[0]!.ms > r.arms[1]!.writes[0]!.ms);
    assert.ok(legacy.whoPays.agentReclaimMs > 0 && legacy.whoPays.workloadReclaimMs === 0);
    assert.ok(cur.whoPays.workloadReclaimMs > cur.whoPays.agentReclaimMs);
    assert.ok(r.arms[2]!.writes[0]!.ms < 0.01, 'the O_NONBLOCK write costs only the syscall');
    assert.equal(arm(r, 'nonblock').whoPays.agentReclaimMs, 0);
  });

  it('S7: swappiness=0 spares anon; drop_caches also empties the neighbour', () => {
    const r = runScenario('S7', { quick: true });
    assert.equal(arm(r, 'current-sw0').stats.zswpout, 0);
    assert.equal(arm(r, 'v5_19-noswap').stats.zswpout, 0);
    assert.ok(arm(r, 'drop_caches').neighbour!.droppedMiB > 100);
    for (const n of ['current-sw0', 'v5_19', 'v5_19-noswap'])
      assert.equal(arm(r, n).neighbour!.droppedMiB, 0, n);
    assert.ok(arm(r, 'drop_caches').neighbour!.refaults > 0);
  });

  it('S8 (what-if): async compression trades short stalls for longer ones', () => {
    const r = runScenario('S8', { quick: true });
    const sync = arm(r, 'S1-A-sync').workload;
    const asyn = arm(r, 'S1-A-async').workload;
    assert.ok(asyn.chargeP999Us < sync.chargeP999Us, 'typical in-line stall shorter');
    assert.ok(asyn.chargeMaxUs > sync.chargeMaxUs, 'worst stall longer');
    assert.ok(arm(r, 'S2-high-async').rpc!.p999Us > arm(r, 'S2-high-sync').rpc!.p999Us);
    assert.equal(r.scenario.whatIf, true);
  });

  it('S9: uswapd keeps slow bursts out of the high handler, not fast ones', () => {
    const r = runScenario('S9', { quick: true });
    assert.ok(arm(r, 'none-2s').events.high! > 0);
    assert.ok(arm(r, 'uswapd-2s').events.high! > 0);
    assert.equal(arm(r, 'uswapd-32s').events.high, 0);
    assert.ok(r.findings.some((f) => f.text.startsWith('crossover')));
  });

  it('S10: v6.6 batches cut throughput about threefold and the tuned agent times out', () => {
    const r = runScenario('S10', { quick: true });
    const rate = (n: string): number => {
      const ag = arm(r, n).agent!;
      return ag.reclaimedMiB / ag.cpuMs;
    };
    assert.ok(rate('v5_19') / rate('v6_6') >= 2.5, `${rate('v5_19') / rate('v6_6')}`);
    assert.equal(arm(r, 'v5_19').agent!.rc.EINTR ?? 0, 0);
    assert.ok((arm(r, 'v6_6').agent!.rc.EINTR ?? 0) > 0);
  });

  it('S11: the parent limit makes the sibling reclaim too; memory.reclaim on the parent takes from both', () => {
    const r = runScenario('S11', { quick: true });
    const [c0, c1] = arm(r, 'high').children;
    assert.ok(c0!.reclaimCpuMs > 0 && c1!.reclaimCpuMs > 0, 'both children reclaim in their own allocations');
    const [d0, d1] = arm(r, 'reclaim').children;
    assert.equal(d0!.reclaimCpuMs + d1!.reclaimCpuMs, 0);
    assert.ok(d0!.reclaimedMiB > 0 && d1!.reclaimedMiB > 0);
  });
});
