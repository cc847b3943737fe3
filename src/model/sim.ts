/**
 * The discrete-event core of the reference reclaim model (reclaim-model.md A1–A8): the page store
 * (typed arrays, one slot per page), LRU lists, hierarchical page counters with per-CPU charge
 * stocks, the charge path (E1) with its max path and OOM killer, the high handler (E2), zswap and
 * disk swap (A6), refault-distance detection (A7), PSI (A8) and the scheduler.
 *
 * Pure TypeScript: no Node or DOM APIs, so the same code runs in Node and in a browser worker.
 */
import { constsFrom, type Consts } from './consts.ts';
import {
  PAGE_SIZE,
  calculateOverage,
  highDelayJiffies,
  highDelayJiffiesWrap,
  isRecentRefault,
  psiAggregate,
  psiUpdateAverages,
  workingsetSize,
} from './formulas.ts';
import { L_ACTIVE_ANON, Memcg, SRC_DIRECT, computeSubtrees, type MemcgLimits } from './memcg.ts';
import {
  F_DIRTY,
  F_RECLAIM,
  F_REFERENCED,
  F_WRITEBACK,
  F_WORKINGSET,
  F_YOUNG,
  P_EVICTED,
  P_FILE_WB,
  P_FREE,
  P_LRU,
  P_SWAP,
  P_SWAP_WB,
  P_UNEVICTABLE,
  P_ZSWAP,
  P_ZSWAP_PENDING,
} from './page.ts';
import { num, type Params } from './params.ts';
import { AccessQueue } from './aging.ts';
import { ReclaimCall, type ReclaimHost } from './reclaim.ts';
import { Rng, hashUnit } from './rng.ts';
import { Writeback, type WritebackHost } from './writeback.ts';
import {
  S_IDLE,
  S_IOWAIT,
  S_RUN,
  S_STALL_RUN,
  S_STALL_SLEEP,
  Task,
  type Process,
  type Region,
} from './task.ts';

/** Completion kinds of the asynchronous queue. */
const C_SWAPOUT = 1;
const C_FILE_WB = 2;
const C_COMPRESS = 3;
/** The end of a flusher write (the page stays on its LRU list meanwhile). */
const C_WB_END = 4;

/**
 * Something the scheduler runs: the actor with the earliest nextTime goes next, then the lowest
 * prio, then the one added first.
 *
 * The scheduler keeps actors in a heap keyed on the nextTime it last read, and reads an actor's
 * nextTime again only after that actor's step (and at the start of each run()). So during a run
 * only an actor's own step may change its nextTime, unless the actor sets wokenByOthers.
 */
export interface Actor {
  nextTime: number;
  /** Tie-break at equal times: samplers (0) before agents (1) before workloads (2). Never changes. */
  readonly prio: number;
  /**
   * Other actors' steps (or asynchronous completions) may change this actor's nextTime, as
   * dirtying pages and reclaim wake the flusher: the scheduler then re-reads it after every step.
   */
  readonly wokenByOthers?: boolean;
  step(sim: Simulator): void;
}

/** State of a high handler (E2) that spans several scheduler steps. */
interface HighHandlerState {
  nr: number;
  retries: number;
  inRetry: boolean;
}

/** PSI accumulation of one cgroup (A8). */
export class PsiState {
  someTotal = 0;
  fullTotal = 0;
  readonly avgSome = new Float64Array(3);
  readonly avgFull = new Float64Array(3);
  periodSome = 0;
  periodFull = 0;
  tasks: Task[] = [];
}

/** Totals that outlive the series (reported in the summary). */
export interface SimCounters {
  reclaimCalls: number;
  vmpScanned: number;
  vmpReclaimed: number;
  /** Sample intervals with socket pressure (vmpressure ≥ medium from non-proactive reclaim). */
  socketPressureWindows: number;
  oomKills: number;
  chargeFailures: number;
}

/** The simulator. Build it with the add* methods, call finalize(), then run(). */
export class Simulator implements ReclaimHost, WritebackHost {
  readonly c: Consts;
  readonly rng: Rng;
  readonly seed: number;
  now = 0;
  readonly root: Memcg;
  readonly memcgs: Memcg[] = [];
  readonly processes: Process[] = [];
  readonly regions: Region[] = [];
  readonly tasks: Task[] = [];
  readonly actors: Actor[] = [];
  readonly cpus: number;
  readonly counters: SimCounters = {
    reclaimCalls: 0,
    vmpScanned: 0,
    vmpReclaimed: 0,
    socketPressureWindows: 0,
    oomKills: 0,
    chargeFailures: 0,
  };
  /** Set by the sampler each interval: non-proactive reclaim reached vmpressure medium. */
  socketPressureNow = false;
  private vmpWinScanned = 0;
  private vmpWinReclaimed = 0;

  // Page store.
  nPages = 0;
  pgState!: Uint8Array;
  pgList!: Uint8Array;
  pgFlags!: Uint8Array;
  pgMemcg!: Uint16Array;
  pgRegion!: Uint16Array;
  pgNext!: Int32Array;
  pgPrev!: Int32Array;
  pgSetPos!: Int32Array;
  /**
   * Per page, the region mass at which reclaim last looked at its PTEs (mapped pages) or, for an
   * unmapped page, since which its accesses are not yet accounted (it was activated then).
   */
  pgMass!: Float64Array;
  /** Unmapped pages on the inactive list: the region mass of their next access (aging.ts). */
  pgDue!: Float64Array;
  pgShadow!: Float64Array;
  pgShadowMemcg!: Int16Array;
  pgZsize!: Uint16Array;

  // Per-CPU charge stocks.
  private stockMemcg: (Memcg | null)[];
  private stockPages: Float64Array;

  /** Swap slots in use (zswap entries and disk) and the device size, pages. */
  swapUsed = 0;
  swapSize: number;
  /** Pages in flight to zswap (what-if), on disk, and file pages being written back. */
  private heapTime = new Float64Array(1024);
  private heapPage = new Int32Array(1024);
  private heapKind = new Uint8Array(1024);
  private heapLen = 0;
  private compressorFree: Float64Array;

  /** Dirty page cache, the flusher and the dirty limits (writeback.ts). */
  readonly wb: Writeback;

  /**
   * The scheduler's heap of actor indices, ordered by (time, prio, index) with time and prio as
   * last read from the actor; schedPos is each actor's place in it. It replaces a scan of every
   * actor per step, which dominated runs over a hundred cgroups.
   */
  private schedHeap = new Int32Array(16);
  private schedPos = new Int32Array(16);
  private schedTime = new Float64Array(16);
  private schedPrio = new Float64Array(16);
  private schedLen = 0;
  /** Indices of the actors with wokenByOthers. */
  private schedWoken: number[] = [];
  /** Inside run(): addActor must put a new actor into the heap. */
  private running = false;

  private highState = new Map<Task, HighHandlerState>();
  private psiMemcgs: Memcg[] = [];
  readonly psi = new Map<Memcg, PsiState>();
  private psiIntegratedTo = 0;
  private nextPsiAvg: number;
  private finalized = false;

