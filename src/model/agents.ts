/**
 * The user-space agents of reclaim-model.md A9, each a control loop that writes cgroup files from
 * its own task (so its reclaim CPU and stalls are its own): Senpai classic on memory.high, oomd's
 * Senpai (tick mode, and poking through memory.high or memory.reclaim), the TMO law on
 * memory.reclaim, Shakeel's retry/back-off client, a uswapd-style background reclaimer, and a
 * "oneshot" writer for scripted scenarios.
 */
import { PAGE_SIZE, psiAvgPercent, senpaiAdjustment, tmoReclaimBytes } from './formulas.ts';
import type { Memcg } from './memcg.ts';
import { bool, num, str, type Params } from './params.ts';
import type { Actor, Simulator } from './sim.ts';
import {
  DropCaches,
  EAGAIN,
  FailedWrite,
  EINVAL,
  HighWrite,
  MaxWrite,
  SwapMaxWrite,
  memoryReclaim,
  parseLimit,
  type Syscall,
  type WriteRecord,
} from './syscalls.ts';
import type { Task } from './task.ts';
import { LogHistogram } from './stats.ts';

/** Files an agent can write. */
export type AgentFile =
  'memory.high' | 'memory.high.tmp' | 'memory.max' | 'memory.reclaim' | 'memory.swap.max' | 'drop_caches';

/** What an agent does next. */
export type AgentAction =
  | { kind: 'sleep'; untilUs: number }
  | { kind: 'write'; file: AgentFile; value: string; tmpUs?: number }
  | { kind: 'exit' };

/** What an agent can see: the clock and the target cgroup's files. */
export class AgentCtx {
  constructor(
    readonly sim: Simulator,
    readonly task: Task,
    readonly job: Memcg,
  ) {}

  get now(): number {
    return this.task.clock;
  }

  /** memory.current, bytes. */
  current(): number {
    return this.job.usage * PAGE_SIZE;
  }

  /** memory.high as it reads back, bytes (Infinity for "max"). */
  high(): number {
    return this.job.high * PAGE_SIZE;
  }

  max(): number {
    return this.job.max * PAGE_SIZE;
  }

  /** memory.pressure "some total", µs (integrated up to now). */
  psiSomeTotal(): number {
    this.sim.integratePsi(this.sim.now);
    return this.sim.psi.get(this.job)?.someTotal ?? 0;
  }

  /** memory.pressure some avg10 and avg60, percent. */
  psiSomeAvgs(): [number, number] {
    this.sim.integratePsi(this.sim.now);
    const ps = this.sim.psi.get(this.job);
    if (!ps) return [0, 0];
    return [psiAvgPercent(ps.avgSome[0] ?? 0), psiAvgPercent(ps.avgSome[1] ?? 0)];
  }

  /**
   * oomd's unreclaimable estimate: current − (file + min(free swap, anon)), bytes, never negative.
   */
  unreclaimable(): number {
    let file = 0;
    let anon = 0;
    for (const m of this.job.subtree) {
      file += m.lruPages(1) + m.isolatedFile;
      anon += m.lruPages(0) + m.isolatedAnon;
    }
    const swapFree = Math.max(0, this.sim.freeSwap(this.job));
    return Math.max(0, this.job.usage - (file + Math.min(swapFree, anon))) * PAGE_SIZE;
  }
}

/** A control loop. */
export interface AgentLogic {
  readonly name: string;
  next(ctx: AgentCtx): AgentAction;
  onResult?(ctx: AgentCtx, rec: WriteRecord): void;
  /** The limit the agent holds or last asked for, bytes (NaN when it has none). */
  limitBytes(): number;
  /** The action the agent takes just before it is killed (S5), if any. */
  lastWords?(ctx: AgentCtx, cut: number): AgentAction | null;
}

/** Cost of one control-file write outside reclaim (open, parse, return), µs. */
export const SYSCALL_US = 2;

/** Most write records kept for output; totals cover every write. */
export const MAX_WRITE_RECORDS = 20000;

