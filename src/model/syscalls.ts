/**
 * Control-file writes as the kernel executes them in the writer's context (reclaim-model.md E3–E5):
 * memory.high, memory.max, memory.reclaim, memory.swap.max and drop_caches. Each write is a state
 * machine the agent task steps in slices, so a long write interleaves with the workload. Return
 * codes follow the kernel: 0 for success, -EAGAIN, -EINTR, -EINVAL, -ENOENT.
 */
import { PAGE_SIZE, MAX_SWAPPINESS, SWAPPINESS_ANON_ONLY } from './formulas.ts';
import { NR_LISTS, SRC_DIRECT, SRC_LIMIT, SRC_PROACTIVE, type Memcg } from './memcg.ts';
import { ReclaimCall, type ReclaimLedger, type ReclaimOpts } from './reclaim.ts';
import { F_DIRTY, F_WRITEBACK, P_LRU } from './page.ts';
import type { Simulator } from './sim.ts';
import { S_STALL_RUN, type Task } from './task.ts';
import { parseBytes } from './units.ts';

export const EAGAIN = -11;
export const EINTR = -4;
export const EINVAL = -22;
export const ENOENT = -2;

/** Names of return codes for output. */
export function rcName(rc: number): string {
  switch (rc) {
    case 0:
      return 'ok';
    case EAGAIN:
      return 'EAGAIN';
    case EINTR:
      return 'EINTR';
    case EINVAL:
      return 'EINVAL';
    case ENOENT:
      return 'ENOENT';
    default:
      return String(rc);
  }
}

/** Longest stretch of reclaim a writer does before the scheduler lets other tasks run, µs. */
export const WRITER_SLICE_US = 1000;

/** What one write did (A10 "latency seen by the reclaimer"). */
export interface WriteRecord {
  file: string;
  value: string;
  startUs: number;
  durationUs: number;
  /** CPU the writer spent reclaiming, µs. */
  cpuUs: number;
  rc: number;
  requestedPages: number;
  reclaimedPages: number;
  usageBefore: number;
  usageAfter: number;
}

/** A write in progress. step() returns true when the write has returned. */
export abstract class Syscall {
  rc = 0;
  reclaimed = 0;
  requested = 0;
  cpu = 0;
  readonly start: number;
  readonly usageBefore: number;
  protected call: ReclaimCall | null = null;
  /** When set, every reclaim call of this write books per-cgroup quota, scans and steals here. */
  ledger: ReclaimLedger | null = null;
  /** Pages scanned by this write's reclaim calls (inactive lists, as pgscan counts). */
  scanned = 0;

  constructor(
    readonly file: string,
    readonly value: string,
    readonly memcg: Memcg,
    protected readonly task: Task,
    /** A signal arrives this long after the write starts (Infinity: never). */
    protected readonly timeoutUs: number,
  ) {
    this.start = task.clock;
    this.usageBefore = memcg.usage;
  }

  abstract step(sim: Simulator): boolean;

  protected signalPending(): boolean {
    return this.task.clock - this.start >= this.timeoutUs;
  }

  /** Run the reclaim call in progress for one slice in the writer's context; true when it finished. */
  protected runCall(_sim: Simulator): boolean {
    const call = this.call as ReclaimCall;
    const cost = call.run(WRITER_SLICE_US);
    this.task.spend(S_STALL_RUN, cost);
    this.task.time.reclaim += cost;
    this.cpu += cost;
    if (call.done) this.scanned += call.scanned;
    return call.done;
  }

  /**
   * Run the pending call for one slice; null while it is still running, else what it reclaimed
   * (added to this write's total, and the call cleared for the next one).
   */
  protected finishCall(sim: Simulator): number | null {
    if (!this.runCall(sim)) return null;
    const got = (this.call as ReclaimCall).reclaimed;
    this.reclaimed += got;
    this.call = null;
    return got;
  }

  /** Reclaim options of this write's calls, with its ledger. */
  protected opts(source: number, swappiness: number, extra: Partial<ReclaimOpts> = {}): ReclaimOpts {
    return { maySwap: true, source, swappiness, ...extra, ...(this.ledger ? { ledger: this.ledger } : {}) };
  }

  record(): WriteRecord {
    return {
      file: this.file,
      value: this.value,
      startUs: this.start,
      durationUs: this.task.clock - this.start,
      cpuUs: this.cpu,
      rc: this.rc,
      requestedPages: this.requested,
      reclaimedPages: this.reclaimed,
      usageBefore: this.usageBefore,
      usageAfter: this.memcg.usage,
    };
  }
}

