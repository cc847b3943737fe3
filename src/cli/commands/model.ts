/**
 * `argmap model`: the reference reclaim model (memory.high against memory.reclaim).
 *   list                   the scenarios S1–S11 with the messages they test, and the example
 *                          scenario files F1–F4 (run them with run F1 or run --scenario-file PATH)
 *   params                 every parameter with unit, default, range and source
 *   run SCENARIO [...]     run a scenario's arms (summary, findings, time series)
 *   run --scenario-file F  run a scenario file (JSON or YAML): a cgroup tree, workloads, writes
 *                          (docs/model.md)
 *   validate               run the validation targets and compare with the spec's numbers
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command, Io, ParsedArgs } from '../command.ts';
import { flag, list, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import {
  PARAMS,
  ParamError,
  SCENARIOS,
  parseSetArgs,
  runScenario,
  runValidation,
  toCsv,
  VALIDATION_IDS,
  SCENARIO_LIMITS,
  ScenarioFileError,
  parseScenarioText,
  runTreeScenario,
  FILE_SCENARIOS,
  findFileScenario,
  type ArmResult,
  type ScenarioResult,
  type TreeRunResult,
} from '../../model/index.ts';

const SUBCOMMANDS = ['list', 'params', 'run', 'validate'] as const;

function parseSeed(args: ParsedArgs): number {
  const raw = str(args, 'seed');
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n > 0xffffffff) {
    throw new UserError(`--seed must be an integer from 0 to 4294967295, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** ParamErrors are the user's to fix: show them without a stack. */
function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ScenarioFileError)
      throw new UserError(e.message, 'see: docs/model.md, "Scenario files"');
    if (e instanceof ParamError) {
      const hint = /scenario|arm /.test(e.message) ? 'see: argmap model list' : 'see: argmap model params';
      throw new UserError(e.message, hint);
    }
    throw e;
  }
}

/** Print `value` as indented JSON on stdout. */
function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n');
}

function doList(args: ParsedArgs, io: Io): number {
  if (flag(args, 'json')) {
    printJson(io, [
      ...SCENARIOS.map((s) => ({
        kind: 'catalog',
        id: s.id,
        title: s.title,
        question: s.question,
        expected: s.expected,
        messageIds: s.messageIds,
        externalIds: s.externalIds ?? [],
        whatIf: s.whatIf === true,
        arms: s.arms.map((a) => ({ name: a.name, title: a.title })),
      })),
      ...FILE_SCENARIOS.map((f) => ({
        kind: 'scenario-file',
        id: f.id,
        name: f.name,
        title: String(f.doc.title ?? f.name),
        shows: f.shows,
        path: f.path,
        run: `argmap model run ${f.id}`,
      })),
    ]);
    return 0;
  }
  for (const s of SCENARIOS) {
    io.out(`${s.id}  ${s.title}${s.whatIf ? '  [what-if, not kernel behaviour]' : ''}\n`);
    io.out(`    expected: ${s.expected}\n`);
    io.out(`    arms: ${s.arms.map((a) => a.name).join(', ')}\n`);
    io.out(`    tests: ${s.messageIds.join(' ')}\n\n`);
  }
  io.out('Scenario files (argmap model run ID, or run --scenario-file PATH):\n');
  for (const f of FILE_SCENARIOS) io.out(`${f.id}  ${f.name}  ${f.path}\n    ${f.shows}\n`);
  return 0;
}

function doParams(args: ParsedArgs, io: Io): number {
  if (flag(args, 'json')) {
    printJson(
      io,
      PARAMS.map((p) => ({
        key: p.key,
        kind: p.kind,
        unit: p.unit,
        default: typeof p.def === 'function' ? 'derived' : p.def === Infinity ? 'max' : p.def,
        min: p.min,
        max: p.max,
        choices: p.choices,
        help: p.help,
        source: p.source,
      })),
    );
    return 0;
  }
  for (const p of PARAMS) {
    const def =
      typeof p.def === 'function' ? '(from profile/compressor)' : p.def === Infinity ? 'max' : String(p.def);
    const range = p.choices
      ? p.choices.join('|')
      : p.kind === 'bool'
        ? '0|1'
        : `${p.min ?? ''}..${p.max ?? ''}`;
    io.out(
      `${p.key.padEnd(36)} ${def.padEnd(26)} ${(p.unit || '-').padEnd(9)} ${range}\n    ${p.help} ${p.source}\n`,
    );
  }
  return 0;
}

