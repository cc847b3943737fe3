/**
 * Build a simulation from parameters (the job cgroup and its children, the workload's regions and
 * threads, the neighbour, the agent), run it, and collect the outputs of reclaim-model.md A10: time
 * series every sample interval and summary figures.
 */
import { AgentActor, makeAgentLogic } from './agents.ts';
import { PAGE_SIZE } from './formulas.ts';
import { EVENT_NAMES, SUMMARY_STAT_NAMES, type Memcg } from './memcg.ts';
import { bool, num, paramsForOutput, str, type NumKey, type Params } from './params.ts';
import { checkRun } from './budget.ts';
import { SERIES } from './series.ts';
import { P_EVICTED, P_FREE, P_LRU, P_SWAP, P_UNEVICTABLE, P_ZSWAP } from './page.ts';
import { Simulator, type Actor } from './sim.ts';
import { Column, LogHistogram } from './stats.ts';
import { rcName } from './syscalls.ts';
import type { Process, Region, Task } from './task.ts';
import { bytesToPages, pagesToMiB, round } from './units.ts';
import { WorkloadThread, WorkloadStats, type RunShape } from './workload.ts';

/** Most samples kept per series; longer runs sample less often. */
export const MAX_SAMPLES = 20000;

export type Series = Record<string, (number | null)[]>;

/** A run as built, before or after running. */
export interface BuiltRun {
  sim: Simulator;
  job: Memcg;
  children: Memcg[];
  threads: WorkloadThread[];
  jobTasks: Task[];
  stats: WorkloadStats;
  agent: AgentActor | null;
  sampler: Sampler;
  durationUs: number;
}

/** Set up the simulation for one arm. */
export function buildRun(p: Params, seed: number): BuiltRun {
  checkRun(p);
  const sim = new Simulator(p, seed);
  const root = sim.root;
  const lim = (key: NumKey): number => {
    const v = num(p, key);
    return Number.isFinite(v) ? bytesToPages(v) : Infinity;
  };
  const job = sim.addMemcg('job', root, {
    high: lim('workload.high'),
    max: lim('workload.max'),
    low: bytesToPages(num(p, 'workload.low')),
    swapMax: lim('workload.swapMax'),
    swapHigh: lim('workload.swapHigh'),
    zswapMax: num(p, 'workload.zswapMax'),
  });
  const agentCg = sim.addMemcg('agent', root);
  const stats = new WorkloadStats();
  stats.sloUs = num(p, 'workload.sloUs');
  const children: Memcg[] = [];
  const nChildren = num(p, 'tree.children');
  const threadsPer =
    nChildren > 0 && num(p, 'tree.childThreads') >= 0
      ? num(p, 'tree.childThreads')
      : num(p, 'workload.threads');
  const homes: Memcg[] = [];
  if (nChildren > 0) {
    for (let i = 0; i < nChildren; i++) {
      const c = sim.addMemcg(`job/c${i}`, job, { high: lim('tree.childHigh') });
      children.push(c);
      homes.push(c);
    }
  } else homes.push(job);
  const quantum = num(p, 'sim.quantumUs');
  const threads: WorkloadThread[] = [];
  const jobTasks: Task[] = [];
  const burstHome = nChildren > 0 ? num(p, 'tree.burstChild') : 0;
  homes.forEach((home, hi) => {
    const proc = sim.addProcess(`${home.name}:app`, home);
    const regions = addWorkloadRegions(sim, p, proc, threadsPer, hi === burstHome);
    for (let t = 0; t < threadsPer; t++) {
      const task = sim.addTask(`${home.name}:t${t}`, home, proc);
      jobTasks.push(task);
      const w = new WorkloadThread(task, [{ op: 'run' }], shapeFor(p, regions, threadsPer), stats, quantum);
      threads.push(w);
      sim.addActor(w);
    }
  });
  // An unrelated cgroup whose page cache only a global drop_caches touches (S7).
  const nbFile = bytesToPages(num(p, 'neighbour.file'));
  if (nbFile > 0) {
    const nb = sim.addMemcg('neighbour', root);
    const proc = sim.addProcess('neighbour:app', nb);
    const r = sim.addRegion(proc, {
      name: 'cache',
      type: 'file',
      pages: nbFile,
      hz: num(p, 'neighbour.fileHz'),
      initial: nbFile,
    });
    const task = sim.addTask('neighbour:t0', nb, proc);
    const shape: RunShape = { access: [{ region: r, perUs: r.hz / 1e6 }], gradual: [], churnPerUs: 0 };
    sim.addActor(new WorkloadThread(task, [{ op: 'run' }], shape, new WorkloadStats(), quantum));
  }
  let agent: AgentActor | null = null;
  const logic = makeAgentLogic(p);
  if (logic) {
    const home = bool(p, 'agent.inJob') ? (homes[0] as Memcg) : agentCg;
    const task = sim.addTask(`agent:${logic.name}`, home, null);
    agent = new AgentActor(
      sim,
      task,
      job,
      logic,
      num(p, 'agent.start') * 1e6,
      num(p, 'agent.writeTimeoutMs') > 0 ? num(p, 'agent.writeTimeoutMs') * 1000 : Infinity,
      bool(p, 'agent.nonblock'),
      num(p, 'agent.crashAt') * 1e6,
      num(p, 'agent.crashCut'),
    );
    sim.addActor(agent);
  }
  const durationUs = num(p, 'sim.duration') * 1e6;
  const sampleUs = Math.max(num(p, 'sim.sampleMs') * 1000, durationUs / MAX_SAMPLES);
  const built: BuiltRun = {
    sim,
    job,
    children,
    threads,
    jobTasks,
    stats,
    agent,
    sampler: null as unknown as Sampler,
    durationUs,
  };
  built.sampler = new Sampler(built, sampleUs);
  sim.addActor(built.sampler);
  sim.finalize();
  return built;
}