  constructor(
    readonly params: Params,
    seed: number,
  ) {
    this.c = constsFrom(params);
    this.seed = seed >>> 0;
    this.rng = new Rng(seed);
    this.cpus = num(params, 'sim.cpus');
    this.stockMemcg = new Array<Memcg | null>(this.cpus).fill(null);
    this.stockPages = new Float64Array(this.cpus);
    this.swapSize = Math.floor(num(params, 'swap.size') / PAGE_SIZE);
    this.compressorFree = new Float64Array(this.c.compressorCpus);
    this.root = new Memcg(0, '/', null);
    this.memcgs.push(this.root);
    this.nextPsiAvg = this.c.psiFreqUs;
    const hz = num(params, 'kernel.HZ');
    this.wb = new Writeback(this, {
      dirtyRatio: num(params, 'kernel.dirty_ratio'),
      backgroundRatio: num(params, 'kernel.dirty_background_ratio'),
      expireUs: num(params, 'kernel.dirty_expire_centisecs') * 1e4,
      intervalUs: num(params, 'kernel.dirty_writeback_centisecs') * 1e4,
      pageUs: (PAGE_SIZE / num(params, 'cost.writeback_bw')) * 1e6,
      memoryPages: Math.floor(num(params, 'sim.memory') / PAGE_SIZE),
      // MAX_PAUSE: max(HZ/5, 1) jiffies.
      maxPauseUs: (Math.max(Math.floor(hz / 5), 1) * 1e6) / hz,
    });
  }

  // --------------------------------------------------------------------------------------------
  // Building

  /** Add a cgroup under `parent` with limits in pages (zswapMax in bytes). */
  addMemcg(name: string, parent: Memcg, limits: Partial<MemcgLimits> = {}): Memcg {
    // Page arrays store the cgroup id in 16 bits; a shadow entry uses -1 for "none".
    if (this.memcgs.length >= 32000) throw new Error('too many cgroups (limit 32000)');
    const m = new Memcg(this.memcgs.length, name, parent);
    Object.assign(m, limits);
    this.memcgs.push(m);
    return m;
  }

  addProcess(name: string, memcg: Memcg): Process {
    const p: Process = { id: this.processes.length, name, memcg, regions: [], threads: [], alive: true };
    this.processes.push(p);
    return p;
  }

  /**
   * Reserve `pages` page ids for a region. `initial` pages are resident from the start (placed by
   * finalize); the rest are allocated gradually from `allocAtUs` at `allocPerUs` pages per µs of one
   * thread's useful time.
   */
  addRegion(
    process: Process,
    spec: {
      name: string;
      type: 'anon' | 'file';
      pages: number;
      hz: number;
      initial?: number;
      mlocked?: boolean;
      dirty?: number;
      allocAtUs?: number;
      allocPerUs?: number;
      memcg?: Memcg;
      initialActive?: boolean;
      sameFilled?: boolean;
      /** Initial pages carry no young bit or PG_referenced (already aged by earlier reclaim). */
      aged?: boolean;
      /** File pages of an mmap rather than read()/write() page cache (anon is always mapped). */
      mapped?: boolean;
      /** A VM_EXEC file mapping (implies mapped). */
      exec?: boolean;
      /** Processes mapping each page (default 1). */
      mappers?: number;
    },
  ): Region {
    if (this.regions.length >= 65535) throw new Error('too many regions');
    const pages = Math.max(0, Math.floor(spec.pages));
    const r: Region = {
      id: this.regions.length,
      name: spec.name,
      process,
      memcg: spec.memcg ?? process.memcg,
      type: spec.type === 'file' ? 1 : 0,
      mapped: spec.type !== 'file' || (spec.mapped ?? false) || (spec.exec ?? false),
      exec: spec.type === 'file' && (spec.exec ?? false),
      mappers: Math.max(1, Math.floor(spec.mappers ?? 1)),
      queue: null,
      first: this.nPages,
      count: pages,
      allocated: 0,
      hz: spec.hz,
      mass: 0,
      mlocked: spec.mlocked ?? false,
      dirty: spec.dirty ?? 0,
      sameFilled: spec.sameFilled ?? false,
      faultable: new Int32Array(pages),
      nFaultable: 0,
      allocAtUs: spec.allocAtUs ?? Infinity,
      allocPerUs: spec.allocPerUs ?? 0,
    };
    this.nPages += pages;
    this.regions.push(r);
    process.regions.push(r);
    this.pendingInitial.push([
      r,
      Math.min(pages, Math.floor(spec.initial ?? 0)),
      spec.initialActive ?? false,
      spec.aged ?? false,
    ]);
    return r;
  }
  private pendingInitial: [Region, number, boolean, boolean][] = [];

  addTask(name: string, memcg: Memcg, process: Process | null): Task {
    const t = new Task(this.tasks.length, name, memcg, this.tasks.length % this.cpus, process);
    this.tasks.push(t);
    if (process) process.threads.push(t);
    return t;
  }

  /** Add an actor to the scheduler; it goes after the actors already added among equals. */
  addActor(a: Actor): void {
    this.actors.push(a);
    // An actor added by another's step joins the running schedule at once, as the scan it replaced saw it.
    if (this.running) this.schedInsert(this.actors.length - 1);
  }