function r(v: number | null | undefined, d = 1): string {
  return v === null || v === undefined ? '-' : v.toFixed(d);
}

function armLines(a: ArmResult): string[] {
  const s = a.summary;
  const lines = [
    `  [${a.name}] ${a.title}`,
    `      memory.current mean ${r(s.memory.usageMeanMiB, 0)} MiB, max ${r(s.memory.usageMaxMiB, 0)}, end ${r(s.memory.usageFinalMiB, 0)} (zswap ${r(s.memory.zswapFinalMiB, 0)})`,
    `      workload: reclaim ${r(s.workload.reclaimCpuMs, 0)} ms, ${s.workload.throttleCount} throttle sleeps (${r(s.workload.throttleMs, 0)} ms), charge p99 ${r(s.workload.chargeP99Us, 0)} µs, p99.9 ${r(s.workload.chargeP999Us, 0)} µs, max ${r(s.workload.chargeMaxUs, 0)} µs, useful ${r(100 * s.workload.usefulFraction, 1)}%`,
    `      events: high ${s.events.high ?? 0}, max ${s.events.max ?? 0}, oom ${s.events.oom ?? 0}; PSI some ${r(s.psi.someTotalMs, 0)} ms, full ${r(s.psi.fullTotalMs, 0)} ms, avg10 peak ${r(s.psi.someAvg10Max, 2)}%`,
  ];
  if (s.rpc)
    lines.push(
      `      requests: p50 ${r(s.rpc.p50Us, 0)} µs, p99 ${r(s.rpc.p99Us, 0)}, p99.9 ${r(s.rpc.p999Us, 0)}, SLO misses ${r(s.rpc.sloMissPct, 3)}%`,
    );
  if (s.agent) {
    const rc = Object.entries(s.agent.rc)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(
      `      agent ${s.agent.kind}: ${s.agent.writes} writes (${rc}), CPU ${r(s.agent.cpuMs, 0)} ms, asked ${r(s.agent.requestedMiB, 0)} MiB, freed ${r(s.agent.reclaimedMiB, 0)} MiB, slowest write ${r(s.agent.writeMaxMs, 1)} ms`,
    );
  }
  return lines;
}

function printRun(res: ScenarioResult, io: Io): void {
  const sc = res.scenario;
  io.out(
    `${sc.id} ${sc.title}${sc.whatIf ? '  [what-if, not kernel behaviour]' : ''}  (${res.size} size, seed ${res.seed})\n`,
  );
  io.out(`  question: ${sc.question}\n  expected: ${sc.expected}\n  tests: ${sc.messageIds.join(' ')}\n\n`);
  for (const a of res.arms) io.out(armLines(a).join('\n') + '\n');
  io.out('\nFindings:\n');
  for (const f of res.findings) io.out(`  - ${f.text}\n`);
}