function addWorkloadRegions(
  sim: Simulator,
  p: Params,
  proc: Process,
  threads: number,
  bursts: boolean,
): Region[] {
  const regions: Region[] = [];
  const pages = (k: NumKey): number => bytesToPages(num(p, k));
  const add = (spec: Parameters<Simulator['addRegion']>[1]): void => {
    if (spec.pages > 0) regions.push(sim.addRegion(proc, spec));
  };
  add({
    name: 'hot',
    type: 'anon',
    pages: pages('workload.hot'),
    hz: num(p, 'workload.hotHz'),
    initial: pages('workload.hot'),
    initialActive: true,
  });
  add({
    name: 'cold',
    type: 'anon',
    pages: pages('workload.cold'),
    hz: 0,
    initial: pages('workload.cold'),
    aged: bool(p, 'workload.coldAged'),
  });
  add({
    name: 'file',
    type: 'file',
    pages: pages('workload.file'),
    hz: num(p, 'workload.fileHz'),
    initial: pages('workload.file'),
    dirty: num(p, 'workload.fileDirty'),
  });
  add({
    name: 'mlocked',
    type: 'anon',
    pages: pages('workload.mlocked'),
    hz: 0,
    initial: pages('workload.mlocked'),
    mlocked: true,
  });
  const perThread = Math.max(1, threads);
  if (bursts) {
    // New anon allocated over time: the burst, then the slow growth.
    for (const name of ['burst', 'growth'] as const) {
      const n = pages(`workload.${name}`);
      add({
        name,
        type: 'anon',
        pages: n,
        hz: num(p, `workload.${name}Hz`),
        allocAtUs: num(p, `workload.${name}At`) * 1e6,
        allocPerUs: n / (num(p, `workload.${name}Secs`) * 1e6) / perThread,
      });
    }
  }
  return regions;
}