/** Runs an AgentLogic as a task: decisions, then writes stepped in slices. */
export class AgentActor implements Actor {
  nextTime: number;
  readonly prio = 1;
  readonly ctx: AgentCtx;
  readonly records: WriteRecord[] = [];
  writes = 0;
  requestedPages = 0;
  reclaimedPages = 0;
  readonly rcCounts: Record<string, number> = {};
  readonly writeDuration = new LogHistogram();
  /** Relative error of each memory.reclaim: (reclaimed − requested) / requested. */
  readonly reclaimErrors: number[] = [];
  private current: Syscall | null = null;
  private crashed = false;
  private afterCrash = false;

  constructor(
    readonly sim: Simulator,
    readonly task: Task,
    job: Memcg,
    readonly logic: AgentLogic,
    startUs: number,
    private readonly timeoutUs: number,
    private readonly nonblock: boolean,
    private readonly crashAtUs: number,
    private readonly crashCut: number,
  ) {
    this.ctx = new AgentCtx(sim, task, job);
    task.clock = startUs;
    this.nextTime = startUs;
  }

  /** The write in progress, if any (its reclaimed count and start time are live). */
  inProgress(): Syscall | null {
    return this.current;
  }

  step(sim: Simulator): void {
    const task = this.task;
    if (!task.alive) {
      this.nextTime = Infinity;
      return;
    }
    if (task.clock < sim.now) task.idleUntil(sim.now);
    if (this.current) {
      if (this.current.step(sim)) this.finishWrite();
      this.nextTime = task.clock;
      return;
    }
    if (this.afterCrash) {
      task.alive = false;
      this.nextTime = Infinity;
      return;
    }
    let action: AgentAction;
    if (this.crashAtUs > 0 && task.clock >= this.crashAtUs && !this.crashed) {
      this.crashed = true;
      this.afterCrash = true;
      action = this.logic.lastWords?.(this.ctx, this.crashCut) ?? { kind: 'exit' };
    } else {
      action = this.logic.next(this.ctx);
    }
    if (action.kind === 'exit') {
      task.alive = false;
      this.nextTime = Infinity;
      return;
    }
    if (action.kind === 'sleep') {
      let until = Math.max(action.untilUs, task.clock + 1);
      if (this.crashAtUs > 0 && !this.crashed)
        until = Math.min(until, Math.max(this.crashAtUs, task.clock + 1));
      task.idleUntil(until);
      this.nextTime = task.clock;
      return;
    }
    this.current = this.makeWrite(action);
    if (this.current.step(sim)) this.finishWrite();
    this.nextTime = task.clock;
  }

  private makeWrite(a: { file: AgentFile; value: string; tmpUs?: number }): Syscall {
    const sim = this.sim;
    const job = this.ctx.job;
    const task = this.task;
    switch (a.file) {
      case 'memory.reclaim':
        return memoryReclaim(sim, job, task, a.value, this.timeoutUs);
      case 'memory.high':
      case 'memory.high.tmp': {
        const pages = parseLimit(a.value);
        if (pages === null) return new FailedWrite(a.file, a.value, job, task, EINVAL);
        return new HighWrite(
          sim,
          job,
          task,
          pages,
          a.value,
          this.timeoutUs,
          this.nonblock,
          a.file === 'memory.high.tmp' ? (a.tmpUs ?? 0) : 0,
        );
      }
      case 'memory.max': {
        const pages = parseLimit(a.value);
        if (pages === null) return new FailedWrite(a.file, a.value, job, task, EINVAL);
        return new MaxWrite(sim, job, task, pages, a.value, this.timeoutUs, this.nonblock);
      }
      case 'memory.swap.max': {
        const pages = parseLimit(a.value);
        if (pages === null) return new FailedWrite(a.file, a.value, job, task, EINVAL);
        return new SwapMaxWrite(job, task, pages, a.value);
      }
      case 'drop_caches':
        return new DropCaches(job, task);
    }
  }

  private finishWrite(): void {
    const sc = this.current as Syscall;
    this.current = null;
    // Entering and leaving the kernel takes time too, so even a write that fails at once moves the clock.
    this.task.idleUntil(this.task.clock + SYSCALL_US);
    const rec = sc.record();
    this.writes++;
    this.requestedPages += rec.requestedPages;
    this.reclaimedPages += rec.reclaimedPages;
    const key = String(rec.rc);
    this.rcCounts[key] = (this.rcCounts[key] ?? 0) + 1;
    this.writeDuration.add(rec.durationUs);
    if (
      rec.file === 'memory.reclaim' &&
      rec.requestedPages > 0 &&
      this.reclaimErrors.length < MAX_WRITE_RECORDS
    ) {
      this.reclaimErrors.push((rec.reclaimedPages - rec.requestedPages) / rec.requestedPages);
    }
    if (this.records.length < MAX_WRITE_RECORDS) this.records.push(rec);
    this.logic.onResult?.(this.ctx, rec);
  }
}