/** A write that fails at once (bad value, missing file). */
export class FailedWrite extends Syscall {
  constructor(file: string, value: string, memcg: Memcg, task: Task, rc: number) {
    super(file, value, memcg, task, Infinity);
    this.rc = rc;
  }
  step(): boolean {
    return true;
  }
}

/** Parse a limit value as memory.high/max take it: bytes (suffixes allowed) or "max". */
export function parseLimit(value: string): number | null {
  const v = value.trim();
  if (v === 'max') return Infinity;
  const b = parseBytes(v);
  if (!Number.isFinite(b) || b < 0) return null;
  return Math.floor(b / PAGE_SIZE);
}

/**
 * memory.high (E3). limit-first (5.11+): set H, then reclaim in the writer until usage ≤ H,
 * a signal, or 16 passes without progress, draining the stocks first; always succeeds. reclaim-first
 * (5.8–5.10): the same loop runs before H is applied. limit-then-once (before 5.8): set H and make one
 * reclaim call for the excess, with no stock drain. O_NONBLOCK on
 * kernels that support it sets H and returns.
 */
export class HighWrite extends Syscall {
  private retries: number;
  private drained = false;
  private applied = false;
  private readonly order: string;

  constructor(
    sim: Simulator,
    memcg: Memcg,
    task: Task,
    private readonly high: number,
    value: string,
    timeoutUs: number,
    private readonly nonblock: boolean,
    /** memory.high.tmp: expire after this many µs (Meta-internal, not upstream). */
    private readonly tmpUs = 0,
  ) {
    super(tmpUs > 0 ? 'memory.high.tmp' : 'memory.high', value, memcg, task, timeoutUs);
    this.retries = sim.c.maxRetries;
    this.order = String(sim.params['kernel.highWrite']);
    // What the write asks for: the usage above the new limit when it is written.
    this.requested = Number.isFinite(high) ? Math.max(0, memcg.usage - high) : 0;
  }

  private apply(): void {
    if (this.applied) return;
    this.applied = true;
    if (this.tmpUs > 0) {
      this.memcg.highTmp = this.high;
      this.memcg.highTmpUntil = this.task.clock + this.tmpUs;
    } else {
      this.memcg.high = this.high;
    }
  }

  step(sim: Simulator): boolean {
    const m = this.memcg;
    if (this.order !== 'reclaim-first') this.apply();
    if (this.nonblock && sim.params['kernel.nonblock'] === true) return true;
    if (this.order === 'limit-then-once') {
      // Before 5.8 (588083bb37a3): one call for the excess; drain_all_stock came with 536d3bf261a2.
      if (!this.call) {
        if (m.usage <= this.high) return true;
        this.call = this.newCall(sim, m.usage - this.high);
      }
      return this.finishCall(sim) !== null;
    }
    for (;;) {
      if (this.call) {
        const r = this.finishCall(sim);
        if (r === null) return false;
        if (r === 0 && this.retries-- <= 0) return this.done();
        continue;
      }
      if (m.usage <= this.high || this.signalPending()) return this.done();
      if (!this.drained) {
        sim.drainAllStock(m);
        this.drained = true;
        continue;
      }
      this.call = this.newCall(sim, m.usage - this.high);
    }
  }

  private newCall(sim: Simulator, nr: number): ReclaimCall {
    return new ReclaimCall(sim, this.memcg, nr, this.opts(SRC_LIMIT, sim.c.swappiness), this.task.clock);
  }

  private done(): boolean {
    this.apply();
    return true;
  }
}

/** memory.max (E4): set max, reclaim until usage ≤ max, then OOM-kill until it fits or nothing can die. */
export class MaxWrite extends Syscall {
  private reclaims: number;
  private drained = false;

  constructor(
    sim: Simulator,
    memcg: Memcg,
    task: Task,
    private readonly max: number,
    value: string,
    timeoutUs: number,
    private readonly nonblock: boolean,
  ) {
    super('memory.max', value, memcg, task, timeoutUs);
    this.reclaims = sim.c.maxRetries;
    this.requested = Number.isFinite(max) ? Math.max(0, memcg.usage - max) : 0;
    memcg.max = max;
  }

