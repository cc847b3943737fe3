/**
 * Running a scenario (src/model/scenario-run.ts): which parameters each arm gets (scenario size,
 * the arm's own settings, then the user's and --profile, which win), the errors for unknown names,
 * the run budget checked before anything runs, and the shape of the result.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParamError } from '../../src/model/params.ts';
import { SCENARIOS, findScenario } from '../../src/model/scenarios.ts';
import { overriddenKeys, resolveArms, runScenario, scenarioOrThrow } from '../../src/model/scenario-run.ts';

const fails = (f: () => unknown, text: RegExp): void =>
  assert.throws(f, (e: unknown) => e instanceof ParamError && text.test(e.message));

describe('scenarioOrThrow', () => {
  it('finds a scenario by id, in any case, and lists the valid ids otherwise', () => {
    assert.equal(scenarioOrThrow('s2').id, 'S2');
    fails(
      () => scenarioOrThrow('S99'),
      /unknown scenario "S99"; valid: S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11/,
    );
  });
});

describe('resolveArms', () => {
  const s3 = scenarioOrThrow('S3');
  it('gives each arm the scenario size, then its own settings', () => {
    const arms = resolveArms(s3);
    assert.deepEqual(
      arms.map((a) => [a.name, a.params['kernel.profile']]),
      [
        ['v5_19', 'v5_19'],
        ['v6_6', 'v6_6'],
        ['current', 'current'],
        ['tree-v5_19', 'v5_19'],
        ['tree-backoff', 'v5_19'],
      ],
    );
    // S3 full: 19.5G of cold anon; quick: 2432M.
    assert.equal(arms[0]?.params['workload.cold'], 19.5 * 2 ** 30);
    assert.equal(resolveArms(s3, { quick: true })[0]?.params['workload.cold'], 2432 * 2 ** 20);
  });
  it("lets --profile and the user's settings win over the arms' own", () => {
    // The tree arms set 32 children; the user's 2 win there too.
    const arms = resolveArms(s3, { quick: true, profile: 'current', set: { 'tree.children': 2 } });
    assert.ok(arms.every((a) => a.params['kernel.profile'] === 'current'));
    assert.ok(arms.every((a) => a.params['tree.children'] === 2));
  });
  it("runs only the arms asked for, in the scenario's order", () => {
    assert.deepEqual(
      resolveArms(s3, { arms: ['current', 'v5_19'] }).map((a) => a.name),
      ['v5_19', 'current'],
    );
  });
  it('names the valid arms or profiles for an unknown one', () => {
    fails(() => resolveArms(s3, { arms: ['nope'] }), /unknown arm "nope" of S3; valid: v5_19, v6_6, current/);
    fails(
      () => resolveArms(s3, { profile: 'v4_19' }),
      /unknown profile "v4_19"; valid: v5_4_to_5_5, v5_6, v5_7, legacy_5_8_to_5_10, v5_11_to_5_17, v5_18, v5_19, v6_0, v6_6, current/,
    );
  });
  it('refuses an oversized arm before running anything', () => {
    fails(() => resolveArms(s3, { set: { 'workload.cold': '1T' } }), /run too large/);
  });
  it('every arm of every scenario fits the run budgets at both sizes', () => {
    for (const s of SCENARIOS) {
      for (const quick of [false, true])
        assert.doesNotThrow(() => resolveArms(s, { quick }), `${s.id} ${quick ? 'quick' : 'full'}`);
    }
  });
});

describe('overriddenKeys', () => {
  it('lists, sorted, the keys the user set that some arm sets too', () => {
    const s2 = findScenario('S2');
    assert.ok(s2);
    assert.deepEqual(overriddenKeys(s2, { 'cost.compressor': 'lz4', 'agent.kind': 'tmo', 'sim.cpus': 2 }), [
      'agent.kind',
      'cost.compressor',
    ]);
    assert.deepEqual(overriddenKeys(s2, { 'sim.cpus': 2 }), []);
  });
});

describe('runScenario', () => {
  it('runs the chosen arms and reports the scenario, size, seed, findings and overridden keys', () => {
    const r = runScenario('S4', {
      quick: true,
      seed: 5,
      arms: ['high'],
      set: { 'agent.oneshotFile': 'memory.high' },
    });
    assert.equal(r.scenario.id, 'S4');
    assert.equal(r.size, 'quick');
    assert.equal(r.seed, 5);
    assert.deepEqual(
      r.arms.map((a) => a.name),
      ['high'],
    );
    assert.equal(r.findings.length, 1);
    assert.deepEqual(r.overridden, ['agent.oneshotFile']);
    assert.equal(r.arms[0]?.summary.durationS, 30, 'the quick size of S4 is 30 s');
  });
  it('runs with seed 1 at full size by default, and reports progress per arm', () => {
    const seen = new Set<number>();
    const r = runScenario('S4', {
      arms: ['reclaim'],
      set: { 'sim.duration': 12, 'workload.hot': '64M', 'workload.mlocked': '64M' },
      onProgress: (arm) => seen.add(arm),
    });
    assert.equal(r.seed, 1);
    assert.equal(r.size, 'full');
    assert.deepEqual([...seen], [0]);
  });
});