function printTree(res: TreeRunResult, io: Io): void {
  io.out(
    `${res.title}  (scenario file, ${res.cgroupCount} cgroups, ${res.durationS} s, profile ${res.profile}, seed ${res.seed})\n`,
  );
  if (res.description) io.out(`  ${res.description}\n`);
  io.out(
    `  budget: ${res.budget.units.toExponential(2)} of ${res.budget.limit.toExponential(1)} work units\n\nWrites:\n`,
  );
  for (const w of res.writes) {
    io.out(
      `  ${r(w.t_s, 1)} s  ${w.file} ${w.value} at ${w.target}: ${w.rc}, ${r(w.ms, 1)} ms, asked ${r(w.requestedMiB, 1)} MiB, freed ${r(w.reclaimedMiB, 1)} MiB, scanned ${w.scannedPages} pages\n`,
    );
    const s = w.spread;
    if (s)
      io.out(
        `      over ${s.children} children (${s.untouched} gave nothing): freed MiB min ${r(s.reclaimedMiB.min, 2)} / median ${r(s.reclaimedMiB.median, 2)} / max ${r(s.reclaimedMiB.max, 2)}; share of size min ${r(100 * s.share.min, 2)}% / median ${r(100 * s.share.median, 2)}% / max ${r(100 * s.share.max, 2)}%\n`,
      );
  }
  if (res.jobs.length > 0) {
    io.out('\nJobs:\n');
    for (const j of res.jobs)
      io.out(
        `  ${j.cgroup} (${j.kind}, ${j.threads} ${j.kind === 'build' ? 'processes' : 'threads'}): runtime ${j.runtimeS === null ? `unfinished (${r(100 * j.progress, 1)}% done)` : `${r(j.runtimeS, 2)} s`}, unconstrained ${j.baselineRuntimeS === null ? '-' : `${r(j.baselineRuntimeS, 2)} s`}, slowdown ${j.slowdown === null ? '-' : `${r(100 * j.slowdown, 2)}%`}; refaults ${j.refaults}, PSI some ${r(j.psiSomePct, 3)}%\n`,
      );
    if (res.baselineMethod) io.out(`  (${res.baselineMethod})\n`);
  }
  if (res.controller) {
    const c = res.controller;
    io.out(
      `\nController ${c.kind} on ${c.cgroup}: ${c.writes} writes, asked ${r(c.requestedMiB, 1)} MiB, freed ${r(c.reclaimedMiB, 1)} MiB, CPU ${r(c.cpuMs, 0)} ms\n`,
    );
  }
  if (res.sweep) {
    const sw = res.sweep;
    io.out(
      `\nSweep of ${sw.key} (${sw.cgroup}; without the controller ${r(sw.referenceUsageMeanMiB, 1)} MiB on average over ${r(sw.windowS, 1)} s):\n`,
    );
    for (const pt of sw.points)
      io.out(
        `  ${String(pt.value).padStart(8)}  saved ${r(pt.savedMiB, 1)} MiB (${r(pt.savedPct, 2)}%), slowdown ${pt.slowdown === null ? '-' : `${r(100 * pt.slowdown, 2)}%`}, PSI some ${r(pt.psiSomePct, 3)}%, refaults ${pt.refaults}\n`,
      );
    io.out(`  (${sw.method})\n`);
  }
  io.out('\nCgroups (end of run):\n');
  for (const c of res.cgroups) {
    const scan = c.pgscan.direct + c.pgscan.proactive + c.pgscan.limit;
    const steal = c.pgsteal.direct + c.pgsteal.proactive + c.pgsteal.limit;
    io.out(
      `  ${c.name.padEnd(28)} usage ${r(c.usageFinalMiB, 1)} MiB (peak ${r(c.usagePeakMiB, 1)}), zswap ${r(c.zswapFinalMiB, 1)}, scanned ${scan}, freed ${steal} pages, refaults ${c.refaults}, reclaim ${r(c.reclaimCpuMs, 0)} ms, throttled ${r(c.throttleMs, 0)} ms\n`,
    );
  }
}

/** Read a scenario file, refusing one above the size limit before reading it. */
function readScenarioFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new UserError(`cannot read scenario file ${JSON.stringify(path)}`);
  }
  if (size > SCENARIO_LIMITS.maxFileBytes)
    throw new UserError(
      `scenario file ${path} is ${size} bytes, above the limit of ${SCENARIO_LIMITS.maxFileBytes}`,
    );
  return readFileSync(path, 'utf8');
}

