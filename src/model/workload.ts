/**
 * A workload thread as a scheduler actor: it plans a quantum of work (page accesses that may fault,
 * new allocations, short-lived charges, useful CPU), executes it through the kernel paths of the
 * simulator, and runs the high handler (E2) on the way back to user mode, one pass per step so
 * other tasks interleave. Scripted operations (allocate N pages, sleep, exit) drive the selftests.
 */
import type { Region } from './task.ts';
import { S_RUN, type Task } from './task.ts';
import type { Actor, Simulator } from './sim.ts';
import { LogHistogram } from './stats.ts';

/** One scripted operation of a workload thread. */
export type ThreadOp =
  | { op: 'run'; untilUs?: number }
  /** Run until this thread has done `us` µs of useful work, then report to `job` (fixed-work jobs). */
  | { op: 'work'; us: number; job?: FixedJob }
  | { op: 'alloc'; region: Region; pages: number; syscall?: boolean }
  | { op: 'sleep'; us: number }
  | { op: 'hold' }
  | { op: 'exit' };

/** What a thread does in 'run' mode. */
export interface RunShape {
  /** Regions whose pages this thread's useful time touches, with per-thread access rate per page (1/µs). */
  access: { region: Region; perUs: number }[];
  /** Regions allocated gradually (burst, growth); rates are in the regions. */
  gradual: Region[];
  /** Short-lived pages charged per µs of useful time and freed at the end of the quantum. */
  churnPerUs: number;
  rpc?: { perUs: number; allocPages: number; workUs: number; touches: number; hot: Region };
}

/**
 * A job with a fixed amount of work: each of its threads must do `workUs` µs of useful CPU (the
 * accesses, allocations and churn of its run shape come with that work), and the job is complete
 * when the last thread is done. Its runtime is what a constraint slows down; the process exits at
 * completion (its anonymous memory is freed, its page cache stays, as after exit(2)).
 */
export class FixedJob {
  /** Threads still working. */
  left: number;
  /** Completion time, µs (NaN until done). */
  endUs = NaN;

  constructor(
    readonly name: string,
    readonly startUs: number,
    readonly workUs: number,
    readonly threads: number,
    /** Called once, at completion, before the process exits. */
    private readonly onDone?: (job: FixedJob, sim: Simulator, task: Task) => void,
    /** The process exits at completion (false for a build, whose make process outlives its compiles). */
    private readonly exit = true,
  ) {
    this.left = threads;
  }

  /** Runtime, µs (NaN while running). */
  get runtimeUs(): number {
    return this.endUs - this.startUs;
  }

  /** One thread finished its share at its clock. */
  threadDone(sim: Simulator, task: Task): void {
    if (--this.left > 0) return;
    this.endUs = task.clock;
    this.onDone?.(this, sim, task);
    if (this.exit && task.process) sim.killProcess(task.process);
  }
}

/**
 * One slot of a build's parallelism (make -jN): it runs the build's short-lived processes one after
 * another, each a workload thread with a fixed amount of work that exits when done, taking the next
 * process from the shared queue. Only the slots are scheduler actors, so a build of hundreds of
 * processes costs the scheduler what N threads cost.
 */
export class BuildSlot implements Actor {
  nextTime = Infinity;
  readonly prio = 2;
  private cur: WorkloadThread | null = null;

  constructor(private readonly queue: { threads: WorkloadThread[]; next: number }) {}

  /** Take the next process at time t; false when the queue is empty. */
  start(t: number): boolean {
    const th = this.queue.threads[this.queue.next];
    if (!th) {
      this.cur = null;
      this.nextTime = Infinity;
      return false;
    }
    this.queue.next++;
    th.task.idleUntil(t);
    th.nextTime = th.task.clock;
    this.cur = th;
    this.nextTime = th.nextTime;
    return true;
  }

  step(sim: Simulator): void {
    const th = this.cur;
    if (!th) {
      this.nextTime = Infinity;
      return;
    }
    th.step(sim);
    if (th.nextTime === Infinity && !th.task.alive) this.start(Math.max(th.task.clock, sim.now));
    else this.nextTime = th.nextTime;
  }
}

/** Statistics shared by the workload threads of a job (A10). */
export class WorkloadStats {
  readonly requestLatency = new LogHistogram();
  sloUs = 1000;
  sloMisses = 0;
  requests = 0;
  /** Per sample interval: worst charge latency, and E2 sleeps. */
  intervalLatMax = 0;
  intervalThrottles = 0;
  intervalReqMax = 0;
}

