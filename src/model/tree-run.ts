/**
 * Run a scenario file (scenario-file.ts): build its cgroup tree with a workload per cgroup, a
 * writer task outside the tree that performs the file's writes in time order, and report every
 * cgroup's statistics and, per write, what each child of the target gave (requested, that is the
 * scan quota get_scan_count() set, vs scanned vs reclaimed) with the spread across siblings.
 */
import type { Memcg } from './memcg.ts';
import { PAGE_SIZE } from './formulas.ts';
import { bool, num, paramsForOutput, resolveParams, ParamError, type Params } from './params.ts';
import { AgentActor, makeAgentLogic } from './agents.ts';
import { ReclaimLedger } from './reclaim.ts';
import { Simulator, type Actor } from './sim.ts';
import {
  EINVAL,
  FailedWrite,
  GlobalReclaim,
  HighWrite,
  MaxWrite,
  ProtectionWrite,
  memoryReclaim,
  parseLimit,
  rcName,
  type Syscall,
} from './syscalls.ts';
import type { Region, Task } from './task.ts';
import { pagesToMiB, parseBytes, round } from './units.ts';
import {
  BuildSlot,
  FixedJob,
  WorkloadStats,
  WorkloadThread,
  type RunShape,
  type ThreadOp,
} from './workload.ts';
import type { TreeBuild } from './scenario-file.ts';
import { parseScenarioFile, type ScenarioFile, type TreeWrite } from './scenario-file.ts';

/**
 * The run budget of a scenario file, in work units: one per workload-thread quantum, one per
 * expected access to unmapped page cache (each moves a page), one per resident page at start, and
 * the reclaim the writes ask for (pages requested, times 4 for the scans around them). Measured
 * on test/fixtures/scenarios/hundred-services.json (docs/benchmarks.md): an hour over 129 cgroups
 * is 7.5e7 units and takes 29 s in Node (0.39 µs per unit), so the budget allows about 40 s of a
 * run that does not thrash (refault storms cost more than the estimate sees).
 */
export const TREE_RUN_BUDGET_UNITS = 1e8;
/** Per-child details kept for this many writes; every write still gets its spread. */
export const MAX_WRITE_DETAILS = 200;
/** Samples of the top cgroup's series kept; longer runs sample less often. */
export const MAX_TREE_SAMPLES = 4000;

const r3 = (v: number): number => round(v, 3) ?? 0;

/** The budget estimate for a file under parameters p (see TREE_RUN_BUDGET_UNITS). */
export function treeRunUnits(f: ScenarioFile, p: Params): number {
  const quantum = num(p, 'sim.quantumUs');
  let units = 0;
  for (const n of f.nodes) {
    const w = n.workload;
    if (!w) continue;
    units += (w.threads * f.durationS * 1e6) / quantum;
    if (w.threads > 0) units += w.file * w.fileHz * f.durationS;
    units += w.hot + w.cold + w.file;
    const b = w.build;
    if (b) {
      // The slots' quanta, every page the processes allocate, and each read of unmapped page cache.
      units += (b.parallel * f.durationS * 1e6) / quantum;
      units += b.sources + b.procs * (b.anon + b.write + b.read);
    }
  }
  for (const w of f.writes) {
    if (w.file === 'memory.reclaim' || w.file === 'global') {
      const b = parseBytes(w.value.trim().split(/\s+/)[0] ?? '0');
      if (Number.isFinite(b)) units += (4 * b) / PAGE_SIZE;
    }
  }
  return units;
}

/** Parameters of a file's run: defaults, the profile and duration, then the file's `set`. */
export function treeParams(f: ScenarioFile, extra: Record<string, string | number | boolean> = {}): Params {
  return resolveParams(
    { 'kernel.profile': f.profile, 'sim.duration': f.durationS, 'agent.kind': f.controller?.kind ?? 'none' },
    f.set,
    f.controller?.set ?? {},
    extra,
  );
}

/** Refuse a run above the budget, with the figure and what to shrink. */
export function checkTreeRun(f: ScenarioFile, p: Params, runs = 1): void {
  const units = runs * treeRunUnits(f, p);
  if (units > TREE_RUN_BUDGET_UNITS) {
    throw new ParamError(
      `scenario too large: about ${units.toExponential(2)} work units (thread quanta + page-cache accesses + pages + 4 x pages requested${runs > 1 ? ', twice for the unconstrained twin of the jobs' : ''}), ` +
        `above the budget of ${TREE_RUN_BUDGET_UNITS.toExponential(1)}; raise sim.quantumUs in $.set, or lower threads, fileHz, sizes or $.duration`,
    );
  }
}