function shapeFor(p: Params, regions: Region[], threads: number): RunShape {
  const n = Math.max(1, threads);
  const access = regions.filter((r) => r.hz > 0).map((r) => ({ region: r, perUs: r.hz / 1e6 / n }));
  const gradual = regions.filter((r) => r.name === 'burst' || r.name === 'growth');
  const shape: RunShape = { access, gradual, churnPerUs: num(p, 'workload.churn') / PAGE_SIZE / 1e6 };
  const rate = num(p, 'workload.rpcRate');
  const hot = regions.find((r) => r.name === 'hot');
  if (rate > 0 && hot) {
    shape.rpc = {
      perUs: rate / 1e6,
      allocPages: bytesToPages(num(p, 'workload.rpcAlloc')),
      workUs: num(p, 'workload.rpcWorkUs'),
      touches: num(p, 'workload.rpcTouches'),
      hot,
    };
  }
  return shape;
}

/** Records the A10 time series every sample interval. */
export class Sampler implements Actor {
  nextTime: number;
  readonly prio = 0;
  readonly cols = new Map<string, Column>();
  private lastSome = 0;
  private lastFull = 0;
  private lastT = 0;

  constructor(
    private readonly run: BuiltRun,
    private readonly intervalUs: number,
  ) {
    for (const s of SERIES) this.cols.set(s.key, new Column());
    this.nextTime = intervalUs;
  }

  private put(key: string, v: number): void {
    this.cols.get(key)?.push(v);
  }

  step(sim: Simulator): void {
    const T = this.nextTime;
    sim.integratePsi(T);
    const { job, stats, agent, children } = this.run;
    const ps = sim.psi.get(job);
    const dt = T - this.lastT;
    const some = ps ? ps.someTotal - this.lastSome : 0;
    const full = ps ? ps.fullTotal - this.lastFull : 0;
    this.lastSome = ps?.someTotal ?? 0;
    this.lastFull = ps?.fullTotal ?? 0;
    this.lastT = T;
    const mem = memBreakdown(job);
    this.put('t_s', T / 1e6);
    this.put('usage_mib', pagesToMiB(job.usage));
    this.put('anon_mib', pagesToMiB(mem.anon));
    this.put('file_mib', pagesToMiB(mem.file));
    this.put('zswap_mib', job.zswapBytesH / 1024 ** 2);
    this.put('swap_mib', pagesToMiB(mem.diskSwap));
    this.put('high_mib', pagesToMiB(job.effectiveHigh(T)));
    this.put('max_mib', pagesToMiB(job.max));
    this.put('agent_mib', agent ? agent.logic.limitBytes() / 1024 ** 2 : NaN);
    this.put('psi_some_pct', dt > 0 ? (100 * some) / dt : 0);
    this.put('psi_full_pct', dt > 0 ? (100 * full) / dt : 0);
    this.put('some_avg10', ps ? (ps.avgSome[0] ?? 0) / 2048 : 0);
    this.put('full_avg10', ps ? (ps.avgFull[0] ?? 0) / 2048 : 0);
    this.put('lat_max_us', stats.intervalLatMax);
    this.put('throttles', stats.intervalThrottles);
    this.put('req_max_us', stats.intervalReqMax);
    let jobReclaim = 0;
    for (const t of this.run.jobTasks) jobReclaim += t.time.reclaim;
    this.put('job_reclaim_ms', jobReclaim / 1000);
    this.put('agent_cpu_ms', agent ? agent.task.time.reclaim / 1000 : 0);
    this.put('requested_mib', agent ? pagesToMiB(agent.requestedPages) : 0);
    this.put('reclaimed_mib', agent ? pagesToMiB(agent.reclaimedPages) : 0);
    this.put('refaults', job.statH('workingset_refault_anon') + job.statH('workingset_refault_file'));
    this.put('socket_pressure', sim.socketPressureNow ? 1 : 0);
    if (sim.socketPressureNow) sim.counters.socketPressureWindows++;
    sim.socketPressureNow = false;
    this.put('child0_mib', children[0] ? pagesToMiB(children[0].usage) : NaN);
    this.put('child1_mib', children[1] ? pagesToMiB(children[1].usage) : NaN);
    stats.intervalLatMax = 0;
    stats.intervalThrottles = 0;
    stats.intervalReqMax = 0;
    this.nextTime = T + this.intervalUs;
  }