const PHASE_PLAN = 0;
const PHASE_EXEC = 1;
const PHASE_HIGH = 2;

export class WorkloadThread implements Actor {
  nextTime = 0;
  readonly prio = 2;
  private phase = PHASE_PLAN;
  private opIndex = 0;
  // Demand of the current quantum.
  private allocLeft: number[] = [];
  private faultLeft: number[] = [];
  private churnLeft = 0;
  private churnHeld = 0;
  private usefulUs = 0;
  private inSyscall = false;
  private scriptRegion: Region | null = null;
  private scriptLeft = 0;
  private allocFrac: number[] = [];
  private churnFrac = 0;
  /** Pages this thread has written dirty (for the balance_dirty_pages() ratelimit). */
  private dirtied = 0;
  // RPC state.
  private nextArrival = -1;
  private reqArrival = -1;
  /** Clock at the start of the fault whose high handler is running (for its latency). */
  private faultStart = 0;

  constructor(
    readonly task: Task,
    private readonly ops: ThreadOp[],
    private readonly shape: RunShape,
    private readonly stats: WorkloadStats,
    private readonly quantumUs: number,
  ) {
    this.allocLeft = shape.gradual.map(() => 0);
    this.allocFrac = shape.gradual.map(() => 0);
    this.faultLeft = shape.access.map(() => 0);
    this.nextTime = task.clock;
  }

  step(sim: Simulator): void {
    const task = this.task;
    if (!task.alive) {
      this.releaseChurn(sim);
      this.nextTime = Infinity;
      return;
    }
    if (task.clock < sim.now) task.idleUntil(sim.now);
    const stepStart = task.clock;
    if (this.phase === PHASE_HIGH) {
      const before = task.throttles;
      const finished = sim.highStep(task);
      if (task.throttles > before) this.stats.intervalThrottles++;
      if (finished) {
        this.recordLatency(task.clock - this.faultStart + sim.c.tMinor, 1);
        this.phase = PHASE_EXEC;
      }
      this.nextTime = task.clock;
      return;
    }
    if (this.phase === PHASE_PLAN && !this.plan(sim)) return;
    this.exec(sim, stepStart);
    this.nextTime = Math.max(task.clock, sim.now);
  }

  /** Set up the next quantum (or scripted op). Returns false when the step is over (idle or done). */
  private plan(sim: Simulator): boolean {
    const task = this.task;
    // A fatal signal is delivered on the way back to user mode: the process exits.
    if (task.isDying() && task.process) {
      sim.killProcess(task.process);
      this.nextTime = Infinity;
      return false;
    }
    for (;;) {
      const op = this.ops[this.opIndex];
      if (!op || op.op === 'hold') {
        this.nextTime = Infinity;
        return false;
      }
      if (op.op === 'exit') {
        if (task.process) sim.killProcess(task.process);
        this.nextTime = Infinity;
        return false;
      }
      if (op.op === 'sleep') {
        task.idleUntil(task.clock + op.us);
        this.opIndex++;
        this.nextTime = task.clock;
        return false;
      }
      if (op.op === 'alloc') {
        if (this.scriptRegion !== op.region) {
          this.scriptRegion = op.region;
          this.scriptLeft = Math.min(op.pages, op.region.count - op.region.allocated);
          this.inSyscall = op.syscall ?? false;
        }
        if (this.scriptLeft <= 0) {
          this.opIndex++;
          this.scriptRegion = null;
          const wasSyscall = this.inSyscall;
          this.inSyscall = false;
          // Returning from the syscall runs the deferred high handler.
          if (wasSyscall && this.startHigh(sim)) return false;
          continue;
        }
        this.phase = PHASE_EXEC;
        return true;
      }
      if (op.op === 'work') {
        const left = op.us - task.time.useful;
        if (left <= 1e-6) {
          this.opIndex++;
          op.job?.threadDone(sim, task);
          if (!task.alive) {
            this.nextTime = Infinity;
            return false;
          }
          continue;
        }
        return this.planRun(sim, task.clock + left);
      }
      // 'run'
      if (op.untilUs !== undefined && task.clock >= op.untilUs) {
        this.opIndex++;
        continue;
      }
      return this.planRun(sim, op.untilUs ?? Infinity);
    }
  }