async function doRunFile(path: string, args: ParsedArgs, io: Io, builtIn?: string): Promise<number> {
  if (builtIn === undefined && args.positionals[1])
    throw new UserError('give either a scenario id or --scenario-file, not both');
  if (flag(args, 'csv'))
    throw new UserError('--csv is for catalog scenarios; use --json with --scenario-file');
  for (const opt of ['arm', 'profile', 'quick'] as const) {
    const given =
      opt === 'quick'
        ? flag(args, opt)
        : opt === 'arm'
          ? list(args, opt).length > 0
          : str(args, opt) !== undefined;
    if (given) throw new UserError(`--${opt} does not apply to --scenario-file (set it in the file)`);
  }
  const text = builtIn ?? readScenarioFile(path);
  // The path's extension says YAML (.yaml, .yml); otherwise the content decides.
  const file = guard(() => parseScenarioText(text, path).file);
  const set = guard(() => parseSetArgs(list(args, 'set')));
  const seedRaw = str(args, 'seed');
  let lastReport = 0;
  const res = guard(() =>
    runTreeScenario(file, {
      ...(seedRaw !== undefined ? { seed: parseSeed(args) } : {}),
      set: set as Record<string, string | number | boolean>,
      onProgress: (t) => {
        if (!io.isTTY || Date.now() - lastReport < 500) return;
        lastReport = Date.now();
        io.err(`\r  ${(t / 1e6).toFixed(0)} s simulated   `);
      },
    }),
  );
  if (io.isTTY) io.err('\r' + ' '.repeat(40) + '\r');
  if (flag(args, 'json')) io.out(JSON.stringify(res) + '\n');
  else printTree(res, io);
  return 0;
}

async function doRun(args: ParsedArgs, io: Io): Promise<number> {
  const filePath = str(args, 'scenario-file');
  if (filePath !== undefined) return doRunFile(filePath, args, io);
  const id = args.positionals[1];
  const example = id ? findFileScenario(id) : undefined;
  if (example) return doRunFile(example.path, args, io, JSON.stringify(example.doc));
  if (!id)
    throw new UserError(
      `model run needs a scenario; valid: ${SCENARIOS.map((s) => s.id).join(', ')}`,
      'see: argmap model list',
    );
  if (flag(args, 'json') && flag(args, 'csv')) throw new UserError('choose one of --json and --csv');
  const seed = parseSeed(args);
  const set = guard(() => parseSetArgs(list(args, 'set')));
  const arms = list(args, 'arm');
  const profile = str(args, 'profile');
  let lastReport = 0;
  const res = guard(() =>
    runScenario(id, {
      seed,
      set,
      quick: flag(args, 'quick'),
      ...(profile !== undefined ? { profile } : {}),
      ...(arms.length ? { arms } : {}),
      onProgress: (arm, t) => {
        if (!io.isTTY || Date.now() - lastReport < 500) return;
        lastReport = Date.now();
        io.err(`\r  arm ${arm + 1}: ${(t / 1e6).toFixed(0)} s simulated   `);
      },
    }),
  );
  if (io.isTTY) io.err('\r' + ' '.repeat(40) + '\r');
  for (const k of res.overridden) io.err(`note: --set ${k} replaces what the scenario's arms set\n`);
  if (flag(args, 'json')) io.out(JSON.stringify(res) + '\n');
  else if (flag(args, 'csv')) io.out(toCsv(res.arms));
  else printRun(res, io);
  return 0;
}

function doValidate(args: ParsedArgs, io: Io): number {
  const only = str(args, 'only');
  let ids: string[] = [...VALIDATION_IDS];
  if (only !== undefined) {
    ids = only.split(',').map((x) => x.trim());
    for (const id of ids) {
      if (!VALIDATION_IDS.includes(id)) {
        throw new UserError(
          `unknown validation target ${JSON.stringify(id)}; valid: ${VALIDATION_IDS.join(', ')}`,
        );
      }
    }
  }
  const rows = runValidation(ids);
  const failed = rows.filter((x) => !x.pass).length;
  if (flag(args, 'json')) {
    printJson(io, { pass: failed === 0, failed, rows });
    return failed === 0 ? 0 : 1;
  }
  for (const row of rows) {
    io.out(`${row.pass ? 'PASS' : 'FAIL'}  ${row.id.padEnd(4)} ${row.target}\n`);
    io.out(
      `      expected: ${row.expected}\n      measured: ${row.measured}\n      tolerance: ${row.tolerance}   source: ${row.source}\n`,
    );
  }
  io.out(`\n${rows.length - failed} of ${rows.length} checks pass${failed ? `; ${failed} fail` : ''}\n`);
  return failed === 0 ? 0 : 1;
}