  series(): Series {
    const out: Series = {};
    for (const s of SERIES) out[s.key] = (this.cols.get(s.key) as Column).toArray(3);
    return out;
  }
}

/** Resident anon and file, and disk swap, over a cgroup's subtree (pages). */
export function memBreakdown(m: Memcg): {
  anon: number;
  file: number;
  diskSwap: number;
  zswapEntries: number;
} {
  let anon = 0;
  let file = 0;
  let zs = 0;
  for (const c of m.subtree) {
    anon += c.lruPages(0) + c.unevictable + c.isolatedAnon + c.transient;
    file += c.lruPages(1) + c.isolatedFile;
    zs += c.zswapEntries;
  }
  return { anon, file, diskSwap: m.swapUsage - zs, zswapEntries: zs };
}

/** The summary figures of one arm (A10). Every number is finite. */
export interface ArmSummary {
  durationS: number;
  profile: string;
  memory: {
    usageMeanMiB: number;
    usageMaxMiB: number;
    usageFinalMiB: number;
    anonFinalMiB: number;
    fileFinalMiB: number;
    zswapFinalMiB: number;
    diskSwapFinalMiB: number;
    highFinalMiB: number | null;
  };
  events: Record<string, number>;
  stats: Record<string, number>;
  workload: {
    threads: number;
    usefulFraction: number;
    reclaimCpuMs: number;
    throttleCount: number;
    throttleMs: number;
    refaultStallMs: number;
    charges: number;
    chargeP50Us: number;
    chargeP99Us: number;
    chargeP999Us: number;
    chargeMaxUs: number;
  };
  rpc: {
    requests: number;
    p50Us: number;
    p99Us: number;
    p999Us: number;
    maxUs: number;
    sloMissPct: number;
  } | null;
  psi: {
    someTotalMs: number;
    fullTotalMs: number;
    someMeanPct: number;
    someAvg10Max: number;
    fullAvg10Max: number;
  };
  agent: {
    kind: string;
    writes: number;
    rc: Record<string, number>;
    cpuMs: number;
    requestedMiB: number;
    reclaimedMiB: number;
    reclaimedOverRequested: number | null;
    errorP10: number | null;
    errorP50: number | null;
    errorP90: number | null;
    writeP50Ms: number;
    writeMaxMs: number;
  } | null;
  /** Who pays for reclaim (CPU ms in each context, and the workload's throttle sleeps). */
  whoPays: { workloadReclaimMs: number; agentReclaimMs: number; workloadThrottleMs: number };
  socketPressureIntervals: number;
  oomKills: number;
  chargeFailures: number;
  children: {
    name: string;
    usageFinalMiB: number;
    reclaimedMiB: number;
    reclaimCpuMs: number;
    throttleMs: number;
    highEvents: number;
  }[];
  /** The unrelated neighbour cgroup (S7), when present. */
  neighbour: { fileFinalMiB: number; refaults: number; droppedMiB: number } | null;
}

/** One arm's complete result. */
export interface ArmResult {
  name: string;
  title: string;
  params: Record<string, number | string | boolean>;
  summary: ArmSummary;
  series: Series;
  /** Charge-latency CDF: [µs, cumulative fraction]. */
  chargeCdf: [number, number][];
  writes: {
    t_s: number;
    file: string;
    value: string;
    rc: string;
    ms: number;
    requestedMiB: number;
    reclaimedMiB: number;
  }[];
}

const r3 = (v: number): number => round(v, 3) ?? 0;

function quantiles(xs: number[]): [number | null, number | null, number | null] {
  if (xs.length === 0) return [null, null, null];
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return [r3(at(0.1)), r3(at(0.5)), r3(at(0.9))];
}