  private planRun(sim: Simulator, untilUs: number): boolean {
    const task = this.task;
    const shape = this.shape;
    const rng = sim.rng;
    let q = Math.min(this.quantumUs, untilUs - task.clock);
    if (shape.rpc) {
      const rpc = shape.rpc;
      if (this.nextArrival < 0) this.nextArrival = task.clock + rng.exp(1 / rpc.perUs);
      if (task.clock < this.nextArrival) {
        task.idleUntil(Math.min(this.nextArrival, untilUs));
        this.nextTime = task.clock;
        return false;
      }
      this.reqArrival = this.nextArrival;
      this.nextArrival += rng.exp(1 / rpc.perUs);
      q = rpc.workUs;
      const hot = rpc.hot;
      const dm = hot.count > 0 ? rpc.touches / hot.count : 0;
      sim.accessRegion(hot, dm);
      for (let i = 0; i < shape.access.length; i++) {
        const a = shape.access[i];
        if (!a) continue;
        if (a.region === hot) this.faultLeft[i] = rng.poisson(hot.nFaultable * (1 - Math.exp(-dm)));
      }
      this.churnLeft = rpc.allocPages;
    } else {
      for (let i = 0; i < shape.access.length; i++) {
        const a = shape.access[i];
        if (!a) continue;
        const dm = a.perUs * q;
        sim.accessRegion(a.region, dm);
        this.faultLeft[i] =
          a.region.nFaultable > 0 ? rng.poisson(a.region.nFaultable * (1 - Math.exp(-dm))) : 0;
      }
      const churn = shape.churnPerUs * q + this.churnFrac;
      this.churnLeft = Math.floor(churn);
      this.churnFrac = churn - this.churnLeft;
    }
    for (let i = 0; i < shape.gradual.length; i++) {
      const r = shape.gradual[i];
      if (!r || task.clock < r.allocAtUs || r.allocated >= r.count) continue;
      const want = r.allocPerUs * q + (this.allocFrac[i] ?? 0);
      const whole = Math.floor(want);
      this.allocFrac[i] = want - whole;
      this.allocLeft[i] = whole;
    }
    this.usefulUs = q;
    this.phase = PHASE_EXEC;
    return true;
  }

  /** Execute the planned demand until it is done, a high handler must run, or the step is long. */
  private exec(sim: Simulator, stepStart: number): void {
    const task = this.task;
    // Scripted allocation.
    if (this.scriptRegion) {
      const r = this.scriptRegion;
      const limit = stepStart + this.quantumUs;
      while (this.scriptLeft > 0 && task.clock < limit) {
        if (!this.allocOne(sim, r)) {
          this.scriptLeft = 0;
          break;
        }
        this.scriptLeft--;
        // write(2) calls balance_dirty_pages_ratelimited() for each page it dirties; the model
        // checks once per 32 (the initial ratelimit_pages of mm/page-writeback.c).
        if (r.type === 1 && r.dirty > 0 && ++this.dirtied % 32 === 0) sim.wb.balance(task, r.memcg);
        if (sim.highPending(task, this.inSyscall) && this.startHigh(sim)) return;
      }
      this.phase = PHASE_PLAN;
      return;
    }
    for (let i = 0; i < this.allocLeft.length; i++) {
      const r = this.shape.gradual[i] as Region;
      const writes = r.type === 1 && r.dirty > 0 && (this.allocLeft[i] ?? 0) > 0;
      while ((this.allocLeft[i] ?? 0) > 0) {
        if (r.allocated >= r.count) {
          this.allocLeft[i] = 0;
          break;
        }
        // Bulk from the charge stock; otherwise one page through the slow path.
        const want = Math.min(this.allocLeft[i] ?? 0, r.count - r.allocated);
        const got = sim.takeStock(task, r.memcg, want);
        if (got > 0) {
          for (let k = 0; k < got; k++) sim.allocPage(task, r, true);
          this.stockFaults(sim, got);
          this.allocLeft[i] = (this.allocLeft[i] ?? 0) - got;
          continue;
        }
        this.allocLeft[i] = (this.allocLeft[i] ?? 0) - 1;
        if (!this.allocOne(sim, r)) return this.dead(sim);
        if (sim.highPending(task, false) && this.startHigh(sim)) return;
      }
      // write(2) of these pages ends in balance_dirty_pages_ratelimited(): over the dirty limit, sleep.
      if (writes) sim.wb.balance(task, r.memcg);
    }
    for (let i = 0; i < this.faultLeft.length; i++) {
      const r = (this.shape.access[i] as { region: Region }).region;
      while ((this.faultLeft[i] ?? 0) > 0) {
        this.faultLeft[i] = (this.faultLeft[i] ?? 0) - 1;
        if (r.nFaultable <= 0) {
          this.faultLeft[i] = 0;
          break;
        }
        const p = r.faultable[sim.rng.int(r.nFaultable)] ?? 0;
        const t0 = task.clock;
        if (!sim.faultIn(task, p)) return this.dead(sim);
        if (this.afterFault(sim, t0)) return;
      }
    }
    while (this.churnLeft > 0) {
      const m = task.memcg;
      const got = sim.takeStock(task, m, this.churnLeft);
      if (got > 0) {
        this.churnLeft -= got;
        this.churnHeld += got;
        m.transient += got;
        this.stockFaults(sim, got);
        continue;
      }
      const t0 = task.clock;
      this.churnLeft--;
      if (!sim.chargeSlow(task, m, 1)) return this.dead(sim);
      this.churnHeld++;
      m.transient++;
      this.minorFaults(sim, 1);
      if (this.afterFault(sim, t0)) return;
    }
    // The demand is met: do the useful work of the quantum.
    task.spend(S_RUN, this.usefulUs);
    task.time.useful += this.usefulUs;
    this.usefulUs = 0;
    this.releaseChurn(sim);
    if (this.reqArrival >= 0) {
      const lat = task.clock - this.reqArrival;
      this.stats.requestLatency.add(lat);
      this.stats.requests++;
      if (lat > this.stats.sloUs) this.stats.sloMisses++;
      if (lat > this.stats.intervalReqMax) this.stats.intervalReqMax = lat;
      this.reqArrival = -1;
    }
    this.phase = PHASE_PLAN;
  }