  step(sim: Simulator): boolean {
    const m = this.memcg;
    if (this.nonblock && sim.params['kernel.nonblock'] === true) return true;
    for (;;) {
      if (this.call) {
        const got = this.finishCall(sim);
        if (got === null) return false;
        if (got === 0) this.reclaims--;
        continue;
      }
      if (m.usage <= this.max || this.signalPending()) return true;
      if (!this.drained) {
        sim.drainAllStock(m);
        this.drained = true;
        continue;
      }
      if (this.reclaims > 0) {
        const nr = m.usage - this.max;
        this.call = new ReclaimCall(sim, m, nr, this.opts(SRC_LIMIT, sim.c.swappiness), this.task.clock);
        continue;
      }
      if (!sim.oomKill(m, this.task)) return true;
    }
  }
}

/**
 * memory.reclaim (E5): reclaim N bytes in inner calls sized by the profile's batch policy; -EAGAIN
 * after the retries run out without progress, -EINTR on a signal. Sets no limit.
 */
export class ReclaimWrite extends Syscall {
  private retries: number;
  private readonly target: number;
  private readonly policy: string;

  constructor(
    sim: Simulator,
    memcg: Memcg,
    task: Task,
    bytes: number,
    value: string,
    timeoutUs: number,
    private readonly swappiness: number,
  ) {
    super('memory.reclaim', value, memcg, task, timeoutUs);
    this.retries = sim.c.maxRetries;
    this.target = Math.floor(bytes / PAGE_SIZE);
    this.requested = this.target;
    this.policy = String(sim.params['kernel.batchPolicy']);
  }

  step(sim: Simulator): boolean {
    for (;;) {
      if (this.call) {
        const got = this.finishCall(sim);
        if (got === null) return false;
        if (got === 0) {
          if (this.retries === 0) {
            this.rc = EAGAIN;
            return true;
          }
          this.retries--;
        }
        continue;
      }
      if (this.reclaimed >= this.target) return true;
      if (this.signalPending()) {
        this.rc = EINTR;
        return true;
      }
      if (sim.c.reclaimDyingMemcg && this.memcg.dying) {
        this.rc = EAGAIN;
        return true;
      }
      const rem = this.target - this.reclaimed;
      const batch =
        this.policy === 'cap32'
          ? Math.min(rem, sim.c.swapClusterMax)
          : this.policy === 'quarter'
            ? Math.floor(rem / 4)
            : rem;
      this.call = new ReclaimCall(
        sim,
        this.memcg,
        batch,
        this.opts(SRC_PROACTIVE, this.swappiness),
        this.task.clock,
      );
    }
  }
}

/**
 * Parse and validate "N [swappiness=S]" as the profile's memory.reclaim does; returns the write, or
 * a FailedWrite with -ENOENT (no such file before 5.19) or -EINVAL.
 */
export function memoryReclaim(
  sim: Simulator,
  memcg: Memcg,
  task: Task,
  value: string,
  timeoutUs: number,
): Syscall {
  if (sim.params['kernel.memoryReclaim'] !== true)
    return new FailedWrite('memory.reclaim', value, memcg, task, ENOENT);
  const parts = value.trim().split(/\s+/);
  const amount = parts[0] ?? '';
  const bytes = amount === 'max' ? NaN : parseBytes(amount);
  if (!Number.isFinite(bytes) || bytes < 0)
    return new FailedWrite('memory.reclaim', value, memcg, task, EINVAL);
  let swappiness = sim.c.swappiness;
  for (const opt of parts.slice(1)) {
    const m = /^swappiness=(max|\d+)$/.exec(opt);
    if (!m || sim.params['kernel.swappinessKey'] !== true)
      return new FailedWrite('memory.reclaim', value, memcg, task, EINVAL);
    // Numbers go up to 200; anon-only is spelled "max" (SWAPPINESS_ANON_ONLY internally).
    const s = m[1] === 'max' ? SWAPPINESS_ANON_ONLY : Number(m[1]);
    if (m[1] !== 'max' && s > MAX_SWAPPINESS)
      return new FailedWrite('memory.reclaim', value, memcg, task, EINVAL);
    swappiness = s;
  }
  return new ReclaimWrite(sim, memcg, task, bytes, value, timeoutUs, swappiness);
}

/**
 * memory.low and memory.min: page_counter_set_low() / page_counter_set_min() take effect at once and
 * reclaim nothing (mm/memcontrol.c memory_low_write(), memory_min_write()); the next reclaim pass
 * recomputes the effective protection.
 */