// ---------------------------------------------------------------------------------------------
// The agents

const US = 1e6;
/** oomd's upper bound: current + 10 GiB (limit_max_bytes). */
const OOMD_HEADROOM = 10 * 1024 ** 3;

function pageFloor(bytes: number): number {
  return Math.max(0, Math.floor(bytes / PAGE_SIZE) * PAGE_SIZE);
}

/** A memory.reclaim request for `bytes`, with a swappiness= key when the agent sets one (-1: none, 201: max). */
function reclaimValue(bytes: number, swappiness: number): string {
  return swappiness >= 0 ? `${bytes} swappiness=${swappiness === 201 ? 'max' : swappiness}` : String(bytes);
}

/** Senpai classic (2019 senpai.py) and oomd's tick mode (A9a, A9b): memory.high from PSI some. */
export class Senpai implements AgentLogic {
  readonly name: string;
  private limit = NaN;
  private integral = 0;
  private grace: number;
  private lastTotal = NaN;
  private written = NaN;
  private readonly tickUs: number;

  constructor(
    private readonly p: Params,
    private readonly oomd: boolean,
  ) {
    this.name = oomd ? 'oomd-tick' : 'senpai';
    this.tickUs = num(p, 'agent.tick') * US;
    this.grace = num(p, 'agent.interval') - 1;
  }

  limitBytes(): number {
    return this.limit;
  }

  private useTmp(): boolean {
    return bool(this.p, 'agent.highTmp');
  }

  next(ctx: AgentCtx): AgentAction {
    const p = this.p;
    const total = ctx.psiSomeTotal();
    if (Number.isNaN(this.limit)) {
      this.limit = ctx.current();
      this.lastTotal = total;
      return { kind: 'sleep', untilUs: ctx.now + this.tickUs };
    }
    const delta = total - this.lastTotal;
    this.lastTotal = total;
    // Someone else changed memory.high: start again from memory.current.
    if (!this.useTmp() && !Number.isNaN(this.written) && ctx.high() !== this.written)
      this.limit = ctx.current();
    this.integral += delta;
    const target = num(p, 'agent.pressureUs');
    const conf = {
      maxProbe: num(p, 'agent.maxProbe'),
      maxBackoff: num(p, 'agent.maxBackoff'),
      coeffProbe: num(p, 'agent.coeffProbe'),
      coeffBackoff: num(p, 'agent.coeffBackoff'),
    };
    if (this.integral <= target && this.grace > 0) {
      this.grace--;
      return { kind: 'sleep', untilUs: ctx.now + this.tickUs };
    }
    const adj = senpaiAdjustment(this.integral, target, conf);
    this.limit *= 1 + adj;
    this.integral = 0;
    this.grace = num(p, 'agent.interval') - 1;
    this.clamp(ctx);
    return this.writeLimit(ctx, this.limit);
  }

  private clamp(ctx: AgentCtx): void {
    const p = this.p;
    let lo = num(p, 'agent.minSize');
    let hi = num(p, 'agent.maxSize');
    if (this.oomd) {
      lo = Math.max(lo + ctx.unreclaimable(), ctx.job.min * PAGE_SIZE);
      hi = Math.min(ctx.current() + OOMD_HEADROOM, ctx.max());
    }
    this.limit = pageFloor(Math.min(hi, Math.max(lo, this.limit)));
  }

  private writeLimit(ctx: AgentCtx, bytes: number): AgentAction {
    this.written = pageFloor(bytes);
    this.pendingSleep = ctx.now + this.tickUs;
    if (this.useTmp()) {
      return {
        kind: 'write',
        file: 'memory.high.tmp',
        value: String(this.written),
        tmpUs: num(this.p, 'agent.highTmpSecs') * US,
      };
    }
    return { kind: 'write', file: 'memory.high', value: String(this.written) };
  }