/** What one child of a write's target gave (hierarchical: the child and its descendants). */
export interface ChildShare {
  name: string;
  /** The child's memory.current when the write started, MiB. */
  sizeMiB: number;
  /** Scan quota get_scan_count() set over its subtree (pages): what reclaim asked of it. */
  quotaPages: number;
  scannedPages: number;
  reclaimedMiB: number;
  /** reclaimed / size at the start of the write. */
  share: number;
  visits: number;
  /** Times a walk skipped it (or a descendant) for memory.min / memory.low. */
  skipped: number;
}

/** min, median and max. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface TreeWriteResult {
  t_s: number;
  file: string;
  target: string;
  value: string;
  rc: string;
  ms: number;
  cpuMs: number;
  requestedMiB: number;
  reclaimedMiB: number;
  scannedPages: number;
  usageBeforeMiB: number;
  usageAfterMiB: number;
  /** Children of the target (root's cgroups for global reclaim); null for a leaf target. */
  spread: {
    children: number;
    /** Children that gave nothing. */
    untouched: number;
    reclaimedMiB: Spread;
    share: Spread;
    /** Pages freed from the target's own lruvec (not its children's). */
    ownReclaimedMiB: number;
  } | null;
  /** Per child, for the first MAX_WRITE_DETAILS writes. */
  children?: ChildShare[];
}

export interface TreeCgroupResult {
  name: string;
  depth: number;
  highMiB: number | null;
  lowMiB: number;
  minMiB: number;
  usageFinalMiB: number;
  usagePeakMiB: number;
  /** Mean memory.current over the samples of the run, MiB. */
  usageMeanMiB: number;
  anonFinalMiB: number;
  fileFinalMiB: number;
  zswapFinalMiB: number;
  /** Pages scanned and freed in this cgroup's own lruvec, by who asked (local memory.stat). */
  pgscan: { direct: number; proactive: number; limit: number };
  pgsteal: { direct: number; proactive: number; limit: number };
  refaults: number;
  events: { low: number; high: number; max: number; oom_kill: number };
  threads: number;
  reclaimCpuMs: number;
  throttleMs: number;
  usefulFraction: number | null;
  psiSomeMs: number | null;
  /** Dirty page cache at the end (not yet submitted) and under writeback, MiB (subtree). */
  dirtyFinalMiB: number;
  writebackFinalMiB: number;
  /** Page cache the flusher wrote, MiB (subtree). */
  writtenMiB: number;
  /** Dirty or writeback pages reclaim met and marked for immediate reclaim (subtree). */
  vmscanImmediate: number;
  /** reclaim_throttle() sleeps of reclaim aimed at this cgroup, and their total ms (local). */
  reclaimThrottles: number;
  reclaimThrottleMs: number;
  /** balance_dirty_pages() sleeps of this cgroup's tasks, ms (local). */
  dirtyPauseMs: number;
}

/** A fixed-work job of the run (a workload with `work`), against the same job unconstrained. */
export interface TreeJobResult {
  cgroup: string;
  /** A fixed-work job ("work"), or a build of short-lived processes ("build": threads counts the processes). */
  kind: 'work' | 'build';
  threads: number;
  /** Useful CPU each thread had to do, s. */
  workS: number;
  /** Completion time minus start, s; null if the job did not finish within the run. */
  runtimeS: number | null;
  /** Share of the work done by the end of the run (1 when finished). */
  progress: number;
  /** The same job's runtime in the unconstrained twin run; null without a twin or if it did not finish. */
  baselineRuntimeS: number | null;
  /** runtime / baseline runtime − 1 (0.25: 25 % slower); null when either is missing. */
  slowdown: number | null;
  /** Refaults (anon + file) of the job's cgroup, and in the twin run. */
  refaults: number;
  baselineRefaults: number | null;
  /** PSI memory some of the job's cgroup over the job's runtime (or the run), percent of wall time. */
  psiSomePct: number;
  baselinePsiSomePct: number | null;
}

export interface TreeRunResult {
  kind: 'scenario-file';
  title: string;
  description: string;
  profile: string;
  seed: number;
  durationS: number;
  cgroupCount: number;
  params: Record<string, number | string | boolean>;
  budget: { units: number; limit: number };
  writes: TreeWriteResult[];
  cgroups: TreeCgroupResult[];
  /** Fixed-work jobs, in tree order (empty when the file has none). */
  jobs: TreeJobResult[];
  /** How the slowdown was measured (null when there are no jobs or no twin run). */
  baselineMethod: string | null;
  controller: TreeControllerResult | null;
  /** The file's sweep (null without one). */
  sweep: TreeSweepResult | null;
  series: { t_s: number[]; top_usage_mib: number[]; controlled_usage_mib?: number[] };
}

/** The method the slowdown figures follow, for the output. */
export const BASELINE_METHOD =
  'slowdown = runtime / runtime of the same job in an unconstrained twin run (same file, seed and parameters; ' +
  'every memory.high and memory.max of the tree set to max, no writes, no controller) − 1';