export class ProtectionWrite extends Syscall {
  constructor(file: 'memory.low' | 'memory.min', memcg: Memcg, task: Task, pages: number, value: string) {
    super(file, value, memcg, task, Infinity);
    if (file === 'memory.low') memcg.low = pages;
    else memcg.min = pages;
  }
  step(): boolean {
    return true;
  }
}

/**
 * Global memory pressure at the root (not a control file): reclaim with the root cgroup as the
 * target and cgroup_reclaim() false, the way the page allocator's slow path or kswapd does it.
 * `kswapd`: balance_pgdat()'s kswapd_shrink_node() as calls for the whole remainder, always with
 * full memcg walks (shrink_node_memcgs(): "For kswapd, reliable forward progress is more important
 * than a quick return to idle"). `direct`: try_to_free_pages() calls of SWAP_CLUSTER_MAX pages
 * (its nr_to_reclaim), each a partial walk when the profile walks partially, repeated until the
 * amount is freed, as an allocation burst would. Both stop after MAX_RECLAIM_RETRIES calls that
 * free nothing (rc -EAGAIN). The model has no watermarks or zones (A11): the amount stands for the
 * gap to the high watermark.
 */
export class GlobalReclaim extends Syscall {
  private retries: number;
  private readonly target: number;

  constructor(
    sim: Simulator,
    task: Task,
    bytes: number,
    value: string,
    private readonly reclaimer: 'kswapd' | 'direct',
  ) {
    super(`global:${reclaimer}`, value, sim.root, task, Infinity);
    this.retries = sim.c.maxRetries;
    this.target = Math.floor(bytes / PAGE_SIZE);
    this.requested = this.target;
  }

  step(sim: Simulator): boolean {
    for (;;) {
      if (this.call) {
        const got = this.finishCall(sim);
        if (got === null) return false;
        if (got === 0 && this.retries-- <= 0) {
          this.rc = EAGAIN;
          return true;
        }
        continue;
      }
      if (this.reclaimed >= this.target) return true;
      const rem = this.target - this.reclaimed;
      const kswapd = this.reclaimer === 'kswapd';
      const nr = kswapd ? rem : sim.c.swapClusterMax;
      this.call = new ReclaimCall(
        sim,
        sim.root,
        nr,
        this.opts(SRC_DIRECT, sim.c.swappiness, { global: true, kswapd }),
        this.task.clock,
      );
    }
  }
}

/** memory.swap.max: takes effect at once, no reclaim. */
export class SwapMaxWrite extends Syscall {
  constructor(memcg: Memcg, task: Task, pages: number, value: string) {
    super('memory.swap.max', value, memcg, task, Infinity);
    memcg.swapMax = pages;
  }
  step(): boolean {
    return true;
  }
}

/**
 * echo 1 > /proc/sys/vm/drop_caches: drop every clean page-cache page of every cgroup (the global
 * reference of S7). The writer pays the scan and drop costs.
 */
export class DropCaches extends Syscall {
  private cursor = 0;
  private list = 2;

  constructor(memcg: Memcg, task: Task) {
    super('drop_caches', '1', memcg, task, Infinity);
  }

  step(sim: Simulator): boolean {
    const memcgs = sim.memcgs;
    let spent = 0;
    while (this.cursor < memcgs.length && spent < WRITER_SLICE_US) {
      const m = memcgs[this.cursor] as Memcg;
      if (this.list >= NR_LISTS) {
        this.cursor++;
        this.list = 2;
        continue;
      }
      // Walk the list once from the tail, dropping clean pages and keeping dirty ones and those
      // under writeback (invalidate_mapping_pages() skips both).
      let p = m.lruTail[this.list] ?? -1;
      while (p >= 0 && spent < WRITER_SLICE_US) {
        const next = sim.pgNext[p] ?? -1;
        spent += sim.c.tScan;
        if (sim.pgState[p] === P_LRU && ((sim.pgFlags[p] ?? 0) & (F_DIRTY | F_WRITEBACK)) === 0) {
          sim.lruDel(p, m);
          sim.evictFile(p, m, m);
          m.stat('drop_caches');
          this.reclaimed++;
          spent += sim.c.tDrop;
        }
        p = next;
      }
      if (p < 0) this.list++;
    }
    this.task.spend(S_STALL_RUN, spent);
    this.task.time.reclaim += spent;
    this.cpu += spent;
    return this.cursor >= memcgs.length;
  }
}