export const modelCommand: Command = {
  name: 'model',
  summary: 'run the reference reclaim model: memory.high against memory.reclaim',
  usage: [
    'model list [--json]',
    'model params [--json]',
    'model run SCENARIO [--profile P] [--seed N] [--set key=value ...] [--arm NAME ...] [--quick] [--json | --csv]',
    'model run --scenario-file FILE [--seed N] [--set key=value ...] [--json]',
    'model validate [--only V1,V2b] [--json]',
  ].join('\n'),
  description: [
    'A discrete-event simulation of one memory cgroup tree at page granularity (docs/model.md).',
    'Scenarios S1-S11 put the arguments of the 2020 memory.reclaim thread to the test; each names',
    'the Message-IDs it tests. --set overrides any parameter (see `argmap model params`) for every',
    'arm; --quick uses the smaller size the web page runs. validate exits 1 if a check fails.',
  ].join('\n'),
  examples: [
    ['argmap model list', 'the scenarios and the messages they test'],
    ['argmap model run S1 --quick', 'memory.high vs memory.reclaim under a burst, small size'],
    ['argmap model run S2 --arm high-zstd --arm reclaim-zstd --json', 'two arms of S2 as JSON'],
    ['argmap model run S4 --profile v5_19 --set workload.mlocked=1G --csv', 'time series as CSV'],
    [
      'argmap model run --scenario-file test/fixtures/scenarios/hundred-services.json --json',
      'a cgroup tree from a file: every cgroup, and the spread across siblings per write',
    ],
    [
      'argmap model run --scenario-file test/fixtures/scenarios/fixed-job.yaml',
      'the same format in YAML (.yaml, .yml, or any text that is not JSON)',
    ],
    ['argmap model validate', 'expected against measured for every validation target'],
  ],
  options: {
    profile: {
      type: 'string',
      arg: 'P',
      help: 'kernel profile for every arm: v5_4_to_5_5, v5_6, v5_7, legacy_5_8_to_5_10, v5_11_to_5_17, v5_18, v5_19, v6_0, v6_6, current',
    },
    seed: { type: 'string', arg: 'N', help: 'random seed (default 1); a run is deterministic for its seed' },
    set: {
      type: 'string',
      multiple: true,
      arg: 'KEY=VALUE',
      help: 'override a parameter (argmap model params lists them)',
    },
    arm: { type: 'string', multiple: true, arg: 'NAME', help: 'run only this arm' },
    'scenario-file': {
      type: 'string',
      arg: 'FILE',
      help: 'run a scenario file (JSON or YAML: cgroup tree, workloads, writes, profile; docs/model.md)',
    },
    quick: { type: 'boolean', help: 'the smaller size the page runs' },
    csv: { type: 'boolean', help: 'print the time series as CSV' },
    only: { type: 'string', arg: 'IDS', help: 'validate only these targets (comma-separated)' },
  },
  allowPositionals: true,
  async run(args: ParsedArgs, io: Io): Promise<number> {
    const sub = args.positionals[0];
    switch (sub) {
      case 'list':
        return doList(args, io);
      case 'params':
        return doParams(args, io);
      case 'run':
        return doRun(args, io);
      case 'validate':
        return doValidate(args, io);
      default:
        throw new UserError(
          sub === undefined
            ? `model needs a subcommand: ${SUBCOMMANDS.join(', ')}`
            : `unknown model subcommand ${JSON.stringify(sub)}; valid: ${SUBCOMMANDS.join(', ')}`,
          'see: argmap model --help',
        );
    }
  },
};