  /** Allocate the page store and place the initial resident pages (charged directly, no reclaim). */
  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    computeSubtrees(this.root);
    const n = this.nPages;
    this.pgState = new Uint8Array(n);
    this.pgList = new Uint8Array(n);
    this.pgFlags = new Uint8Array(n);
    this.pgMemcg = new Uint16Array(n);
    this.pgRegion = new Uint16Array(n);
    this.pgNext = new Int32Array(n).fill(-1);
    this.pgPrev = new Int32Array(n).fill(-1);
    this.pgSetPos = new Int32Array(n).fill(-1);
    this.pgMass = new Float64Array(n);
    this.pgDue = new Float64Array(n);
    this.pgShadow = new Float64Array(n);
    this.pgShadowMemcg = new Int16Array(n).fill(-1);
    this.pgZsize = new Uint16Array(n);
    for (const r of this.regions) {
      this.pgRegion.fill(r.id, r.first, r.first + r.count);
      this.pgMemcg.fill(r.memcg.id, r.first, r.first + r.count);
    }
    for (const [r, initial, active, aged] of this.pendingInitial) {
      // One charge for the whole region: these pages were there before the run.
      this.uncheckedCharge(r.memcg, initial);
      for (let i = 0; i < initial; i++) {
        const p = r.first + r.allocated++;
        this.placeNewPage(p, r, active, aged);
      }
    }
    this.pendingInitial = [];
    // The flusher runs last among equals (after every actor the scenario added).
    this.actors.push(this.wb);
    // PSI groups: every cgroup with a task in its subtree.
    for (const m of this.memcgs) {
      const tasks = this.tasks.filter((t) => m.subtree.includes(t.memcg));
      if (tasks.length === 0) continue;
      const ps = new PsiState();
      ps.tasks = tasks;
      this.psi.set(m, ps);
      this.psiMemcgs.push(m);
    }
  }

  // --------------------------------------------------------------------------------------------
  // Scheduler

  /** Run until simulated time `untilUs` (or until every actor is done). */
  run(untilUs: number, onProgress?: (nowUs: number) => void): void {
    this.finalize();
    let nextProgress = this.now + 5e6;
    const actors = this.actors;
    // Rebuilt per call: between calls anyone may have changed an actor's nextTime.
    this.schedBuild();
    this.running = true;
    try {
      for (;;) {
        let best: Actor | null = null;
        let bi = -1;
        let bt = Infinity;
        if (this.schedLen > 0) {
          bi = this.schedHeap[0] ?? 0;
          bt = this.schedTime[bi] ?? Infinity;
          // An actor at Infinity never runs (unless its prio is below 0, as with the scan before).
          if (bt !== Infinity || (this.schedPrio[bi] ?? 0) < 0) best = actors[bi] as Actor;
        }
        const heapT = this.heapLen > 0 ? (this.heapTime[0] ?? Infinity) : Infinity;
        if (heapT <= bt && heapT <= untilUs) {
          this.now = Math.max(this.now, heapT);
          this.completeOne();
          this.schedRereadWoken();
          continue;
        }
        if (best === null || bt > untilUs) break;
        if (bt > this.now) this.now = bt;
        best.step(this);
        this.schedUpdate(bi);
        this.schedRereadWoken();
        if (onProgress && this.now >= nextProgress) {
          onProgress(this.now);
          nextProgress = this.now + 5e6;
        }
      }
    } finally {
      this.running = false;
    }
    if (untilUs > this.now && Number.isFinite(untilUs)) this.now = untilUs;
  }

  /** Put every actor into the heap with its current nextTime. */
  private schedBuild(): void {
    const n = this.actors.length;
    if (this.schedHeap.length < n) {
      const cap = Math.max(n, this.schedHeap.length * 2);
      this.schedHeap = new Int32Array(cap);
      this.schedPos = new Int32Array(cap);
      this.schedTime = new Float64Array(cap);
      this.schedPrio = new Float64Array(cap);
    }
    this.schedLen = 0;
    this.schedWoken = [];
    for (let i = 0; i < n; i++) this.schedInsert(i);
  }

  private schedInsert(i: number): void {
    if (i >= this.schedHeap.length) {
      const cap = this.schedHeap.length * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.schedHeap = grow(this.schedHeap, new Int32Array(cap));
      this.schedPos = grow(this.schedPos, new Int32Array(cap));
      this.schedTime = grow(this.schedTime, new Float64Array(cap));
      this.schedPrio = grow(this.schedPrio, new Float64Array(cap));
    }
    const a = this.actors[i] as Actor;
    this.schedPrio[i] = a.prio;
    this.schedTime[i] = schedKey(a.nextTime);
    if (a.wokenByOthers) this.schedWoken.push(i);
    const pos = this.schedLen++;
    this.schedHeap[pos] = i;
    this.schedPos[i] = pos;
    this.schedSiftUp(pos);
  }

  /** Re-read actor i's nextTime and restore the heap order around it. */
  private schedUpdate(i: number): void {
    const t = schedKey((this.actors[i] as Actor).nextTime);
    const old = this.schedTime[i] ?? 0;
    if (t === old) return;
    this.schedTime[i] = t;
    const pos = this.schedPos[i] ?? 0;
    if (t < old) this.schedSiftUp(pos);
    else this.schedSiftDown(pos);
  }

  private schedRereadWoken(): void {
    const w = this.schedWoken;
    for (let k = 0; k < w.length; k++) this.schedUpdate(w[k] ?? 0);
  }

  /** Actor i goes before actor j: earlier time, then lower prio, then added first. */
  private schedBefore(i: number, j: number): boolean {
    const ti = this.schedTime[i] ?? 0;
    const tj = this.schedTime[j] ?? 0;
    if (ti !== tj) return ti < tj;
    const pi = this.schedPrio[i] ?? 0;
    const pj = this.schedPrio[j] ?? 0;
    if (pi !== pj) return pi < pj;
    return i < j;
  }

  private schedSiftUp(pos: number): void {
    const h = this.schedHeap;
    const i = h[pos] ?? 0;
    while (pos > 0) {
      const up = (pos - 1) >> 1;
      const j = h[up] ?? 0;
      if (!this.schedBefore(i, j)) break;
      h[pos] = j;
      this.schedPos[j] = pos;
      pos = up;
    }
    h[pos] = i;
    this.schedPos[i] = pos;
  }

  private schedSiftDown(pos: number): void {
    const h = this.schedHeap;
    const n = this.schedLen;
    const i = h[pos] ?? 0;
    for (;;) {
      let c = 2 * pos + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && this.schedBefore(h[r] ?? 0, h[c] ?? 0)) c = r;
      const j = h[c] ?? 0;
      if (!this.schedBefore(j, i)) break;
      h[pos] = j;
      this.schedPos[j] = pos;
      pos = c;
    }
    h[pos] = i;
    this.schedPos[i] = pos;
  }

  // --------------------------------------------------------------------------------------------
  // LRU and page placement

  lruAdd(p: number, m: Memcg, list: number): void {
    const head = m.lruHead[list] ?? -1;
    this.pgNext[p] = -1;
    this.pgPrev[p] = head;
    if (head >= 0) this.pgNext[head] = p;
    else m.lruTail[list] = p;
    m.lruHead[list] = p;
    m.lruSize[list] = (m.lruSize[list] ?? 0) + 1;
    this.pgList[p] = list;
    this.pgState[p] = P_LRU;
  }

  /** Add p at the tail (the reclaim end) of a list, as folio_rotate_reclaimable() does. */
  lruAddTail(p: number, m: Memcg, list: number): void {
    const tail = m.lruTail[list] ?? -1;
    this.pgPrev[p] = -1;
    this.pgNext[p] = tail;
    if (tail >= 0) this.pgPrev[tail] = p;
    else m.lruHead[list] = p;
    m.lruTail[list] = p;
    m.lruSize[list] = (m.lruSize[list] ?? 0) + 1;
    this.pgList[p] = list;
    this.pgState[p] = P_LRU;
  }

  lruDel(p: number, m: Memcg): void {
    const list = this.pgList[p] ?? 0;
    const newer = this.pgNext[p] ?? -1;
    const older = this.pgPrev[p] ?? -1;
    if (newer >= 0) this.pgPrev[newer] = older;
    else m.lruHead[list] = older;
    if (older >= 0) this.pgNext[older] = newer;
    else m.lruTail[list] = newer;
    this.pgNext[p] = -1;
    this.pgPrev[p] = -1;
    m.lruSize[list] = (m.lruSize[list] ?? 0) - 1;
  }

  memcgOf(p: number): Memcg {
    return this.memcgs[this.pgMemcg[p] ?? 0] as Memcg;
  }

  regionOf(p: number): Region {
    return this.regions[this.pgRegion[p] ?? 0] as Region;
  }

  private setAdd(p: number, r: Region): void {
    if ((this.pgSetPos[p] ?? -1) >= 0) return;
    const i = r.nFaultable++;
    r.faultable[i] = p;
    this.pgSetPos[p] = i;
  }

  private setDel(p: number, r: Region): void {
    const i = this.pgSetPos[p] ?? -1;
    if (i < 0) return;
    const last = --r.nFaultable;
    const q = r.faultable[last] ?? 0;
    r.faultable[i] = q;
    this.pgSetPos[q] = i;
    this.pgSetPos[p] = -1;
  }

  /**
   * A freshly allocated, already charged page goes resident: unevictable, or on the inactive list
   * (active if asked). The access that brought it in is its first reference: a mapped page's PTE is
   * young from the fault; unmapped page cache filled by read() or write() has PG_referenced from
   * folio_mark_accessed() and no PTE. An `aged` page carries neither (earlier reclaim cleared them).
   */
  placeNewPage(p: number, r: Region, active = false, aged = false): void {
    const m = r.memcg;
    this.pgMass[p] = r.mass;
    let flags = 0;
    if (!aged) flags = r.mapped ? F_YOUNG : F_REFERENCED;
    if (r.type === 1 && r.dirty > 0 && hashUnit(this.seed ^ 0x5bd1e995, p) < r.dirty) flags |= F_DIRTY;
    if (active) flags |= F_REFERENCED;
    this.pgFlags[p] = flags;
    if (r.mlocked) {
      this.pgState[p] = P_UNEVICTABLE;
      m.unevictable++;
    } else {
      this.lruAdd(p, m, r.type * 2 + (active ? 1 : 0));
      if (!active) this.scheduleAccess(p, r);
    }
    if (flags & F_DIRTY) this.wb.dirtied(p, m);
  }

  /**
   * folio_referenced(): how many PTEs mapping page p were young since reclaim last looked (0, 1 or
   * 2 meaning "2 or more"), clearing them. A PTE is one bit however often it was used. Accesses are
   * a Poisson process of the region's access mass, spread evenly over its mappers, so each mapper's
   * PTE is young with probability 1 − e^(−dm/mappers), independently; the faulting access's young
   * bit (F_YOUNG) is the first mapper's. An unmapped page has no PTEs.
   */
  referencedPtes(p: number): number {
    const r = this.regions[this.pgRegion[p] ?? 0] as Region;
    if (!r.mapped) return 0;
    const dm = r.mass - (this.pgMass[p] ?? 0);
    this.pgMass[p] = r.mass;
    const f = this.pgFlags[p] ?? 0;
    let young = 0;
    if (f & F_YOUNG) {
      young = 1;
      this.pgFlags[p] = f & ~F_YOUNG;
    }
    if (dm > 1e-12) {
      const n = r.mappers;
      const idle = Math.exp(-dm / n);
      for (let i = 0; i < n && young < 2; i++) {
        const hit = this.rng.float() >= idle;
        // The first mapper's PTE already counted when the fault left it young.
        if (hit && !(i === 0 && f & F_YOUNG)) young++;
      }
    }
    return young;
  }

  /**
   * Advance region r's access mass by dm (its threads did useful work), and run folio_mark_accessed()
   * for the unmapped inactive pages whose next access falls within it.
   */
  accessRegion(r: Region, dm: number): void {
    r.mass += dm;
    const q = r.queue;
    if (!q) return;
    while (q.len > 0 && q.peekMass() <= r.mass) {
      const due = q.peekMass();
      const p = q.peekPage();
      q.pop();
      if (this.pgDue[p] !== due || this.pgState[p] !== P_LRU || (this.pgList[p] ?? 0) & 1) continue;
      this.markAccessed(p, due);
    }
  }

  /**
   * folio_mark_accessed() on unmapped page p at region mass `at`: an unreferenced page becomes
   * referenced; a referenced inactive page is activated at once (to the head of the active list,
   * PG_referenced cleared, the refault clock aged as workingset_activation() does, pgactivate
   * counted); a referenced active page stays as it is.
   */
  markAccessed(p: number, at = this.regionOf(p).mass): void {
    const f = this.pgFlags[p] ?? 0;
    const r = this.regionOf(p);
    if (!(f & F_REFERENCED)) {
      this.pgFlags[p] = f | F_REFERENCED;
      if (this.pgState[p] === P_LRU && !((this.pgList[p] ?? 0) & 1)) this.scheduleAccess(p, r, at);
      return;
    }
    if (this.pgState[p] !== P_LRU || (this.pgList[p] ?? 0) & 1) return;
    const m = this.memcgOf(p);
    const list = this.pgList[p] ?? 0;
    this.lruDel(p, m);
    this.lruAdd(p, m, list | 1);
    this.pgFlags[p] = f & ~F_REFERENCED;
    this.pgMass[p] = at;
    this.pgDue[p] = Infinity;
    this.ageNonresident(m, 1);
    m.stat('pgactivate');
  }

  /**
   * Queue the next access of unmapped page p, now on an inactive list, at an exponential(1) draw of
   * access mass after `from` (Poisson accesses). Regions that are never accessed (hz 0) queue nothing.
   */
  scheduleAccess(p: number, r: Region, from = r.mass): void {
    if (r.mapped || !(r.hz > 0)) return;
    const due = from + this.rng.exp(1);
    this.pgDue[p] = due;
    (r.queue ??= new AccessQueue()).push(due, p);
  }

  /**
   * The PG_referenced an unmapped page on the active list has gathered since it was activated: set
   * by its first access after activation, resolved now (before shrink_active_list moves it).
   */
  resolveActiveReference(p: number): void {
    const r = this.regionOf(p);
    if (r.mapped) return;
    const f = this.pgFlags[p] ?? 0;
    if (f & F_REFERENCED) return;
    const dm = r.mass - (this.pgMass[p] ?? 0);
    if (dm > 1e-12 && this.rng.float() >= Math.exp(-dm)) this.pgFlags[p] = f | F_REFERENCED;
  }

  /** Age the refault clock of m and its ancestors (evictions and activations, A7). */
  ageNonresident(m: Memcg, n = 1): void {
    for (let c: Memcg | null = m; c; c = c.parent) c.nonresidentAge += n;
  }

  /**
   * lru_note_cost(): add reclaim cost to m and its ancestors, halving a cgroup's history when it
   * outgrows a quarter of its LRU pages. `io` pages needed I/O; `rotated` pages were activated.
   */
  noteCost(m: Memcg, file: boolean, io: number, rotated: number): void {
    const cost = this.c.costCurrent ? io * this.c.swapClusterMax + rotated : io;
    if (cost <= 0) return;
    for (let c: Memcg | null = m; c; c = c.parent) {
      if (file) c.fileCost += cost;
      else c.anonCost += cost;
      let lru = 0;
      for (const s of c.subtree)
        lru += (s.lruSize[0] ?? 0) + (s.lruSize[1] ?? 0) + (s.lruSize[2] ?? 0) + (s.lruSize[3] ?? 0);
      if (c.anonCost + c.fileCost > lru / 4) {
        c.anonCost = Math.floor(c.anonCost / 2);
        c.fileCost = Math.floor(c.fileCost / 2);
      }
    }
  }

  // --------------------------------------------------------------------------------------------
  // Page counters and charge stocks

  /** Charge without limit checks (initial placement, forced charges). */
  uncheckedCharge(m: Memcg, n: number): void {
    for (let c: Memcg | null = m; c; c = c.parent) c.usage += n;
  }

  uncharge(m: Memcg, n: number): void {
    for (let c: Memcg | null = m; c; c = c.parent) c.usage -= n;
  }

  /** page_counter_try_charge(): returns null on success or the cgroup whose max refused. */
  private tryCharge(m: Memcg, n: number): Memcg | null {
    for (let c: Memcg | null = m; c; c = c.parent) {
      if (c.usage + n > c.max) return c;
    }
    this.uncheckedCharge(m, n);
    return null;
  }

  /** Room left below max at m and every ancestor. */
  margin(m: Memcg): number {
    let room = Infinity;
    for (let c: Memcg | null = m; c; c = c.parent) room = Math.min(room, c.max - c.usage);
    return room;
  }

  /** Take up to n pages from this CPU's stock if it holds m's charge (consume_stock, in bulk). */
  takeStock(task: Task, m: Memcg, n: number): number {
    const cpu = task.cpu;
    if (this.stockMemcg[cpu] !== m) return 0;
    const have = this.stockPages[cpu] ?? 0;
    const t = Math.min(have, n);
    this.stockPages[cpu] = have - t;
    return t;
  }

  private refillStock(task: Task, m: Memcg, n: number): void {
    const cpu = task.cpu;
    if (this.stockMemcg[cpu] !== m) {
      this.drainCpu(cpu);
      this.stockMemcg[cpu] = m;
    }
    this.stockPages[cpu] = (this.stockPages[cpu] ?? 0) + n;
    if ((this.stockPages[cpu] ?? 0) > this.c.batch) this.drainCpu(cpu);
  }

  private drainCpu(cpu: number): void {
    const m = this.stockMemcg[cpu];
    const n = this.stockPages[cpu] ?? 0;
    if (m && n > 0) this.uncharge(m, n);
    this.stockPages[cpu] = 0;
    this.stockMemcg[cpu] = null;
  }

  /** drain_all_stock(): return the stocks of every CPU caching a cgroup inside `root`'s subtree. */
  drainAllStock(root: Memcg): void {
    for (let cpu = 0; cpu < this.cpus; cpu++) {
      const m = this.stockMemcg[cpu];
      if (m && root.subtree.includes(m)) this.drainCpu(cpu);
    }
  }

  /** Pages sitting in charge stocks of cgroup m (charged to m but not in use). */
  stockFor(m: Memcg): number {
    let n = 0;
    for (let cpu = 0; cpu < this.cpus; cpu++) if (this.stockMemcg[cpu] === m) n += this.stockPages[cpu] ?? 0;
    return n;
  }

  /** Pages sitting in charge stocks (counted in usage but not in use). */
  stockedPages(): number {
    let n = 0;
    for (let cpu = 0; cpu < this.cpus; cpu++) n += this.stockPages[cpu] ?? 0;
    return n;
  }

  // --------------------------------------------------------------------------------------------
  // E1: the charge path

  /**
   * Charge one page (after the stock missed) for `task` in m: a batch at the counter, the high
   * check, and on failure the max path with reclaim, stock draining, retries and the OOM killer.
   * Reclaim costs advance the task's clock as memstall. Returns false if the charge failed.
   */
  chargeSlow(task: Task, m: Memcg, n: number): boolean {
    const c = this.c;
    let batch = Math.max(c.batch, n);
    let retries = c.maxRetries;
    let drained = false;
    for (;;) {
      if (!task.alive) return false;
      if (this.takeStock(task, m, n) === n) return true;
      const refused = this.tryCharge(m, batch);
      if (refused === null) {
        if (batch > n) this.refillStock(task, m, batch - n);
        this.checkHigh(task, m, batch);
        return true;
      }
      if (batch > n) {
        batch = n;
        continue;
      }
      refused.event('max');
      const reclaimed = this.reclaimFor(task, refused, n, true, SRC_DIRECT);
      if (this.margin(refused) >= n) continue;
      if (!drained) {
        this.drainAllStock(refused);
        drained = true;
        continue;
      }
      // Small allocations keep retrying while reclaim makes progress (PAGE_ALLOC_COSTLY_ORDER: 8 pages).
      if (reclaimed > 0 && n <= 8) continue;
      if (retries-- > 0) continue;
      const killed = this.oomKill(refused, task);
      if (!task.alive) return false;
      if (killed) {
        retries = c.maxRetries;
        continue;
      }
      this.counters.chargeFailures++;
      return false;
    }
  }

  /**
   * After a batch charge: the first level over high flags the task (E1 step 2); swap over
   * memory.swap.high counts too where that file exists (5.8+, 4b82ab4f2890).
   */
  private checkHigh(task: Task, m: Memcg, batch: number): void {
    const swap = this.c.swapHigh;
    for (let cg: Memcg | null = m; cg; cg = cg.parent) {
      if (cg.usage > cg.effectiveHigh(task.clock) || (swap && cg.swapUsage > cg.swapHigh)) {
        task.nrOverHigh += batch;
        task.notify = true;
        return;
      }
    }
  }

  /** Run one complete reclaim call in a task's context, as memstall (charge path). */
  reclaimFor(task: Task, target: Memcg, nr: number, maySwap: boolean, source: number): number {
    const call = new ReclaimCall(this, target, nr, { maySwap, source, swappiness: this.c.swappiness });
    const cost = call.run(Infinity);
    task.spend(S_STALL_RUN, cost);
    task.time.reclaim += cost;
    return call.reclaimed;
  }

  // --------------------------------------------------------------------------------------------
  // E2: the high handler

  /** Should the task run the high handler now? `inSyscall` defers it to the return to user. */
  highPending(task: Task, inSyscall: boolean): boolean {
    if (!task.notify) return false;
    if (!inSyscall) return true;
    return this.c.highSync && task.nrOverHigh > this.c.batch;
  }

  /** Start the handler: take the task's pending pages. Returns false if there is nothing to do. */
  highStart(task: Task): boolean {
    const nr = task.nrOverHigh;
    task.nrOverHigh = 0;
    task.notify = false;
    if (nr === 0) return false;
    if (this.c.dyingBail && task.isDying()) return false;
    this.highState.set(task, { nr, retries: this.c.maxRetries, inRetry: false });
    return true;
  }

  /**
   * One pass of the handler loop; returns true when the handler has finished. Since 6.8 every pass
   * starts at the retry_reclaim label's task_is_dying() check; the sleep is
   * schedule_timeout_killable() in every profile (0e4b01df8659 on), so a fatal signal ends it.
   */
  highStep(task: Task): boolean {
    const st = this.highState.get(task);
    if (!st) return true;
    const c = this.c;
    if (c.dyingBail && task.isDying()) {
      this.highState.delete(task);
      return true;
    }
    const reclaimed = this.reclaimHigh(task, task.memcg, st.inRetry ? c.swapClusterMax : st.nr);
    const penalty = this.highPenalty(task.memcg, st.nr, task.clock);
    if (penalty <= c.noSleep) {
      this.highState.delete(task);
      return true;
    }
    if (!c.highHandlerOnce && (reclaimed > 0 || st.retries-- > 0)) {
      st.inRetry = true;
      return false;
    }
    // TASK_KILLABLE: a fatal signal that arrives during the sleep wakes the task at once.
    const us = Math.max(0, Math.min((penalty * 1e6) / c.hz, task.fatalSignalAt - task.clock));
    if (us > 0) {
      task.spend(S_STALL_SLEEP, us);
      task.time.throttle += us;
      task.throttles++;
    }
    this.highState.delete(task);
    return true;
  }

  /** reclaim_high(): reclaim at every level below the root that is over its high limit. */
  private reclaimHigh(task: Task, m: Memcg, nr: number): number {
    let total = 0;
    for (let cg: Memcg | null = m; cg && !cg.isRoot(); cg = cg.parent) {
      if (cg.usage <= cg.effectiveHigh(task.clock)) continue;
      cg.event('high');
      total += this.reclaimFor(task, cg, nr, true, SRC_DIRECT);
    }
    return total;
  }

  /**
   * The handler's penalty in jiffies for a task in m, by profile: 5.4–5.5 look at m alone, with its
   * usage ≤ high guard (0e4b01df8659); 5.6 takes the largest overage below the root with the
   * unsigned wrap-around of a level under its limit (e26733e0d0ec); 5.7+ the same with the guard
   * (9b8b17541f13). From 5.8 a swap term (swap usage against memory.swap.high) is added before the
   * clamp at 2·HZ (4b82ab4f2890).
   */
  highPenalty(m: Memcg, nr: number, now: number): number {
    const c = this.c;
    if (c.highPenalty === 'own') {
      return highDelayJiffies(calculateOverage(m.usage, m.effectiveHigh(now), c.precisionShift), nr, c);
    }
    if (c.highPenalty === 'ancestors-wrap') {
      const levels: [number, number][] = [];
      for (let cg: Memcg | null = m; cg && !cg.isRoot(); cg = cg.parent) {
        levels.push([cg.usage, cg.effectiveHigh(now)]);
      }
      return highDelayJiffiesWrap(levels, nr, c);
    }
    let memOv = 0;
    let swapOv = 0;
    for (let cg: Memcg | null = m; cg && !cg.isRoot(); cg = cg.parent) {
      memOv = Math.max(memOv, calculateOverage(cg.usage, cg.effectiveHigh(now), c.precisionShift));
      if (c.swapHigh)
        swapOv = Math.max(swapOv, calculateOverage(cg.swapUsage, cg.swapHigh, c.precisionShift));
    }
    const p = highDelayJiffies(memOv, nr, c) + highDelayJiffies(swapOv, nr, c);
    return Math.min(p, c.maxDelayJiffies);
  }

  // --------------------------------------------------------------------------------------------
  // OOM

  /**
   * The memcg OOM killer: count an oom event at `over`, pick the live process in its subtree with
   * the most anon and swap, kill it and free its anonymous memory. Returns false if none can die.
   */
  oomKill(over: Memcg, _task: Task): boolean {
    over.event('oom');
    let victim: Process | null = null;
    let best = -1;
    for (const proc of this.processes) {
      if (!proc.alive || proc.threads.length === 0 || !over.subtree.includes(proc.memcg)) continue;
      let badness = 0;
      for (const r of proc.regions) {
        if (r.type !== 0) continue;
        for (let i = 0; i < r.allocated; i++) if (this.pgState[r.first + i] !== P_FREE) badness++;
      }
      if (badness > best) {
        best = badness;
        victim = proc;
      }
    }
    if (!victim || best <= 0) return false;
    victim.memcg.event('oom_kill');
    this.counters.oomKills++;
    this.killProcess(victim);
    return true;
  }

  /** Kill a process: its threads stop and its anonymous memory is freed (page cache stays). */
  killProcess(proc: Process): void {
    proc.alive = false;
    for (const t of proc.threads) {
      t.alive = false;
      t.dying = true;
      if (t.nrOverHigh) t.nrOverHigh = 0;
    }
    for (const r of proc.regions) {
      if (r.type !== 0) continue;
      for (let i = 0; i < r.allocated; i++) this.freePage(r.first + i);
    }
  }

  /** Free a page wherever it is (resident, compressed, swapped, in flight). */
  freePage(p: number): void {
    const s = this.pgState[p] ?? P_FREE;
    const m = this.memcgOf(p);
    const r = this.regionOf(p);
    switch (s) {
      case P_LRU:
        this.wb.forget(p, m);
        this.lruDel(p, m);
        this.uncharge(m, 1);
        break;
      case P_UNEVICTABLE:
        this.wb.forget(p, m);
        m.unevictable--;
        this.uncharge(m, 1);
        break;
      case P_ZSWAP:
        this.zswapFree(p, m);
        break;
      case P_SWAP:
        this.swapSlotFree(m);
        break;
      case P_ZSWAP_PENDING:
      case P_SWAP_WB:
      case P_FILE_WB:
        if (r.type === 0) m.isolatedAnon--;
        else m.isolatedFile--;
        this.uncharge(m, 1);
        if (s === P_SWAP_WB) this.swapSlotFree(m);
        break;
      default:
        break;
    }
    this.setDel(p, r);
    this.pgState[p] = P_FREE;
    this.pgFlags[p] = 0;
  }

  // --------------------------------------------------------------------------------------------
  // Swap, zswap and writeback (A6)

  /** Free swap for m: the tightest of the device and every ancestor's swap.max (pages). */
  freeSwap(m: Memcg): number {
    let room = this.swapSize - this.swapUsed;
    for (let c: Memcg | null = m; c; c = c.parent) room = Math.min(room, c.swapMax - c.swapUsage);
    return room;
  }

  private swapSlotTake(m: Memcg): void {
    this.swapUsed++;
    for (let c: Memcg | null = m; c; c = c.parent) c.swapUsage++;
  }

  private swapSlotFree(m: Memcg): void {
    this.swapUsed--;
    for (let c: Memcg | null = m; c; c = c.parent) c.swapUsage--;
  }

  /** The compressed size of page p: stable per page, mean PAGE_SIZE/ratio, spread ± ratioSpread. */
  compressedSize(p: number): number {
    if (this.regionOf(p).sameFilled) return 0;
    const mean = PAGE_SIZE / this.c.ratio;
    const u = hashUnit(this.seed, p);
    return Math.max(16, Math.min(PAGE_SIZE, Math.round(mean * (1 + this.c.ratioSpread * (2 * u - 1)))));
  }

  /** Would zswap take page p now (size below the reject size, under every memory.zswap.max)? */
  zswapFits(p: number, m: Memcg): boolean {
    const size = this.compressedSize(p);
    if (size >= this.c.rejectBytes) return false;
    for (let c: Memcg | null = m; c; c = c.parent) if (c.zswapBytesH + size > c.zswapMax) return false;
    return true;
  }

  /** Re-charge the whole pages that cover m's compressed bytes (zswap is charged since 5.19). */
  private rechargePool(m: Memcg): void {
    if (!this.c.zswapCharged) return;
    const want = Math.ceil(m.zswapBytes / PAGE_SIZE);
    const delta = want - m.zswapCharged;
    if (delta > 0) this.uncheckedCharge(m, delta);
    else if (delta < 0) this.uncharge(m, -delta);
    m.zswapCharged = want;
  }

  /** Store an isolated resident anon page in zswap (the page is already off the LRU). */
  zswapStore(p: number, m: Memcg, target: Memcg): void {
    const r = this.regions[this.pgRegion[p] ?? 0] as Region;
    const size = r.sameFilled ? 0 : this.compressedSize(p);
    this.pgZsize[p] = size;
    this.pgShadow[p] = target.nonresidentAge;
    this.pgShadowMemcg[p] = target.id;
    m.zswapBytes += size;
    m.zswapEntries++;
    // The page leaves the counter, its compressed copy and swap slot join, and the eviction ages the
    // refault clock: one walk up the ancestry for all four.
    for (let c: Memcg | null = m; c; c = c.parent) {
      c.usage -= 1;
      c.zswapBytesH += size;
      c.swapUsage += 1;
      c.nonresidentAge += 1;
    }
    this.swapUsed++;
    this.rechargePool(m);
    this.pgState[p] = P_ZSWAP;
    this.setAdd(p, r);
    m.stat('zswpout');
  }

  private zswapFree(p: number, m: Memcg): void {
    const size = this.pgZsize[p] ?? 0;
    m.zswapBytes -= size;
    m.zswapEntries--;
    for (let c: Memcg | null = m; c; c = c.parent) c.zswapBytesH -= size;
    this.rechargePool(m);
    this.swapSlotFree(m);
    this.pgZsize[p] = 0;
  }

  /**
   * Queue asynchronous work for an isolated page at time `at`: disk swap-out, file writeback, or the
   * what-if compression. The caller has set pgShadowMemcg to the reclaim target; the shadow entry
   * takes that cgroup's refault clock when the page is finally freed.
   */
  startAsync(p: number, kind: 'swapout' | 'writeback' | 'compress', m: Memcg, at: number): void {
    const r = this.regionOf(p);
    if (r.type === 0) m.isolatedAnon++;
    else m.isolatedFile++;
    let t: number;
    let k: number;
    if (kind === 'swapout') {
      this.pgState[p] = P_SWAP_WB;
      this.swapSlotTake(m);
      m.stat('pswpout');
      t = at + this.c.tSwapoutIo;
      k = C_SWAPOUT;
    } else if (kind === 'writeback') {
      this.pgState[p] = P_FILE_WB;
      m.stat('file_writeback');
      t = at + this.c.tSwapoutIo;
      k = C_FILE_WB;
    } else {
      this.pgState[p] = P_ZSWAP_PENDING;
      let best = 0;
      for (let i = 1; i < this.compressorFree.length; i++) {
        if ((this.compressorFree[i] ?? 0) < (this.compressorFree[best] ?? 0)) best = i;
      }
      t = Math.max(at, this.compressorFree[best] ?? 0) + this.c.tCompress;
      this.compressorFree[best] = t;
      k = C_COMPRESS;
    }
    this.setAdd(p, r);
    this.heapPush(Math.max(t, this.now), p, k);
  }

  /** The earliest asynchronous completion: free the page if it is still in flight. */
  private completeOne(): void {
    const p = this.heapPage[0] ?? 0;
    const kind = this.heapKind[0] ?? 0;
    this.heapPop();
    const s = this.pgState[p];
    const m = this.memcgOf(p);
    const r = this.regionOf(p);
    const ev = this.memcgs[this.pgShadowMemcg[p] ?? 0] ?? m;
    if (kind === C_WB_END) {
      this.wb.ended(p);
      return;
    }
    if (kind === C_SWAPOUT && s === P_SWAP_WB) {
      m.isolatedAnon--;
      this.writtenOut(p, m, ev, P_SWAP);
    } else if (kind === C_FILE_WB && s === P_FILE_WB) {
      m.isolatedFile--;
      this.pgFlags[p] = (this.pgFlags[p] ?? 0) & ~F_DIRTY;
      this.writtenOut(p, m, ev, P_EVICTED);
    } else if (kind === C_COMPRESS && s === P_ZSWAP_PENDING) {
      m.isolatedAnon--;
      this.setDel(p, r);
      if (this.zswapFits(p, m) && this.freeSwap(m) > 0) {
        this.zswapStore(p, m, ev);
      } else {
        m.stat('zswpreject');
        this.lruAdd(p, m, L_ACTIVE_ANON);
      }
    }
  }

  /**
   * An isolated page's write finished: it leaves m's counter, its shadow entry takes the refault
   * clock of `ev` (the cgroup reclaim was working on), and the eviction ages m's clock.
   */
  private writtenOut(p: number, m: Memcg, ev: Memcg, state: number): void {
    this.uncharge(m, 1);
    this.pgShadow[p] = ev.nonresidentAge;
    this.ageNonresident(m, 1);
    this.pgState[p] = state;
  }

  private heapPush(t: number, p: number, k: number): void {
    if (this.heapLen === this.heapTime.length) {
      const n = this.heapLen * 2;
      const t2 = new Float64Array(n);
      t2.set(this.heapTime);
      const p2 = new Int32Array(n);
      p2.set(this.heapPage);
      const k2 = new Uint8Array(n);
      k2.set(this.heapKind);
      this.heapTime = t2;
      this.heapPage = p2;
      this.heapKind = k2;
    }
    let i = this.heapLen++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.heapTime[parent] ?? 0) <= t) break;
      this.heapMove(i, parent);
      i = parent;
    }
    this.heapSet(i, t, p, k);
  }

  private heapPop(): void {
    const n = --this.heapLen;
    if (n <= 0) return;
    const t = this.heapTime[n] ?? 0;
    const p = this.heapPage[n] ?? 0;
    const k = this.heapKind[n] ?? 0;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (this.heapTime[r] ?? 0) < (this.heapTime[l] ?? 0) ? r : l;
      if ((this.heapTime[c] ?? 0) >= t) break;
      this.heapMove(i, c);
      i = c;
    }
    this.heapSet(i, t, p, k);
  }

  private heapSet(i: number, t: number, p: number, k: number): void {
    this.heapTime[i] = t;
    this.heapPage[i] = p;
    this.heapKind[i] = k;
  }

  /** Copy heap entry `from` into slot `to`. */
  private heapMove(to: number, from: number): void {
    this.heapSet(to, this.heapTime[from] ?? 0, this.heapPage[from] ?? 0, this.heapKind[from] ?? 0);
  }

  queueWritebackEnd(p: number, t: number): void {
    this.heapPush(Math.max(t, this.now), p, C_WB_END);
  }

  dirtyPause(task: Task, us: number): void {
    task.spend(S_IOWAIT, us);
    task.time.dirtyPause += us;
    task.memcg.stat('dirty_pause_us', us);
  }

  /** wakeup_flusher_threads(WB_REASON_VMSCAN) from reclaim. */
  wakeFlusher(): void {
    this.wb.wakeForReclaim();
  }

  /** Dirty + writeback pages of the machine (the write_pending of skip_throttle_noprogress()). */
  writePending(): number {
    return this.wb.writePending();
  }

  /** LRU pages of the machine, anon counted only while swap has room (zone_reclaimable_pages()). */
  reclaimablePages(): number {
    const l = this.root.subtreeLists();
    const anon = this.freeSwap(this.root) > 0 ? l.inactiveAnon + l.activeAnon : 0;
    return l.inactiveFile + l.activeFile + anon;
  }

  /**
   * kswapd's pageout() of a dirty file page: the write starts now (folio_clear_dirty_for_io()), so
   * the page leaves the dirty count; it is isolated until its I/O ends (startAsync).
   */
  pageoutFile(p: number, m: Memcg, at: number): void {
    this.wb.forget(p, m);
    this.pgFlags[p] = (this.pgFlags[p] ?? 0) & ~(F_DIRTY | F_RECLAIM | F_WRITEBACK);
    this.startAsync(p, 'writeback', m, at);
  }

  /** Pages waiting in the asynchronous queue. */
  inFlight(): number {
    return this.heapLen;
  }

  // --------------------------------------------------------------------------------------------
  // Eviction (called by the reclaim engine) and faults

  /** Drop a clean file page, leaving a shadow entry for refault detection. */
  evictFile(p: number, m: Memcg, target: Memcg): void {
    this.pgShadow[p] = target.nonresidentAge;
    this.pgShadowMemcg[p] = target.id;
    this.ageNonresident(m, 1);
    this.uncharge(m, 1);
    this.pgState[p] = P_EVICTED;
    this.setAdd(p, this.regionOf(p));
  }

  /**
   * Fault page p back in for `task` (A6, A7): charge it (E1), pay decompression or I/O, decide by
   * refault distance whether it goes to the active list, and record the stall. Returns false if the
   * charge failed. The caller checks highPending() afterwards.
   */
  faultIn(task: Task, p: number): boolean {
    const s = this.pgState[p] ?? P_FREE;
    const r = this.regionOf(p);
    const m = r.memcg;
    const c = this.c;
    if (s === P_ZSWAP_PENDING || s === P_SWAP_WB || s === P_FILE_WB) {
      // Still resident and charged: a minor fault cancels the pending work.
      if (r.type === 0) m.isolatedAnon--;
      else m.isolatedFile--;
      if (s === P_SWAP_WB) this.swapSlotFree(m);
      // The page never left the inactive list in the kernel (kept while its I/O runs): the access
      // maps it young again, or for unmapped page cache marks it accessed.
      this.setDel(p, r);
      this.pgMass[p] = r.mass;
      this.lruAdd(p, m, r.type * 2);
      if (r.mapped) this.pgFlags[p] = (this.pgFlags[p] ?? 0) | F_YOUNG;
      else this.markAccessed(p);
      task.spend(S_RUN, c.tMinor);
      task.time.fault += c.tMinor;
      return true;
    }
    if (s !== P_ZSWAP && s !== P_SWAP && s !== P_EVICTED) return true;
    // Charge before the read, as the swap-in and page-cache paths do.
    if (this.takeStock(task, m, 1) !== 1 && !this.chargeSlow(task, m, 1)) return false;
    const wasActive = ((this.pgFlags[p] ?? 0) & F_WORKINGSET) !== 0;
    const file = r.type === 1;
    // Refault distance against the cgroup the page was evicted from (the reclaim target).
    const ev = this.memcgs[this.pgShadowMemcg[p] ?? -1] ?? m;
    const lists = ev.subtree.length === 1 ? ev.lruLists() : ev.subtreeLists();
    const w = workingsetSize(file, lists, this.freeSwap(ev) > 0);
    const recent = isRecentRefault(this.pgShadow[p] ?? 0, ev.nonresidentAge, w);
    m.stat(file ? 'workingset_refault_file' : 'workingset_refault_anon');
    const restore = recent && wasActive;
    if (s === P_ZSWAP) {
      this.zswapFree(p, m);
      m.stat('zswpin');
      task.spend(restore ? S_STALL_RUN : S_RUN, c.tDecompress);
      task.time.refaultCpu += c.tDecompress;
    } else {
      if (s === P_SWAP) {
        this.swapSlotFree(m);
        m.stat('pswpin');
      }
      m.stat('pgmajfault');
      task.spend(restore ? S_STALL_SLEEP : S_IOWAIT, c.tRefaultIo);
      task.time.refaultIo += c.tRefaultIo;
    }
    this.setDel(p, r);
    this.pgMass[p] = r.mass;
    // The access that faulted it: a young PTE for a mapped page; for page cache read back by read(),
    // folio_mark_accessed() after workingset_refault() placed it, so PG_referenced either way.
    let flags = (r.mapped ? F_YOUNG : F_REFERENCED) | ((this.pgFlags[p] ?? 0) & F_DIRTY);
    if (recent) {
      // workingset_refault(): activate, age the clock; a page active before eviction is workingset.
      m.stat(file ? 'workingset_activate_file' : 'workingset_activate_anon');
      this.ageNonresident(m, 1);
      if (wasActive) {
        flags |= F_WORKINGSET;
        m.stat(file ? 'workingset_restore_file' : 'workingset_restore_anon');
        this.noteCost(m, file, 1, 0);
      }
    }
    this.pgFlags[p] = flags;
    if (r.mlocked) {
      this.pgState[p] = P_UNEVICTABLE;
      m.unevictable++;
    } else {
      this.lruAdd(p, m, r.type * 2 + (recent ? 1 : 0));
      if (!recent) this.scheduleAccess(p, r);
    }
    task.spend(S_RUN, c.tMinor);
    task.time.fault += c.tMinor;
    return true;
  }

  /** Allocate the next page of a region for `task` (a fresh fault or page-cache insert). */
  allocPage(task: Task, r: Region, fromStock: boolean): boolean {
    if (r.allocated >= r.count) return true;
    if (!fromStock && !this.chargeSlow(task, r.memcg, 1)) return false;
    const p = r.first + r.allocated++;
    this.placeNewPage(p, r);
    return true;
  }

  // --------------------------------------------------------------------------------------------
  // vmpressure (socket pressure) and PSI

  /** Feed vmpressure with a reclaim batch (non-proactive only since v6.0). */
  vmpressure(scanned: number, reclaimed: number, proactive: boolean): void {
    if (proactive && !this.c.proactiveVmpressure) return;
    this.vmpWinScanned += scanned;
    this.vmpWinReclaimed += reclaimed;
    this.counters.vmpScanned += scanned;
    this.counters.vmpReclaimed += reclaimed;
    if (this.vmpWinScanned >= this.c.vmpWindow) {
      const pressure = 100 * (1 - this.vmpWinReclaimed / this.vmpWinScanned);
      if (pressure >= this.c.vmpMedium) this.socketPressureNow = true;
      this.vmpWinScanned = 0;
      this.vmpWinReclaimed = 0;
    }
  }

  /**
   * Integrate every PSI group up to time T from the tasks' segments, and run the 2-second average
   * updates that fall before T. Every actor has committed its segments up to T because the
   * scheduler only reaches T once all actors' clocks are at or past it.
   */
  integratePsi(T: number): void {
    if (T <= this.psiIntegratedTo) return;
    while (this.nextPsiAvg <= T) {
      this.integrateRange(this.psiIntegratedTo, this.nextPsiAvg);
      this.psiIntegratedTo = this.nextPsiAvg;
      for (const ps of this.psi.values()) {
        psiUpdateAverages(ps.avgSome, ps.periodSome, this.c.psiFreqUs, this.c.exps);
        psiUpdateAverages(ps.avgFull, ps.periodFull, this.c.psiFreqUs, this.c.exps);
        ps.periodSome = 0;
        ps.periodFull = 0;
      }
      this.nextPsiAvg += this.c.psiFreqUs;
    }
    this.integrateRange(this.psiIntegratedTo, T);
    this.psiIntegratedTo = T;
  }

  private integrateRange(a: number, b: number): void {
    if (b <= a) return;
    for (const m of this.psiMemcgs) {
      const ps = this.psi.get(m);
      if (!ps) continue;
      const [some, full] = integrateTasks(ps.tasks, a, b, this.cpus);
      ps.someTotal += some;
      ps.fullTotal += full;
      ps.periodSome += some;
      ps.periodFull += full;
    }
    // Drop segments that ended by b; every group has now consumed them.
    for (const t of this.tasks) {
      const seg = t.seg;
      let k = 0;
      while (k < seg.length && (seg[k + 1] ?? 0) <= b) k += 3;
      if (k > 0) seg.splice(0, k);
    }
  }
}