  private pendingSleep = 0;

  onResult(ctx: AgentCtx): void {
    // The next tick stays on the 1-second grid even when a write took a while.
    if (this.pendingSleep > ctx.now) ctx.task.idleUntil(this.pendingSleep);
  }

  lastWords(ctx: AgentCtx, cut: number): AgentAction | null {
    if (cut <= 0) return null;
    this.limit = pageFloor((Number.isNaN(this.limit) ? ctx.current() : this.limit) * (1 - cut));
    return this.writeLimit(ctx, this.limit);
  }
}

/** oomd Senpai poking mode (A9b): every interval, if PSI is quiet, poke (current − bound) × max_probe. */
export class Poke implements AgentLogic {
  readonly name: string;
  private last = NaN;
  private resetPending = false;
  private nextAt = 0;
  private readonly intervalUs: number;

  constructor(
    private readonly p: Params,
    private readonly viaReclaim: boolean,
  ) {
    this.name = viaReclaim ? 'poke-reclaim' : 'poke-high';
    this.intervalUs = num(p, 'agent.tick') * num(p, 'agent.interval') * US;
  }

  limitBytes(): number {
    return this.last;
  }

  next(ctx: AgentCtx): AgentAction {
    const p = this.p;
    if (this.resetPending) {
      this.resetPending = false;
      return { kind: 'write', file: 'memory.high', value: 'max' };
    }
    if (this.nextAt === 0) this.nextAt = ctx.now + this.intervalUs;
    if (ctx.now < this.nextAt) return { kind: 'sleep', untilUs: this.nextAt };
    this.nextAt += this.intervalUs;
    if (bool(p, 'agent.pokeGate')) {
      const gate = num(p, 'agent.pokeGatePct');
      const [a10, a60] = ctx.psiSomeAvgs();
      if (a10 >= gate || a60 >= gate) return { kind: 'sleep', untilUs: this.nextAt };
    }
    const lower = num(p, 'agent.minSize') + ctx.unreclaimable();
    const size = pageFloor((ctx.current() - lower) * num(p, 'agent.maxProbe'));
    if (size <= 0) return { kind: 'sleep', untilUs: this.nextAt };
    return this.poke(ctx, size);
  }

  private poke(ctx: AgentCtx, size: number): AgentAction {
    this.last = size;
    if (this.viaReclaim) {
      return {
        kind: 'write',
        file: 'memory.reclaim',
        value: reclaimValue(size, num(this.p, 'agent.swappiness')),
      };
    }
    this.resetPending = true;
    return { kind: 'write', file: 'memory.high', value: String(pageFloor(ctx.current() - size)) };
  }

  lastWords(ctx: AgentCtx, cut: number): AgentAction | null {
    if (cut <= 0) return null;
    const size = pageFloor(ctx.current() * cut);
    this.last = size;
    if (this.viaReclaim) return { kind: 'write', file: 'memory.reclaim', value: String(size) };
    return { kind: 'write', file: 'memory.high', value: String(pageFloor(ctx.current() - size)) };
  }
}

/** The TMO law (A9c, form [R]): reclaim current × ratio × max(0, 1 − psi/threshold) every interval. */
export class Tmo implements AgentLogic {
  readonly name = 'tmo';
  private last = NaN;
  private lastTotal = NaN;
  private nextAt = 0;
  private readonly intervalUs: number;

  constructor(private readonly p: Params) {
    this.intervalUs = num(p, 'agent.tick') * num(p, 'agent.interval') * US;
  }

  limitBytes(): number {
    return this.last;
  }

  next(ctx: AgentCtx): AgentAction {
    const total = ctx.psiSomeTotal();
    if (this.nextAt === 0) {
      this.nextAt = ctx.now + this.intervalUs;
      this.lastTotal = total;
      return { kind: 'sleep', untilUs: this.nextAt };
    }
    if (ctx.now < this.nextAt) return { kind: 'sleep', untilUs: this.nextAt };
    const psiPct = ((total - this.lastTotal) / this.intervalUs) * 100;
    this.lastTotal = total;
    this.nextAt += this.intervalUs;
    const bytes = pageFloor(
      tmoReclaimBytes(ctx.current(), num(this.p, 'agent.tmoRatio'), psiPct, num(this.p, 'agent.tmoPsiPct')),
    );
    this.last = bytes;
    if (bytes < PAGE_SIZE) return { kind: 'sleep', untilUs: this.nextAt };
    return {
      kind: 'write',
      file: 'memory.reclaim',
      value: reclaimValue(bytes, num(this.p, 'agent.swappiness')),
    };
  }