  /** Allocate one page of r through the stock or the slow path, recording the fault's latency. */
  private allocOne(sim: Simulator, r: Region): boolean {
    const task = this.task;
    const t0 = task.clock;
    const fromStock = sim.takeStock(task, r.memcg, 1) === 1;
    if (!sim.allocPage(task, r, fromStock)) return false;
    this.minorFaults(sim, 1);
    if (sim.highPending(task, this.inSyscall)) {
      this.faultStart = t0;
      return true;
    }
    this.recordLatency(task.clock - t0, 1);
    return true;
  }

  /** Bill n minor faults (a fresh page or a short-lived charge each) to the thread's clock. */
  private minorFaults(sim: Simulator, n: number): void {
    const us = n * sim.c.tMinor;
    this.task.spend(S_RUN, us);
    this.task.time.fault += us;
  }

  /** n faults served from the charge stock: a minor fault each, which is also each one's latency. */
  private stockFaults(sim: Simulator, n: number): void {
    this.minorFaults(sim, n);
    this.recordLatency(sim.c.tMinor, n);
  }

  /**
   * After a fault that started at t0 outside a syscall: enter the high handler if one is due (true:
   * the step ends there and the handler's end records the latency), else record the latency now.
   */
  private afterFault(sim: Simulator, t0: number): boolean {
    if (sim.highPending(this.task, false)) {
      this.faultStart = t0;
      if (sim.highStart(this.task)) {
        this.phase = PHASE_HIGH;
        return true;
      }
    }
    this.recordLatency(this.task.clock - t0, 1);
    return false;
  }

  private startHigh(sim: Simulator): boolean {
    if (!sim.highStart(this.task)) return false;
    this.phase = PHASE_HIGH;
    this.nextTime = this.task.clock;
    return true;
  }

  private releaseChurn(sim: Simulator): void {
    if (this.churnHeld > 0) {
      this.task.memcg.transient -= this.churnHeld;
      sim.uncharge(this.task.memcg, this.churnHeld);
      this.churnHeld = 0;
    }
  }

  private dead(sim: Simulator): void {
    this.releaseChurn(sim);
    this.nextTime = this.task.alive ? this.task.clock : Infinity;
    if (!this.task.alive) this.phase = PHASE_PLAN;
  }

  private recordLatency(us: number, weight: number): void {
    this.task.chargeLatency.add(us, weight);
    if (us > this.stats.intervalLatMax) this.stats.intervalLatMax = us;
  }
}