/** Collect the summary of a finished run. */
export function summarize(b: BuiltRun, name: string, title: string): ArmResult {
  const { sim, job, agent, stats, children } = b;
  const p = sim.params;
  const usage = b.sampler.cols.get('usage_mib') as Column;
  let sum = 0;
  let mx = 0;
  for (let i = 0; i < usage.length; i++) {
    const v = usage.get(i);
    sum += v;
    mx = Math.max(mx, v);
  }
  const lat = new LogHistogram();
  let useful = 0;
  let reclaim = 0;
  let throttleUs = 0;
  let throttles = 0;
  let refault = 0;
  for (const t of b.jobTasks) {
    lat.merge(t.chargeLatency);
    useful += t.time.useful;
    reclaim += t.time.reclaim;
    throttleUs += t.time.throttle;
    throttles += t.throttles;
    refault += t.time.refaultCpu + t.time.refaultIo;
  }
  const mem = memBreakdown(job);
  const ps = sim.psi.get(job);
  const someAvg = b.sampler.cols.get('some_avg10') as Column;
  const fullAvg = b.sampler.cols.get('full_avg10') as Column;
  let someMax = 0;
  let fullMax = 0;
  for (let i = 0; i < someAvg.length; i++) {
    someMax = Math.max(someMax, someAvg.get(i));
    fullMax = Math.max(fullMax, fullAvg.get(i));
  }
  const events: Record<string, number> = {};
  for (const e of EVENT_NAMES) events[e] = job.eventsH(e);
  const st: Record<string, number> = {};
  for (const k of SUMMARY_STAT_NAMES) st[k] = job.statH(k);
  const dur = b.durationUs;
  const threadTime = b.jobTasks.length * dur;
  let agentSummary: ArmSummary['agent'] = null;
  if (agent) {
    const rc: Record<string, number> = {};
    for (const [k, v] of Object.entries(agent.rcCounts)) rc[rcName(Number(k))] = v;
    const [e10, e50, e90] = quantiles(agent.reclaimErrors);
    agentSummary = {
      kind: str(p, 'agent.kind'),
      writes: agent.writes,
      rc,
      cpuMs: r3(agent.task.time.reclaim / 1000),
      requestedMiB: r3(pagesToMiB(agent.requestedPages)),
      reclaimedMiB: r3(pagesToMiB(agent.reclaimedPages)),
      reclaimedOverRequested:
        agent.requestedPages > 0 ? r3(agent.reclaimedPages / agent.requestedPages) : null,
      errorP10: e10,
      errorP50: e50,
      errorP90: e90,
      writeP50Ms: r3(agent.writeDuration.quantile(0.5) / 1000),
      writeMaxMs: r3(agent.writeDuration.max / 1000),
    };
  }
  const rpc =
    stats.requests > 0
      ? {
          requests: stats.requests,
          p50Us: r3(stats.requestLatency.quantile(0.5)),
          p99Us: r3(stats.requestLatency.quantile(0.99)),
          p999Us: r3(stats.requestLatency.quantile(0.999)),
          maxUs: r3(stats.requestLatency.max),
          sloMissPct: r3((100 * stats.sloMisses) / stats.requests),
        }
      : null;
  const summary: ArmSummary = {
    durationS: dur / 1e6,
    profile: str(p, 'kernel.profile'),
    memory: {
      usageMeanMiB: r3(usage.length ? sum / usage.length : 0),
      usageMaxMiB: r3(mx),
      usageFinalMiB: r3(pagesToMiB(job.usage)),
      anonFinalMiB: r3(pagesToMiB(mem.anon)),
      fileFinalMiB: r3(pagesToMiB(mem.file)),
      zswapFinalMiB: r3(job.zswapBytesH / 1024 ** 2),
      diskSwapFinalMiB: r3(pagesToMiB(mem.diskSwap)),
      highFinalMiB: Number.isFinite(job.high) ? r3(pagesToMiB(job.high)) : null,
    },
    events,
    stats: st,
    workload: {
      threads: b.jobTasks.length,
      usefulFraction: threadTime > 0 ? r3(useful / threadTime) : 0,
      reclaimCpuMs: r3(reclaim / 1000),
      throttleCount: throttles,
      throttleMs: r3(throttleUs / 1000),
      refaultStallMs: r3(refault / 1000),
      charges: Math.round(lat.count),
      chargeP50Us: r3(lat.quantile(0.5)),
      chargeP99Us: r3(lat.quantile(0.99)),
      chargeP999Us: r3(lat.quantile(0.999)),
      chargeMaxUs: r3(lat.max),
    },
    rpc,
    psi: {
      someTotalMs: r3((ps?.someTotal ?? 0) / 1000),
      fullTotalMs: r3((ps?.fullTotal ?? 0) / 1000),
      someMeanPct: r3(dur > 0 ? (100 * (ps?.someTotal ?? 0)) / dur : 0),
      someAvg10Max: r3(someMax),
      fullAvg10Max: r3(fullMax),
    },
    agent: agentSummary,
    whoPays: {
      workloadReclaimMs: r3(reclaim / 1000),
      agentReclaimMs: r3(agent ? agent.task.time.reclaim / 1000 : 0),
      workloadThrottleMs: r3(throttleUs / 1000),
    },
    socketPressureIntervals: sim.counters.socketPressureWindows,
    oomKills: sim.counters.oomKills,
    chargeFailures: sim.counters.chargeFailures,
    children: children.slice(0, 16).map((c) => ({
      name: c.name,
      usageFinalMiB: r3(pagesToMiB(c.usage)),
      reclaimedMiB: r3(
        pagesToMiB(c.statH('pgsteal_direct') + c.statH('pgsteal_proactive') + c.statH('pgsteal_limit')),
      ),
      reclaimCpuMs: r3(
        b.jobTasks.filter((t) => t.memcg === c).reduce((a, t) => a + t.time.reclaim, 0) / 1000,
      ),
      throttleMs: r3(b.jobTasks.filter((t) => t.memcg === c).reduce((a, t) => a + t.time.throttle, 0) / 1000),
      highEvents: c.eventsH('high'),
    })),
    neighbour: neighbourSummary(sim),
  };
  const writes = (agent?.records ?? []).slice(0, 2000).map((w) => ({
    t_s: r3(w.startUs / 1e6),
    file: w.file,
    value: w.value,
    rc: rcName(w.rc),
    ms: r3(w.durationUs / 1000),
    requestedMiB: r3(pagesToMiB(w.requestedPages)),
    reclaimedMiB: r3(pagesToMiB(w.reclaimedPages)),
  }));
  return {
    name,
    title,
    params: paramsForOutput(p),
    summary,
    series: b.sampler.series(),
    chargeCdf: lat.cdf().map(([v, f]) => [r3(v), round(f, 5) ?? 0]),
    writes,
  };
}