  lastWords(ctx: AgentCtx, cut: number): AgentAction | null {
    if (cut <= 0) return null;
    return { kind: 'write', file: 'memory.reclaim', value: String(pageFloor(ctx.current() * cut)) };
  }
}

/** Shakeel's retry/back-off client (A9d): retry on -EAGAIN, skip intervals after over-reclaim. */
export class Backoff implements AgentLogic {
  readonly name = 'backoff';
  private nextAt = 0;
  private skip = 0;
  private retriesLeft: number;
  private request = 0;
  private retryAt = -1;
  private retryBytes = 0;
  private readonly intervalUs: number;
  /** Over-reclaim detections (skips started). */
  backoffs = 0;
  retried = 0;

  constructor(private readonly p: Params) {
    this.intervalUs = num(p, 'agent.tick') * num(p, 'agent.interval') * US;
    this.retriesLeft = num(p, 'agent.retries');
  }

  limitBytes(): number {
    return this.request;
  }

  next(ctx: AgentCtx): AgentAction {
    if (this.retryAt >= 0) {
      if (ctx.now < this.retryAt) return { kind: 'sleep', untilUs: this.retryAt };
      this.retryAt = -1;
      this.retried++;
      return { kind: 'write', file: 'memory.reclaim', value: String(this.retryBytes) };
    }
    if (this.nextAt === 0) this.nextAt = ctx.now + this.intervalUs;
    if (ctx.now < this.nextAt) return { kind: 'sleep', untilUs: this.nextAt };
    this.nextAt += this.intervalUs;
    if (this.skip > 0) {
      this.skip--;
      return { kind: 'sleep', untilUs: this.nextAt };
    }
    const fixed = num(this.p, 'agent.request');
    this.request = pageFloor(fixed > 0 ? fixed : ctx.current() * num(this.p, 'agent.requestPct'));
    if (this.request < PAGE_SIZE) return { kind: 'sleep', untilUs: this.nextAt };
    this.retriesLeft = num(this.p, 'agent.retries');
    return { kind: 'write', file: 'memory.reclaim', value: String(this.request) };
  }

  onResult(_ctx: AgentCtx, rec: WriteRecord): void {
    const got = rec.reclaimedPages * PAGE_SIZE;
    if (rec.rc === EAGAIN && this.retriesLeft > 0) {
      this.retriesLeft--;
      this.retryAt = rec.startUs + rec.durationUs + num(this.p, 'agent.retryDelay') * US;
      this.retryBytes = pageFloor(Math.max(PAGE_SIZE, this.request - got));
      return;
    }
    const drop = (rec.usageBefore - rec.usageAfter) * PAGE_SIZE;
    if (drop > (1 + num(this.p, 'agent.overTolerance')) * this.request) {
      this.skip = num(this.p, 'agent.skipIntervals');
      this.backoffs++;
    }
  }
}

/** uswapd (A9e): when usage passes high − δ, reclaim down to high − 2δ. */
export class Uswapd implements AgentLogic {
  readonly name = 'uswapd';
  private last = NaN;
  private readonly pollUs: number;

  constructor(private readonly p: Params) {
    this.pollUs = num(p, 'agent.uswapdPollMs') * 1000;
  }

  limitBytes(): number {
    return this.last;
  }

  private resumeAt = 0;

  onResult(ctx: AgentCtx): void {
    this.resumeAt = ctx.now + this.pollUs;
  }