/** What the controller did in a run. */
export interface TreeControllerResult {
  cgroup: string;
  kind: string;
  writes: number;
  requestedMiB: number;
  reclaimedMiB: number;
  rc: Record<string, number>;
  cpuMs: number;
  /** The limit it holds or last asked for at the end, MiB (null when it has none). */
  lastLimitMiB: number | null;
}

function spreadOf(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const median = n === 0 ? 0 : n % 2 ? (s[(n - 1) / 2] ?? 0) : ((s[n / 2 - 1] ?? 0) + (s[n / 2] ?? 0)) / 2;
  return { min: r3(s[0] ?? 0), median: r3(median), max: r3(s[n - 1] ?? 0) };
}

interface Pending {
  w: TreeWrite;
  sc: Syscall;
  ledger: ReclaimLedger;
  target: Memcg;
  sizes: number[];
}

/** The writer: one task in its own cgroup outside the tree, doing the file's writes in time order. */
class ScriptWriter implements Actor {
  nextTime = 0;
  readonly prio = 1;
  private i = 0;
  private cur: Pending | null = null;
  readonly results: TreeWriteResult[] = [];

  constructor(
    private readonly task: Task,
    private readonly writes: TreeWrite[],
    private readonly memcgs: Memcg[],
  ) {}

  step(sim: Simulator): void {
    const task = this.task;
    if (task.clock < sim.now) task.idleUntil(sim.now);
    if (this.cur) {
      if (this.cur.sc.step(sim)) this.finish(sim);
      this.nextTime = task.clock;
      return;
    }
    const w = this.writes[this.i];
    if (!w) {
      this.nextTime = Infinity;
      return;
    }
    const at = w.atS * 1e6;
    if (task.clock < at) {
      task.idleUntil(at);
      this.nextTime = task.clock;
      return;
    }
    this.i++;
    const target = w.node < 0 ? sim.root : (this.memcgs[w.node] as Memcg);
    const ledger = new ReclaimLedger(sim.memcgs.length);
    const sizes = target.children.map((c) => c.usage);
    const sc = this.makeWrite(sim, w, target);
    sc.ledger = ledger;
    this.cur = { w, sc, ledger, target, sizes };
    if (sc.step(sim)) this.finish(sim);
    this.nextTime = task.clock;
  }

  private makeWrite(sim: Simulator, w: TreeWrite, m: Memcg): Syscall {
    const task = this.task;
    switch (w.file) {
      case 'memory.reclaim':
        return memoryReclaim(sim, m, task, w.value, Infinity);
      case 'memory.high':
      case 'memory.max':
      case 'memory.low':
      case 'memory.min': {
        const pages = parseLimit(w.value);
        if (pages === null) return new FailedWrite(w.file, w.value, m, task, EINVAL);
        if (w.file === 'memory.high') return new HighWrite(sim, m, task, pages, w.value, Infinity, false);
        if (w.file === 'memory.max') return new MaxWrite(sim, m, task, pages, w.value, Infinity, false);
        return new ProtectionWrite(w.file, m, task, pages, w.value);
      }
      case 'global':
        return new GlobalReclaim(sim, task, parseBytes(w.value), w.value, w.reclaimer);
    }
  }

  private finish(sim: Simulator): void {
    const { sc, ledger, target, sizes } = this.cur as Pending;
    this.cur = null;
    this.task.idleUntil(this.task.clock + 2);
    const rec = sc.record();
    const shares: ChildShare[] = target.children.map((c, i) => {
      let quota = 0;
      let scanned = 0;
      let reclaimed = 0;
      let visits = 0;
      let skipped = 0;
      for (const d of c.subtree) {
        quota += ledger.quota[d.id] ?? 0;
        scanned += ledger.scanned[d.id] ?? 0;
        reclaimed += ledger.reclaimed[d.id] ?? 0;
        visits += ledger.visits[d.id] ?? 0;
        skipped += ledger.skipped[d.id] ?? 0;
      }
      const size = sizes[i] ?? 0;
      return {
        name: c.name,
        sizeMiB: r3(pagesToMiB(size)),
        quotaPages: quota,
        scannedPages: scanned,
        reclaimedMiB: r3(pagesToMiB(reclaimed)),
        share: size > 0 ? (round(reclaimed / size, 5) ?? 0) : 0,
        visits,
        skipped,
      };
    });
    const res: TreeWriteResult = {
      t_s: r3(rec.startUs / 1e6),
      file: rec.file,
      target: target.name,
      value: rec.value,
      rc: rcName(rec.rc),
      ms: r3(rec.durationUs / 1000),
      cpuMs: r3(rec.cpuUs / 1000),
      requestedMiB: r3(pagesToMiB(rec.requestedPages)),
      reclaimedMiB: r3(pagesToMiB(rec.reclaimedPages)),
      scannedPages: sc.scanned,
      usageBeforeMiB: r3(pagesToMiB(rec.usageBefore)),
      usageAfterMiB: r3(pagesToMiB(rec.usageAfter)),
      spread:
        shares.length === 0
          ? null
          : {
              children: shares.length,
              untouched: shares.filter((s) => s.reclaimedMiB === 0).length,
              reclaimedMiB: spreadOf(shares.map((s) => s.reclaimedMiB)),
              share: spreadOf(shares.map((s) => s.share)),
              ownReclaimedMiB: r3(pagesToMiB(ledger.reclaimed[target.id] ?? 0)),
            },
    };
    if (this.results.length < MAX_WRITE_DETAILS && shares.length > 0) res.children = shares;
    this.results.push(res);
    void sim;
  }
}

