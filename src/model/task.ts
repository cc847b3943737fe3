/**
 * Tasks (workload threads and agents), processes and memory regions (reclaim-model.md A2).
 * A task keeps its own clock: what it does costs time on that clock, and the scheduler runs
 * whichever task is furthest behind. Its PSI state over time is recorded as segments.
 */
import type { AccessQueue } from './aging.ts';
import type { Memcg } from './memcg.ts';
import { LogHistogram } from './stats.ts';

/** PSI task states of a segment. */
export const S_IDLE = 0;
/** Running, not stalled on memory (productive). */
export const S_RUN = 1;
/** Running but in memstall (reclaim, workingset decompression). */
export const S_STALL_RUN = 2;
/** Sleeping in memstall (throttle sleep, workingset read from disk). */
export const S_STALL_SLEEP = 3;
/** Waiting on I/O that is not a memory stall (a cold page read back). */
export const S_IOWAIT = 4;

/** Where a task's time went, µs. */
export interface TaskTime {
  useful: number;
  /** Reclaim done in this task's context (charge path for workloads, syscalls for agents). */
  reclaim: number;
  /** Throttle sleeps in the high handler. */
  throttle: number;
  /** Refault decompression CPU. */
  refaultCpu: number;
  /** Waiting for refault I/O. */
  refaultIo: number;
  /** Minor faults and charges. */
  fault: number;
  /** Sleeps in balance_dirty_pages() (a writer over the dirty limit). */
  dirtyPause: number;
}

/** A memory region of a process: pages with one type and one access rate. */
export interface Region {
  id: number;
  name: string;
  process: Process;
  memcg: Memcg;
  /** 0 anon, 1 file. */
  type: number;
  /**
   * Pages are used through page tables (young PTEs): always for anon, for file pages of an mmap.
   * Unmapped page cache is used by read() and write() (folio_mark_accessed()).
   */
  mapped: boolean;
  /** A VM_EXEC file mapping (text): a young page is activated on the first scan that sees it. */
  exec: boolean;
  /** Processes mapping each page (a mapped region's accesses are spread evenly over them). */
  mappers: number;
  /** Pending accesses of unmapped pages on the inactive list (aging.ts); null when none yet. */
  queue: AccessQueue | null;
  /** First page id and number of page ids reserved. */
  first: number;
  count: number;
  /** Page ids in use so far (allocation fills first..first+allocated-1). */
  allocated: number;
  /** Accesses per page per second while all the process's threads run. */
  hz: number;
  /** Cumulative expected accesses per page (advanced as threads do useful work). */
  mass: number;
  mlocked: boolean;
  /** Share of file pages dirty when allocated. */
  dirty: number;
  /** Pages filled with one value: zswap keeps them without compressed data (selftest buffers). */
  sameFilled: boolean;
  /** Pages of this region that would fault if touched (not resident), as a dense set. */
  faultable: Int32Array;
  nFaultable: number;
  /** Gradual allocation: starts at this time (µs), pages per µs of one thread's useful time. */
  allocAtUs: number;
  allocPerUs: number;
}

/** A process: threads that share regions; the unit the OOM killer kills. */
export interface Process {
  id: number;
  name: string;
  memcg: Memcg;
  regions: Region[];
  threads: Task[];
  alive: boolean;
}

/** One schedulable task with its own clock, PSI segments and time accounting. */
export class Task {
  /** The task's own clock, µs. */
  clock = 0;
  alive = true;
  /** The kernel has flagged the task as dying (killed). */
  dying = false;
  /** When a fatal signal (SIGKILL) reaches the task, on its own clock (Infinity: never). */
  fatalSignalAt = Infinity;
  /** Pages charged over high not yet handled, and the resume flag (E1/E2). */
  nrOverHigh = 0;
  notify = false;
  /** PSI segments not yet integrated: start, end, state triples. */
  seg: number[] = [];
  readonly time: TaskTime = {
    useful: 0,
    reclaim: 0,
    throttle: 0,
    refaultCpu: 0,
    refaultIo: 0,
    fault: 0,
    dirtyPause: 0,
  };
  /** Throttle sleeps taken and their count. */
  throttles = 0;
  /** Latency of each charge (fault entry to return to user), µs. */
  readonly chargeLatency = new LogHistogram();

  constructor(
    readonly id: number,
    readonly name: string,
    public memcg: Memcg,
    readonly cpu: number,
    readonly process: Process | null,
  ) {}

  /** task_is_dying(): killed, or a fatal signal is pending by the task's clock. */
  isDying(): boolean {
    return this.dying || this.clock >= this.fatalSignalAt;
  }

  /** Spend `dur` µs in `state`, advancing the clock; adjacent equal states merge. */
  spend(state: number, dur: number): void {
    if (!(dur > 0)) return;
    const start = this.clock;
    const end = start + dur;
    const n = this.seg.length;
    if (n >= 3 && this.seg[n - 1] === state && this.seg[n - 2] === start) this.seg[n - 2] = end;
    else this.seg.push(start, end, state);
    this.clock = end;
  }

  /** Jump the clock forward without recording (idle time is the absence of segments). */
  idleUntil(t: number): void {
    if (t > this.clock) this.clock = t;
  }
}