function neighbourSummary(sim: Simulator): ArmSummary['neighbour'] {
  const nb = sim.memcgs.find((m) => m.name === 'neighbour');
  if (!nb) return null;
  return {
    fileFinalMiB: r3(pagesToMiB(nb.lruPages(1))),
    refaults: nb.statH('workingset_refault_file'),
    droppedMiB: r3(pagesToMiB(nb.statH('drop_caches'))),
  };
}

/** Count pages by state (for the conservation invariant). */
export function pageCensus(sim: Simulator): Record<string, number> {
  const out = { free: 0, lru: 0, unevictable: 0, zswap: 0, swap: 0, evicted: 0, inflight: 0 };
  for (let i = 0; i < sim.nPages; i++) {
    const s = sim.pgState[i];
    if (s === P_FREE) out.free++;
    else if (s === P_LRU) out.lru++;
    else if (s === P_UNEVICTABLE) out.unevictable++;
    else if (s === P_ZSWAP) out.zswap++;
    else if (s === P_SWAP) out.swap++;
    else if (s === P_EVICTED) out.evicted++;
    else out.inflight++;
  }
  return out;
}

/** Build, run to the end and summarize one arm. */
export function runArm(
  p: Params,
  seed: number,
  name = 'run',
  title = '',
  onProgress?: (t: number) => void,
): ArmResult {
  const b = buildRun(p, seed);
  b.sim.run(b.durationUs, onProgress);
  return summarize(b, name, title);
}