/** Integrates PSI and records the top cgroup's usage and every cgroup's peak. */
class TreeSampler implements Actor {
  nextTime: number;
  readonly prio = 0;
  readonly t: number[] = [];
  readonly usage: number[] = [];
  readonly peak: Float64Array;
  readonly sum: Float64Array;
  samples = 0;
  /** memory.current of the controlled cgroup at each sample, MiB (empty without a controller). */
  readonly watched: number[] = [];

  constructor(
    private readonly top: Memcg,
    private readonly memcgs: Memcg[],
    private readonly intervalUs: number,
    private readonly watch: Memcg | null = null,
  ) {
    this.nextTime = intervalUs;
    this.peak = new Float64Array(memcgs.length);
    this.sum = new Float64Array(memcgs.length);
  }

  step(sim: Simulator): void {
    const T = this.nextTime;
    sim.integratePsi(T);
    this.t.push(r3(T / 1e6));
    this.usage.push(r3(pagesToMiB(this.top.usage)));
    for (let i = 0; i < this.memcgs.length; i++) {
      const u = (this.memcgs[i] as Memcg).usage;
      if (u > (this.peak[i] ?? 0)) this.peak[i] = u;
      this.sum[i] = (this.sum[i] ?? 0) + u;
    }
    this.samples++;
    if (this.watch) this.watched.push(r3(pagesToMiB(this.watch.usage)));
    this.nextTime = T + this.intervalUs;
  }
}

export interface TreeRunOptions {
  /** Seed instead of the file's. */
  seed?: number;
  /** Parameter overrides on top of the file's `set` (the CLI's --set). */
  set?: Record<string, string | number | boolean>;
  onProgress?: (nowUs: number) => void;
  /**
   * Run the unconstrained twin for the jobs' slowdown (default: when the file has jobs). The twin
   * costs a second run; its budget is counted with the first.
   */
  baseline?: boolean;
}

/**
 * The file with the caller's sim.duration and kernel.profile applied (the --set of the CLI): a
 * shorter run drops the writes after its end.
 */
function withOverrides(f: ScenarioFile, set: Record<string, string | number | boolean>): ScenarioFile {
  const p = resolveParams({ 'kernel.profile': f.profile, 'sim.duration': f.durationS }, set);
  const durationS = num(p, 'sim.duration');
  const profile = String(p['kernel.profile']);
  if (durationS === f.durationS && profile === f.profile) return f;
  return { ...f, durationS, profile, writes: f.writes.filter((w) => w.atS <= durationS) };
}

/** Does the file have a fixed-work job? */
export function hasJobs(f: ScenarioFile): boolean {
  return f.nodes.some(
    (n) => n.workload !== null && (n.workload.workUs !== null || n.workload.build !== null),
  );
}

/** The file with every limit lifted and no writes: what the jobs' slowdown is measured against. */
export function unconstrainedTwin(f: ScenarioFile): ScenarioFile {
  return {
    ...f,
    title: `${f.title} (unconstrained twin)`,
    nodes: f.nodes.map((n) => ({ ...n, high: Infinity, max: Infinity })),
    writes: [],
    controller: null,
    sweep: null,
  };
}