  next(ctx: AgentCtx): AgentAction {
    if (ctx.now < this.resumeAt) return { kind: 'sleep', untilUs: this.resumeAt };
    const own = num(this.p, 'agent.uswapdHigh');
    const high = Number.isFinite(own) ? own : ctx.job.effectiveHigh(ctx.now) * PAGE_SIZE;
    if (!Number.isFinite(high)) return { kind: 'sleep', untilUs: ctx.now + this.pollUs };
    const delta = (num(this.p, 'agent.uswapdDeltaPct') / 100) * high;
    const cur = ctx.current();
    if (cur <= high - delta) return { kind: 'sleep', untilUs: ctx.now + this.pollUs };
    const bytes = pageFloor(cur - (high - 2 * delta));
    this.last = bytes;
    if (bytes < PAGE_SIZE) return { kind: 'sleep', untilUs: ctx.now + this.pollUs };
    return { kind: 'write', file: 'memory.reclaim', value: String(bytes) };
  }
}

/** A scripted writer: one file, at a time, repeated (S3, S4, S6, S7 and the validation runs). */
export class Oneshot implements AgentLogic {
  readonly name = 'oneshot';
  private done = 0;
  private queue: AgentAction[] = [];
  private nextAt: number;
  private restoreAt = -1;
  private last = NaN;
  private savedSwapMax = 'max';

  constructor(private readonly p: Params) {
    this.nextAt = num(p, 'agent.oneshotAt') * US;
  }

  limitBytes(): number {
    return this.last;
  }

  next(ctx: AgentCtx): AgentAction {
    const queued = this.queue.shift();
    if (queued) return queued;
    const p = this.p;
    if (this.restoreAt >= 0 && ctx.now >= this.restoreAt) {
      this.restoreAt = -1;
      const file = str(p, 'agent.oneshotFile') === 'memory.max' ? 'memory.max' : 'memory.high';
      return { kind: 'write', file, value: 'max' };
    }
    if (this.done >= num(p, 'agent.oneshotRepeat')) {
      return this.restoreAt >= 0
        ? { kind: 'sleep', untilUs: this.restoreAt }
        : { kind: 'sleep', untilUs: Infinity };
    }
    if (ctx.now < this.nextAt) return { kind: 'sleep', untilUs: this.nextAt };
    this.done++;
    const file = str(p, 'agent.oneshotFile');
    const fixed = num(p, 'agent.oneshotBytes');
    const amount = pageFloor(fixed > 0 ? fixed : ctx.current() * num(p, 'agent.oneshotPct'));
    this.last = amount;
    const restore = num(p, 'agent.oneshotRestore');
    if (restore > 0 && (file === 'memory.high' || file === 'memory.max'))
      this.restoreAt = ctx.now + restore * US;
    switch (file) {
      case 'memory.high':
      case 'memory.max':
        return { kind: 'write', file, value: String(pageFloor(ctx.current() - amount)) };
      case 'drop_caches':
        return { kind: 'write', file: 'drop_caches', value: '1' };
      case 'memory.reclaim-noswap':
        // v5.19 has no swappiness key: lower swap.max, reclaim, put swap.max back (stateful again).
        this.savedSwapMax = Number.isFinite(ctx.job.swapMax) ? String(ctx.job.swapMax * PAGE_SIZE) : 'max';
        this.queue.push({ kind: 'write', file: 'memory.reclaim', value: String(amount) });
        this.queue.push({ kind: 'write', file: 'memory.swap.max', value: this.savedSwapMax });
        return { kind: 'write', file: 'memory.swap.max', value: '0' };
      default:
        return {
          kind: 'write',
          file: 'memory.reclaim',
          value: reclaimValue(amount, num(p, 'agent.swappiness')),
        };
    }
  }

  onResult(ctx: AgentCtx): void {
    if (this.queue.length === 0) this.nextAt = ctx.now + num(this.p, 'agent.oneshotEvery') * US;
  }
}

/** Build the agent logic named by agent.kind (null for "none"). */
export function makeAgentLogic(p: Params): AgentLogic | null {
  switch (str(p, 'agent.kind')) {
    case 'senpai':
      return new Senpai(p, false);
    case 'oomd-tick':
      return new Senpai(p, true);
    case 'poke-high':
      return new Poke(p, false);
    case 'poke-reclaim':
      return new Poke(p, true);
    case 'tmo':
      return new Tmo(p);
    case 'backoff':
      return new Backoff(p);
    case 'uswapd':
      return new Uswapd(p);
    case 'oneshot':
      return new Oneshot(p);
    default:
      return null;
  }
}
