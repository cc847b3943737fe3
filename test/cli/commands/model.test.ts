/**
 * `argmap model` (src/cli/commands/model.ts) through the CLI dispatcher: listing, runs in text,
 * JSON and CSV, validation, and bad input (unknown names get the valid ones, out-of-range values
 * get the range, oversized runs are refused up front, nothing prints NaN or Infinity). Moved here
 * from test/model/cli.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../../src/cli/main.ts';
import type { Io } from '../../../src/cli/command.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    cwd: process.cwd(),
  };
  const code = await main(['model', ...argv], io);
  return { code, out, err };
}

describe('argmap model list and params', () => {
  it('lists S1–S11 with their expected outcome and Message-IDs', async () => {
    const r = await run('list', '--json');
    assert.equal(r.code, 0);
    const all = JSON.parse(r.out) as {
      kind: string;
      id: string;
      expected: string;
      messageIds: string[];
      arms: unknown[];
    }[];
    const list = all.filter((s) => s.kind === 'catalog');
    assert.deepEqual(
      list.map((s) => s.id),
      ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11'],
    );
    for (const s of list) {
      assert.ok(s.expected.length > 20);
      assert.ok(s.messageIds.length >= 3, s.id);
      for (const id of s.messageIds) assert.match(id, /^[^<>\s]+@[^<>\s]+$/);
      assert.ok(s.arms.length >= 2);
    }
    const text = await run('list');
    assert.match(text.out, /S8 .*what-if, not kernel behaviour/);
    // The example scenario files follow, each with a path that exists and a way to run it.
    const files = all.filter((s) => s.kind === 'scenario-file') as unknown as {
      id: string;
      path: string;
      run: string;
    }[];
    assert.deepEqual(
      files.map((f) => f.id),
      ['F1', 'F2', 'F3', 'F4'],
    );
    for (const f of files) {
      assert.ok(existsSync(f.path), f.path);
      assert.equal(f.run, `argmap model run ${f.id}`);
      assert.ok(text.out.includes(f.path), f.path);
    }
  });

  it('runs an example scenario file by its id, with the job against its unconstrained twin', async () => {
    const r = await run('run', 'F1', '--json');
    assert.equal(r.code, 0, r.err);
    const res = JSON.parse(r.out) as { jobs: { cgroup: string; slowdown: number | null }[] };
    assert.equal(res.jobs.length, 1);
    assert.ok((res.jobs[0]?.slowdown ?? 0) > 0);
    const text = await run('run', 'F1');
    assert.match(
      text.out,
      /Jobs:\n {2}work\/batch \(work, 2 threads\): runtime [\d.]+ s, unconstrained [\d.]+ s, slowdown [\d.]+%/,
    );
  });

  it('lists every parameter with its unit, range and source', async () => {
    const r = await run('params', '--json');
    const ps = JSON.parse(r.out) as { key: string; source: string; help: string }[];
    for (const key of [
      'kernel.MEMCG_CHARGE_BATCH',
      'cost.t_compress',
      'workload.hot',
      'agent.maxProbe',
      'whatif.asyncZswap',
    ]) {
      assert.ok(
        ps.some((p) => p.key === key),
        key,
      );
    }
    assert.ok(ps.every((p) => p.help.length > 0));
  });
});

describe('argmap model run', () => {
  it('prints JSON with A10 summaries, series and findings, and no NaN or Infinity', async () => {
    const r = await run('run', 'S4', '--quick', '--json');
    assert.equal(r.code, 0, r.err);
    assert.ok(!/NaN|Infinity/.test(r.out));
    const res = JSON.parse(r.out) as {
      scenario: { id: string; messageIds: string[] };
      arms: {
        name: string;
        summary: { agent: { rc: Record<string, number> } };
        series: Record<string, unknown[]>;
      }[];
      findings: { text: string }[];
    };
    assert.equal(res.scenario.id, 'S4');
    assert.deepEqual(
      res.arms.map((a) => a.name),
      ['reclaim', 'high'],
    );
    // S4: memory.reclaim reports -EAGAIN, memory.high reports success.
    assert.equal(res.arms[0]?.summary.agent.rc.EAGAIN, 1);
    assert.equal(res.arms[1]?.summary.agent.rc.ok, 1);
    for (const key of ['t_s', 'usage_mib', 'high_mib', 'psi_some_pct', 'psi_full_pct', 'lat_max_us']) {
      assert.ok((res.arms[0]?.series[key]?.length ?? 0) > 10, key);
    }
    assert.equal(res.findings.length, 2);
  });

  it('prints the time series as CSV', async () => {
    const r = await run('run', 'S4', '--quick', '--arm', 'high', '--csv');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.ok(lines[0]?.startsWith('arm,t_s,usage_mib'));
    assert.ok(lines.length > 100);
    assert.ok(lines.slice(1).every((l) => l.startsWith('high,')));
  });

  it('applies --set, --profile and --seed, and is deterministic', async () => {
    const argv = ['run', 'S4', '--quick', '--arm', 'reclaim', '--profile', 'v5_19', '--seed', '7'];
    const a = await run(...argv, '--set', 'workload.churn=2M', '--json');
    const b = await run(...argv, '--set', 'workload.churn=2M', '--json');
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, b.out);
    const res = JSON.parse(a.out) as { seed: number; arms: { params: Record<string, unknown> }[] };
    assert.equal(res.seed, 7);
    assert.equal(res.arms[0]?.params['kernel.profile'], 'v5_19');
    assert.equal(res.arms[0]?.params['workload.churn'], 2 * 1024 * 1024);
  });

  it('notes when --set replaces what an arm sets', async () => {
    const r = await run('run', 'S4', '--quick', '--arm', 'high', '--set', 'agent.oneshotFile=memory.reclaim');
    assert.equal(r.code, 0);
    assert.match(r.err, /agent\.oneshotFile replaces/);
  });
});

describe('argmap model bad input', () => {
  const cases: [string[], RegExp][] = [
    [[], /subcommand: list, params, run, validate/],
    [['frobnicate'], /unknown model subcommand "frobnicate"; valid: list, params, run, validate/],
    [['run'], /needs a scenario; valid: S1, S2, .*S11/],
    [['run', 'S12'], /unknown scenario "S12"; valid: S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11/],
    [
      ['run', 'S1', '--profile', 'v4_19'],
      /unknown profile "v4_19"; valid: v5_4_to_5_5, v5_6, v5_7, legacy_5_8_to_5_10, v5_11_to_5_17, v5_18, v5_19, v6_0, v6_6, current/,
    ],
    [['run', 'S1', '--arm', 'Z'], /unknown arm "Z" of S1; valid: A, B, C, D/],
    [
      ['run', 'S1', '--set', 'kernel.swapiness=10'],
      /unknown parameter "kernel.swapiness"; valid: .*kernel\.\{.*swappiness/,
    ],
    [
      ['run', 'S1', '--set', 'kernel.swappiness=250'],
      /kernel\.swappiness=250: invalid value; allowed: 0 to 200/,
    ],
    [['run', 'S1', '--set', 'sim.cpus=0'], /sim\.cpus=0: invalid value; allowed: 1 to 1024/],
    [['run', 'S1', '--set=workload.hot=-4G'], /workload\.hot=-4G: invalid value; allowed: 0 to 64T/],
    [['run', 'S1', '--set', 'workload.hot=lots'], /workload\.hot=lots: invalid value/],
    [
      ['run', 'S1', '--set', 'kernel.profile=v2'],
      /kernel\.profile=v2: invalid value; allowed: one of v5_4_to_5_5, v5_6/,
    ],
    [['run', 'S1', '--set', 'swap.zswap=maybe'], /allowed: 0, 1, true or false/],
    [['run', 'S1', '--set', 'nokey'], /--set expects key=value/],
    [['run', 'S1', '--seed=-3'], /--seed must be an integer from 0 to 4294967295/],
    [['run', 'S1', '--json', '--csv'], /choose one of --json and --csv/],
    [['run', 'S1', '--set', 'workload.cold=300G'], /run too large: .* page-seconds, above the budget/],
    [['run', 'S1', '--set', 'sim.quantumUs=10'], /run too large: about .* workload steps/],
    [['run', 'S2', '--set', 'workload.rpcRate=500000'], /run too large: about .* workload steps/],
    [['validate', '--only', 'V99'], /unknown validation target "V99"; valid: V1, V1b/],
  ];
  for (const [argv, re] of cases) {
    it(`model ${argv.join(' ')}`, async () => {
      const r = await run(...argv);
      assert.equal(r.code, 2, r.out);
      assert.match(r.err, re);
      assert.equal(r.out, '');
    });
  }

  it('refuses an oversized run before simulating anything', async () => {
    const t0 = Date.now();
    const r = await run('run', 'S3', '--set', 'workload.cold=100G', '--set', 'sim.duration=3600');
    assert.equal(r.code, 2);
    assert.ok(Date.now() - t0 < 2000, 'the refusal came only after simulating');
  });
});

/** The real command, bin/argmap.js in its own process: stdout as bytes. */
function argmap(...argv: string[]): { code: number | null; out: Buffer; err: string } {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const r = spawnSync(process.execPath, [join(root, 'bin/argmap.js'), ...argv], { cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr.toString('utf8') };
}

describe('argmap model run --scenario-file in YAML', () => {
  it('prints byte-identical --json for fixed-job.yaml and fixed-job.json', () => {
    const json = argmap(
      'model',
      'run',
      '--scenario-file',
      'test/fixtures/scenarios/fixed-job.json',
      '--json',
    );
    const yaml = argmap(
      'model',
      'run',
      '--scenario-file',
      'test/fixtures/scenarios/fixed-job.yaml',
      '--json',
    );
    assert.equal(json.code, 0, json.err);
    assert.equal(yaml.code, 0, yaml.err);
    // A run, not an empty answer: F1's job, slowed by its memory.high.
    const res = JSON.parse(json.out.toString('utf8')) as { jobs: { cgroup: string; slowdown: number }[] };
    assert.equal(res.jobs[0]?.cgroup, 'work/batch');
    assert.ok((res.jobs[0]?.slowdown ?? 0) > 0.1);
    assert.ok(yaml.out.equals(json.out), 'the YAML twin prints other bytes than the JSON file');
  });

  it('names the line and column of a YAML error, and refuses a custom tag and an alias bomb', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argmap-yaml-'));
    try {
      const file = (name: string, text: string): string => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      const top = 'format: argmap-reclaim-scenario/1\nduration: 10\n';
      const bad = argmap(
        'model',
        'run',
        '--scenario-file',
        file('bad.yml', `${top}tree:\n  name: j\n  workload: [\n`),
      );
      assert.equal(bad.code, 2);
      assert.match(bad.err, /argmap model: \$: not valid YAML: line \d+, column \d+: /);
      const field = argmap(
        'model',
        'run',
        '--scenario-file',
        file('f.yaml', `${top}tree:\n  name: j\n  high: lots\n`),
      );
      assert.match(field.err, /\$\.tree\.high: must be a size .* \(line 5, column 9\)/);
      const tag = argmap(
        'model',
        'run',
        '--scenario-file',
        file('t.yaml', `${top}tree: !!js/function "f"\n`),
      );
      assert.equal(tag.code, 2);
      assert.match(tag.err, /line 3, column 7: tag !!js\/function refused/);
      const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 9; i++)
        lines.push(
          `a${i}: &a${i} [${Array(10)
            .fill(`*a${i - 1}`)
            .join(', ')}]`,
        );
      const bomb = argmap(
        'model',
        'run',
        '--scenario-file',
        file('bomb.txt', `${top}tree: {name: j}\n${lines.join('\n')}\n`),
      );
      assert.equal(bomb.code, 2);
      assert.match(bomb.err, /aliases expand past 32 copies \(maxYamlAliases\)/);
      assert.equal(bomb.out.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('argmap model validate', () => {
  it('prints expected against measured with pass/fail', async () => {
    const r = await run('validate', '--only', 'V1,V7,V15', '--json');
    assert.equal(r.code, 0, r.err);
    const res = JSON.parse(r.out) as {
      pass: boolean;
      rows: { id: string; pass: boolean; expected: string; measured: string }[];
    };
    assert.equal(res.pass, true);
    assert.deepEqual(
      res.rows.map((x) => x.id),
      ['V1', 'V7', 'V15'],
    );
    const text = await run('validate', '--only', 'V1b');
    assert.match(text.out, /PASS\s+V1b/);
    assert.match(text.out, /expected: 1 6 25 159 500/);
  });
});