/** Build, run and summarize a validated scenario file (and its unconstrained twin, for jobs). */
export function runTreeScenario(file: ScenarioFile, opts: TreeRunOptions = {}): TreeRunResult {
  const f = withOverrides(file, opts.set ?? {});
  const extra = opts.set ?? {};
  const p = treeParams(f, extra);
  const twin = (opts.baseline ?? true) && hasJobs(f);
  const sweep = f.sweep;
  checkTreeRun(f, p, 1 + (twin ? 1 : 0) + (sweep ? sweep.values.length + 1 : 0));
  const seed = opts.seed ?? f.seed;
  const res = simulateTree(f, p, seed, opts.onProgress);
  let runs = 1;
  const base = twin
    ? simulateTree(unconstrainedTwin(f), treeParams(unconstrainedTwin(f), extra), seed, opts.onProgress)
    : null;
  if (base) {
    runs++;
    res.baselineMethod = BASELINE_METHOD;
    applyBaseline(res, base);
  }
  if (sweep) {
    const plain: ScenarioFile = { ...f, controller: null, sweep: null };
    const ref = simulateTree(plain, treeParams(plain, extra), seed, opts.onProgress, f.controller?.node ?? 0);
    const target = f.controller
      ? (f.nodes[f.controller.node] as { path: string }).path
      : (f.nodes[0] as { path: string }).path;
    // The window: while the jobs run unconstrained (all of the run without jobs or a twin).
    const windowS = base ? Math.max(0, ...base.jobs.map((j) => j.runtimeS ?? base.durationS)) : f.durationS;
    const refMean = windowMean(ref, target, windowS);
    if (base) applyBaseline(ref, base);
    const points: SweepPoint[] = sweep.values.map((v) => {
      const r = simulateTree(
        f,
        treeParams(f, { ...extra, [sweep.key]: v }),
        seed,
        opts.onProgress,
        f.controller?.node ?? 0,
      );
      if (base) applyBaseline(r, base);
      return sweepPoint(v, r, target, refMean, windowS);
    });
    runs += 1 + sweep.values.length;
    res.sweep = {
      key: sweep.key,
      cgroup: target,
      referenceUsageMeanMiB: refMean,
      reference: sweepPoint(NaN, ref, target, refMean, windowS),
      windowS,
      points,
      method: SWEEP_METHOD,
    };
  }
  res.budget.units *= runs;
  return res;
}

/** The method of the sweep's figures, for the output. */
export const SWEEP_METHOD =
  'memory saved = mean memory.current of the controlled cgroup without the controller (same file, seed) ' +
  'minus with it, over the window the jobs take unconstrained (the whole run without jobs); ' +
  'slowdown as in baselineMethod, averaged over the jobs';

/** One value of a sweep. */
export interface SweepPoint {
  /** The swept parameter's value (null for the run without the controller). */
  value: number | null;
  usageMeanMiB: number;
  savedMiB: number;
  /** savedMiB / the reference's mean, percent. */
  savedPct: number;
  /** Mean slowdown over the jobs (null without jobs or a twin, or if a job did not finish). */
  slowdown: number | null;
  /** PSI memory some of the controlled cgroup over the run, percent. */
  psiSomePct: number;
  refaults: number;
  controllerWrites: number;
  controllerReclaimedMiB: number;
}

/** A sweep's result. */
export interface TreeSweepResult {
  key: string;
  cgroup: string;
  referenceUsageMeanMiB: number;
  /** Memory is averaged over [0, windowS]: the jobs' unconstrained runtime (the run, without jobs). */
  windowS: number;
  /** The run without the controller. */
  reference: SweepPoint;
  points: SweepPoint[];
  method: string;
}

/** Mean memory.current of `target` over the samples up to windowS (the cgroup's run mean without samples). */
function windowMean(r: TreeRunResult, target: string, windowS: number): number {
  const u = r.series.controlled_usage_mib;
  if (u && u.length > 0) {
    let sum = 0;
    let n = 0;
    r.series.t_s.forEach((t, i) => {
      if (t <= windowS + 1e-9) {
        sum += u[i] ?? 0;
        n++;
      }
    });
    if (n > 0) return r3(sum / n);
  }
  return r.cgroups.find((x) => x.name === target)?.usageMeanMiB ?? 0;
}

function sweepPoint(
  value: number,
  r: TreeRunResult,
  target: string,
  refMean: number,
  windowS: number,
): SweepPoint {
  const c = r.cgroups.find((x) => x.name === target);
  const mean = windowMean(r, target, windowS);
  const slow = r.jobs.map((j) => j.slowdown);
  const slowdown =
    slow.length > 0 && slow.every((x) => x !== null)
      ? (round((slow as number[]).reduce((a, b) => a + b, 0) / slow.length, 4) ?? null)
      : null;
  return {
    value: Number.isNaN(value) ? null : value,
    usageMeanMiB: mean,
    savedMiB: r3(refMean - mean),
    savedPct: refMean > 0 ? r3((100 * (refMean - mean)) / refMean) : 0,
    slowdown,
    psiSomePct: c && c.psiSomeMs !== null ? r3((100 * c.psiSomeMs) / (r.durationS * 1000)) : 0,
    refaults: c?.refaults ?? 0,
    controllerWrites: r.controller?.writes ?? 0,
    controllerReclaimedMiB: r.controller?.reclaimedMiB ?? 0,
  };
}