/**
 * Sweep the tasks' segments over [a, b] and return µs of "some" and "full" memory pressure, using the
 * aggregation of A8 at every instant. Segments are in time order per task, of positive length and
 * not overlapping (Task.spend()); gaps are idle.
 *
 * The instants are every segment boundary in (a, b), visited in time order through a heap of tasks
 * keyed on when each next changes state, so a step costs log(tasks) rather than a look at every task
 * (the root's group holds every task in the model). The sum runs over the same intervals in the
 * same order as a sweep that looks at every task at every boundary, so its rounding is the same.
 */
export function integrateTasks(tasks: readonly Task[], a: number, b: number, cpus: number): [number, number] {
  const n = tasks.length;
  /** Per task: its first segment not over, the time it next changes state, and its state meanwhile. */
  const idx = new Int32Array(n);
  const at = new Float64Array(n);
  const cur = new Int8Array(n).fill(-1);
  const heap = new Int32Array(n);
  let len = 0;
  let nonIdle = 0;
  let stalled = 0;
  let productive = 0;
  const count = (st: number, d: number): void => {
    if (st < 0 || st === S_IDLE) return;
    nonIdle += d;
    if (st === S_STALL_RUN || st === S_STALL_SLEEP) stalled += d;
    else if (st === S_RUN) productive += d;
  };
  const siftDown = (pos: number): void => {
    const i = heap[pos] ?? 0;
    const ti = at[i] ?? 0;
    for (;;) {
      let c = 2 * pos + 1;
      if (c >= len) break;
      if (c + 1 < len && (at[heap[c + 1] ?? 0] ?? 0) < (at[heap[c] ?? 0] ?? 0)) c++;
      const j = heap[c] ?? 0;
      if (!((at[j] ?? 0) < ti)) break;
      heap[pos] = j;
      pos = c;
    }
    heap[pos] = i;
  };
  /** Task i at time t: into the segment that covers t, or idle until the next one; false when none is left. */
  const enter = (i: number, seg: number[], t: number): boolean => {
    let k = idx[i] ?? 0;
    while (k < seg.length && (seg[k + 1] ?? 0) <= t) k += 3;
    idx[i] = k;
    if (k >= seg.length) return false;
    const s0 = seg[k] ?? 0;
    if (s0 > t) {
      at[i] = s0;
    } else {
      cur[i] = seg[k + 2] ?? S_IDLE;
      count(cur[i] ?? -1, 1);
      at[i] = seg[k + 1] ?? 0;
    }
    return true;
  };
  for (let i = 0; i < n; i++) if (enter(i, (tasks[i] as Task).seg, a)) heap[len++] = i;
  for (let pos = (len >> 1) - 1; pos >= 0; pos--) siftDown(pos);
  let some = 0;
  let full = 0;
  let t = a;
  while (t < b) {
    let next = b;
    if (len > 0) next = Math.min(next, at[heap[0] ?? 0] ?? 0);
    const dt = next - t;
    if (stalled > 0 && dt > 0) {
      const agg = psiAggregate(nonIdle, stalled, productive, cpus);
      some += agg.some * dt;
      full += agg.full * dt;
    }
    t = next;
    while (len > 0 && (at[heap[0] ?? 0] ?? 0) <= t) {
      const i = heap[0] ?? 0;
      count(cur[i] ?? -1, -1);
      cur[i] = -1;
      if (!enter(i, (tasks[i] as Task).seg, t)) heap[0] = heap[--len] ?? 0;
      siftDown(0);
    }
  }
  return [some, full];
}

/**
 * The heap key of a nextTime. The scan this heap replaced never chose an actor whose nextTime was
 * NaN; as Infinity it is not chosen either (at prio 0 or more, as every actor has), and it cannot
 * break the heap order as NaN would.
 */
function schedKey(t: number): number {
  return t <= Infinity ? t : Infinity;
}