/** Fill the jobs' twin figures and slowdowns of `res` from the unconstrained twin's run. */
function applyBaseline(res: TreeRunResult, base: TreeRunResult): void {
  res.baselineMethod = BASELINE_METHOD;
  for (const j of res.jobs) {
    const b = base.jobs.find((x) => x.cgroup === j.cgroup);
    if (!b) continue;
    j.baselineRuntimeS = b.runtimeS;
    j.baselineRefaults = b.refaults;
    j.baselinePsiSomePct = b.psiSomePct;
    j.slowdown =
      j.runtimeS !== null && b.runtimeS !== null && b.runtimeS > 0
        ? (round(j.runtimeS / b.runtimeS - 1, 4) ?? null)
        : null;
  }
}

/** One run of a file: build the tree, run it, summarize. */
function simulateTree(
  f: ScenarioFile,
  p: Params,
  seed: number,
  onProgress?: (nowUs: number) => void,
  /** The cgroup whose usage is sampled (default: the controller's). */
  watchNode: number | null = f.controller?.node ?? null,
): TreeRunResult {
  const sim = new Simulator(p, seed);
  const memcgs: Memcg[] = [];
  for (const n of f.nodes) {
    const parent = n.parent < 0 ? sim.root : (memcgs[n.parent] as Memcg);
    memcgs.push(
      sim.addMemcg(n.path, parent, { high: n.high, max: n.max, low: n.low, min: n.min, swapMax: n.swapMax }),
    );
  }
  const top = memcgs[0] as Memcg;
  const quantum = num(p, 'sim.quantumUs');
  const stats = new WorkloadStats();
  const tasksOf = new Map<Memcg, Task[]>();
  const jobs: { job: FixedJob; m: Memcg; tasks: Task[]; kind: 'work' | 'build' }[] = [];
  f.nodes.forEach((n, i) => {
    const w = n.workload;
    if (!w) return;
    const m = memcgs[i] as Memcg;
    const proc = sim.addProcess(`${m.name}:app`, m);
    const regions: Region[] = [];
    const add = (spec: Parameters<Simulator['addRegion']>[1]): Region | null => {
      if (spec.pages <= 0) return null;
      const r = sim.addRegion(proc, spec);
      regions.push(r);
      return r;
    };
    const threads = w.threads;
    add({ name: 'hot', type: 'anon', pages: w.hot, hz: w.hotHz, initial: w.hot, initialActive: true });
    add({ name: 'cold', type: 'anon', pages: w.cold, hz: 0, initial: w.cold, aged: w.coldAged });
    add({ name: 'file', type: 'file', pages: w.file, hz: w.fileHz, initial: w.file });
    const growth =
      threads > 0
        ? add({
            name: 'growth',
            type: 'anon',
            pages: w.growth,
            hz: w.growthHz,
            allocAtUs: w.growthAtS * 1e6,
            allocPerUs: w.growth / (w.growthSecs * 1e6) / threads,
          })
        : null;
    if (threads === 0) return;
    const shape: RunShape = {
      access: regions.filter((r) => r.hz > 0).map((r) => ({ region: r, perUs: r.hz / 1e6 / threads })),
      gradual: growth ? [growth] : [],
      churnPerUs: 0,
    };
    const list: Task[] = [];
    const job = w.workUs !== null ? new FixedJob(m.name, 0, w.workUs, threads) : null;
    const ops: ThreadOp[] = job ? [{ op: 'work', us: job.workUs, job }, { op: 'hold' }] : [{ op: 'run' }];
    for (let t = 0; t < threads; t++) {
      const task = sim.addTask(`${m.name}:t${t}`, m, proc);
      list.push(task);
      sim.addActor(new WorkloadThread(task, ops, shape, stats, quantum));
    }
    tasksOf.set(m, list);
    if (job) jobs.push({ job, m, tasks: list, kind: 'work' });
  });
  f.nodes.forEach((n, i) => {
    const b = n.workload?.build;
    if (!b) return;
    const m = memcgs[i] as Memcg;
    const { job, tasks } = addBuild(sim, m, b, stats, quantum);
    tasksOf.set(m, tasks);
    jobs.push({ job, m, tasks, kind: 'build' });
  });
  const scriptCg = sim.addMemcg('script', sim.root);
  const writerTask = sim.addTask('script:writer', scriptCg, null);
  const writer = new ScriptWriter(writerTask, f.writes, memcgs);
  sim.addActor(writer);
  let agent: AgentActor | null = null;
  const logic = f.controller ? makeAgentLogic(p) : null;
  if (f.controller && logic) {
    // The controller runs in its own cgroup outside the tree, as Senpai and oomd do.
    const agentCg = sim.addMemcg('controller', sim.root);
    const task = sim.addTask(`controller:${logic.name}`, agentCg, null);
    agent = new AgentActor(
      sim,
      task,
      memcgs[f.controller.node] as Memcg,
      logic,
      num(p, 'agent.start') * 1e6,
      num(p, 'agent.writeTimeoutMs') > 0 ? num(p, 'agent.writeTimeoutMs') * 1000 : Infinity,
      bool(p, 'agent.nonblock'),
      Infinity,
      0,
    );
    sim.addActor(agent);
  }
  const durationUs = f.durationS * 1e6;
  const sampleUs = Math.max(num(p, 'sim.sampleMs') * 1000, durationUs / MAX_TREE_SAMPLES);
  const sampler = new TreeSampler(
    top,
    memcgs,
    sampleUs,
    watchNode !== null ? (memcgs[watchNode] as Memcg) : null,
  );
  sim.addActor(sampler);
  sim.finalize();
  sim.run(durationUs, onProgress);
  sim.integratePsi(sim.now);

  const cgroups: TreeCgroupResult[] = memcgs.map((m, i) => {
    const tasks = tasksOf.get(m) ?? [];
    let reclaim = 0;
    let throttle = 0;
    let useful = 0;
    for (const t of tasks) {
      reclaim += t.time.reclaim;
      throttle += t.time.throttle;
      useful += t.time.useful;
    }
    let anon = 0;
    let file = 0;
    let dirty = 0;
    let wback = 0;
    for (const d of m.subtree) {
      dirty += d.nrDirty;
      wback += d.nrWriteback;
      anon += d.lruPages(0) + d.unevictable + d.isolatedAnon + d.transient;
      file += d.lruPages(1) + d.isolatedFile;
    }
    const st = (k: Parameters<Memcg['statLocal']>[0]): number => m.statLocal(k);
    const ps = sim.psi.get(m);
    return {
      name: m.name,
      depth: (f.nodes[i] as { depth: number }).depth,
      highMiB: Number.isFinite(m.high) ? r3(pagesToMiB(m.high)) : null,
      lowMiB: r3(pagesToMiB(m.low)),
      minMiB: r3(pagesToMiB(m.min)),
      usageFinalMiB: r3(pagesToMiB(m.usage)),
      usagePeakMiB: r3(pagesToMiB(sampler.peak[i] ?? 0)),
      usageMeanMiB: sampler.samples > 0 ? r3(pagesToMiB((sampler.sum[i] ?? 0) / sampler.samples)) : 0,
      anonFinalMiB: r3(pagesToMiB(anon)),
      fileFinalMiB: r3(pagesToMiB(file)),
      zswapFinalMiB: r3(m.zswapBytesH / 1024 ** 2),
      pgscan: { direct: st('pgscan_direct'), proactive: st('pgscan_proactive'), limit: st('pgscan_limit') },
      pgsteal: {
        direct: st('pgsteal_direct'),
        proactive: st('pgsteal_proactive'),
        limit: st('pgsteal_limit'),
      },
      refaults: m.statH('workingset_refault_anon') + m.statH('workingset_refault_file'),
      events: {
        low: m.eventsH('low'),
        high: m.eventsH('high'),
        max: m.eventsH('max'),
        oom_kill: m.eventsH('oom_kill'),
      },
      threads: tasks.length,
      reclaimCpuMs: r3(reclaim / 1000),
      throttleMs: r3(throttle / 1000),
      usefulFraction: tasks.length > 0 ? r3(useful / (tasks.length * durationUs)) : null,
      psiSomeMs: ps ? r3(ps.someTotal / 1000) : null,
      dirtyFinalMiB: r3(pagesToMiB(dirty)),
      writebackFinalMiB: r3(pagesToMiB(wback)),
      writtenMiB: r3(pagesToMiB(m.statH('wb_written'))),
      vmscanImmediate: m.statH('nr_vmscan_immediate'),
      reclaimThrottles: st('vmscan_throttled'),
      reclaimThrottleMs: r3(st('vmscan_throttled_us') / 1000),
      dirtyPauseMs: r3(st('dirty_pause_us') / 1000),
    };
  });
  return {
    kind: 'scenario-file',
    title: f.title,
    description: f.description,
    profile: f.profile,
    seed,
    durationS: f.durationS,
    cgroupCount: memcgs.length,
    params: paramsForOutput(p),
    budget: { units: Math.round(treeRunUnits(f, p)), limit: TREE_RUN_BUDGET_UNITS },
    writes: writer.results,
    cgroups,
    jobs: jobs.map(({ job, m, tasks, kind }) => jobResult(sim, job, m, tasks, durationUs, kind)),
    baselineMethod: null,
    controller:
      agent && f.controller
        ? {
            cgroup: (memcgs[f.controller.node] as Memcg).name,
            kind: f.controller.kind,
            writes: agent.writes,
            requestedMiB: r3(pagesToMiB(agent.requestedPages)),
            reclaimedMiB: r3(pagesToMiB(agent.reclaimedPages)),
            rc: { ...agent.rcCounts },
            cpuMs: r3(agent.task.time.reclaim / 1000),
            lastLimitMiB: Number.isFinite(agent.logic.limitBytes())
              ? r3(agent.logic.limitBytes() / 1024 ** 2)
              : null,
          }
        : null,
    sweep: null,
    series: {
      t_s: sampler.t,
      top_usage_mib: sampler.usage,
      ...(watchNode !== null ? { controlled_usage_mib: sampler.watched } : {}),
    },
  };
}

/**
 * Build a build: the make process holding the shared sources, one process per compile (its anon
 * region, its output file region written dirty, a thread whose work is the compile's CPU), and
 * `parallel` slots that run the compiles in order. The build is complete when every compile is.
 */
function addBuild(
  sim: Simulator,
  m: Memcg,
  b: TreeBuild,
  stats: WorkloadStats,
  quantum: number,
): { job: FixedJob; tasks: Task[] } {
  const make = sim.addProcess(`${m.name}:make`, m);
  const sources =
    b.sources > 0
      ? sim.addRegion(make, { name: 'sources', type: 'file', pages: b.sources, hz: 1, initial: b.sources })
      : null;
  const build = new FixedJob(m.name, 0, b.cpuUs, b.procs, undefined, false);
  const queue: { threads: WorkloadThread[]; next: number } = { threads: [], next: 0 };
  const tasks: Task[] = [];
  for (let i = 0; i < b.procs; i++) {
    const proc = sim.addProcess(`${m.name}:cc${i}`, m);
    const gradual: Region[] = [];
    const access: RunShape['access'] = [];
    if (b.anon > 0) {
      const anon = sim.addRegion(proc, {
        name: 'anon',
        type: 'anon',
        pages: b.anon,
        hz: b.anonHz,
        allocAtUs: 0,
        allocPerUs: b.anon / b.cpuUs,
      });
      gradual.push(anon);
      if (b.anonHz > 0) access.push({ region: anon, perUs: b.anonHz / 1e6 });
    }
    if (b.write > 0)
      gradual.push(
        sim.addRegion(proc, {
          name: 'out',
          type: 'file',
          pages: b.write,
          hz: 0,
          dirty: 1,
          allocAtUs: 0,
          allocPerUs: b.write / b.cpuUs,
        }),
      );
    // Each compile reads `read` pages' worth of the sources over its CPU time.
    if (sources && b.read > 0) access.push({ region: sources, perUs: b.read / b.sources / b.cpuUs });
    const task = sim.addTask(`${m.name}:cc${i}`, m, proc);
    tasks.push(task);
    const one = new FixedJob(`${m.name}:cc${i}`, 0, b.cpuUs, 1, (_j, s, t) => build.threadDone(s, t));
    const th = new WorkloadThread(
      task,
      [{ op: 'work', us: b.cpuUs, job: one }, { op: 'hold' }],
      { access, gradual, churnPerUs: 0 },
      stats,
      quantum,
    );
    th.nextTime = Infinity;
    queue.threads.push(th);
  }
  for (let k = 0; k < b.parallel; k++) {
    const slot = new BuildSlot(queue);
    slot.start(0);
    sim.addActor(slot);
  }
  return { job: build, tasks };
}

/** A job's figures from its run (the twin's fields are filled in by runTreeScenario). */
function jobResult(
  sim: Simulator,
  job: FixedJob,
  m: Memcg,
  tasks: Task[],
  durationUs: number,
  kind: 'work' | 'build',
): TreeJobResult {
  const finished = Number.isFinite(job.endUs);
  let done = 0;
  for (const t of tasks) done += Math.min(t.time.useful, job.workUs);
  const ps = sim.psi.get(m);
  // PSI over the job's life: its cgroup has no other tasks, so the total is the job's stall.
  const span = finished ? job.runtimeUs : durationUs - job.startUs;
  return {
    cgroup: m.name,
    kind,
    threads: job.threads,
    workS: r3(job.workUs / 1e6),
    runtimeS: finished ? (round(job.runtimeUs / 1e6, 4) ?? null) : null,
    progress: finished ? 1 : (round(done / (job.workUs * job.threads), 4) ?? 0),
    baselineRuntimeS: null,
    slowdown: null,
    refaults: m.statH('workingset_refault_anon') + m.statH('workingset_refault_file'),
    baselineRefaults: null,
    psiSomePct: span > 0 ? (round((100 * (ps?.someTotal ?? 0)) / span, 4) ?? 0) : 0,
    baselinePsiSomePct: null,
  };
}

/** Parse, validate and run a scenario file's text. */
export function runScenarioFileText(text: string, opts: TreeRunOptions = {}): TreeRunResult {
  return runTreeScenario(parseScenarioFile(text), opts);
}
