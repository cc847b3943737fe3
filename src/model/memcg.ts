/**
 * One memory cgroup of the simulated tree (reclaim-model.md A2): limits, the hierarchical page
 * counter, the lruvec (four LRU lists as head/tail indices into the page arrays), cost history,
 * the refault clock, events and stats.
 */

/** LRU list indices: type = list >> 1 (0 anon, 1 file), active = list & 1. */
export const L_INACTIVE_ANON = 0;
export const L_ACTIVE_ANON = 1;
export const L_INACTIVE_FILE = 2;
export const L_ACTIVE_FILE = 3;
export const NR_LISTS = 4;

/** Who asked for reclaim, for the pgscan/pgsteal split (A2). */
export const SRC_DIRECT = 0;
export const SRC_PROACTIVE = 1;
export const SRC_LIMIT = 2;

/** memory.events names. */
export const EVENT_NAMES = ['low', 'high', 'max', 'oom', 'oom_kill'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** The memory.stat counters an arm's summary reports (A10), in its output order. */
export const SUMMARY_STAT_NAMES = [
  'pgscan_direct',
  'pgscan_proactive',
  'pgscan_limit',
  'pgsteal_direct',
  'pgsteal_proactive',
  'pgsteal_limit',
  'workingset_refault_anon',
  'workingset_refault_file',
  'workingset_activate_anon',
  'workingset_activate_file',
  'workingset_restore_anon',
  'workingset_restore_file',
  'zswpout',
  'zswpin',
  'zswpreject',
  'pswpin',
  'pswpout',
  'pgmajfault',
  'pgactivate',
  'pgdeactivate',
] as const;
/** Counters of memory.stat the model keeps (A2): the summary's, and two only the neighbour reports. */
export const STAT_NAMES = [
  ...SUMMARY_STAT_NAMES,
  'file_writeback',
  'drop_caches',
  // Dirty page cache and writeback (writeback.ts): pages the flusher wrote, pages rotated to the
  // inactive tail at the end of their writeback, dirty or writeback pages reclaim marked for
  // immediate reclaim and moved out of its way (NR_VMSCAN_IMMEDIATE), reclaim_throttle() sleeps
  // (count and µs), and balance_dirty_pages() sleep in µs.
  'wb_written',
  'pgrotated',
  'nr_vmscan_immediate',
  'vmscan_throttled',
  'vmscan_throttled_us',
  'dirty_pause_us',
] as const;
export type StatName = (typeof STAT_NAMES)[number];

/** Name → index, so counting an event is a property read rather than a search. */
const STAT_INDEX = Object.fromEntries(STAT_NAMES.map((n, i) => [n, i])) as Record<StatName, number>;
const EVENT_INDEX = Object.fromEntries(EVENT_NAMES.map((n, i) => [n, i])) as Record<EventName, number>;

/** Limits of a cgroup in pages (Infinity for "max"). */
export interface MemcgLimits {
  high: number;
  max: number;
  low: number;
  min: number;
  swapHigh: number;
  swapMax: number;
  zswapMax: number;
}

export class Memcg {
  readonly children: Memcg[] = [];
  /** This cgroup and its descendants, pre-order (the order reclaim visits them). */
  subtree: Memcg[] = [];
  readonly depth: number;

  high = Infinity;
  max = Infinity;
  /** Local file pages dirty (not yet submitted) and under writeback (writeback.ts). */
  nrDirty = 0;
  nrWriteback = 0;
  low = 0;
  min = 0;
  swapHigh = Infinity;
  swapMax = Infinity;
  zswapMax = Infinity;
  /** Meta's memory.high.tmp (not upstream): a temporary high that expires. */
  highTmp = Infinity;
  highTmpUntil = 0;

  /** The hierarchical page counter (memory.current), pages. */
  usage = 0;
  /** Hierarchical swap entries (zswap and disk), pages (memory.swap.current). */
  swapUsage = 0;
  /** Hierarchical zswap compressed bytes (memory.zswap.current). */
  zswapBytesH = 0;
  /** Local zswap compressed bytes and the whole pages charged for them. */
  zswapBytes = 0;
  zswapCharged = 0;
  /** Local zswap entries (pages stored compressed). */
  zswapEntries = 0;

  readonly lruHead = new Int32Array(NR_LISTS).fill(-1);
  readonly lruTail = new Int32Array(NR_LISTS).fill(-1);
  readonly lruSize = new Float64Array(NR_LISTS);
  /** Local resident pages off the LRU: mlocked, and isolated for writeback or async compression. */
  unevictable = 0;
  isolatedAnon = 0;
  isolatedFile = 0;
  /** Local short-lived charges (pages without identity). */
  transient = 0;

  anonCost = 0;
  fileCost = 0;
  nonresidentAge = 0;
  /** workingset_activate snapshots for may_deactivate (A5). */
  refaultSnapAnon = 0;
  refaultSnapFile = 0;

  /**
   * The shared reclaim iterator of this cgroup as a reclaim target (struct mem_cgroup_reclaim_iter
   * in mem_cgroup_per_node, mm/memcontrol.c): the index in `subtree` of the last cgroup a partial
   * walk visited (-1: none, the next walk starts at this cgroup itself), and the generation, bumped
   * each time a walk reaches the end of the subtree.
   */
  iterPos = -1;
  iterGen = 0;

  /** Effective protection computed for the reclaim in progress. */
  emin = 0;
  elow = 0;

  dying = false;
  readonly events = new Float64Array(5);
  readonly stats = new Float64Array(STAT_NAMES.length);

  constructor(
    readonly id: number,
    readonly name: string,
    readonly parent: Memcg | null,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
    if (parent) parent.children.push(this);
  }

  /** memory.high in effect now: the lower of memory.high and an unexpired memory.high.tmp. */
  effectiveHigh(now: number): number {
    return now < this.highTmpUntil ? Math.min(this.high, this.highTmp) : this.high;
  }

  isRoot(): boolean {
    return this.parent === null;
  }

  event(name: EventName, n = 1): void {
    const i = EVENT_INDEX[name];
    this.events[i] = (this.events[i] ?? 0) + n;
  }

  stat(name: StatName, n = 1): void {
    const i = STAT_INDEX[name];
    this.stats[i] = (this.stats[i] ?? 0) + n;
  }

  /** Local resident LRU pages of a type (0 anon, 1 file). */
  lruPages(type: number): number {
    return (this.lruSize[type * 2] ?? 0) + (this.lruSize[type * 2 + 1] ?? 0);
  }

  /** The four local list sizes (a leaf's lruvec). */
  lruLists(): { inactiveAnon: number; activeAnon: number; inactiveFile: number; activeFile: number } {
    const l = this.lruSize;
    return { inactiveAnon: l[0] ?? 0, activeAnon: l[1] ?? 0, inactiveFile: l[2] ?? 0, activeFile: l[3] ?? 0 };
  }

  /** The four list sizes summed over the subtree (what lruvec_page_state reads hierarchically). */
  subtreeLists(): { inactiveAnon: number; activeAnon: number; inactiveFile: number; activeFile: number } {
    let ia = 0;
    let aa = 0;
    let iF = 0;
    let aF = 0;
    for (const m of this.subtree) {
      ia += m.lruSize[L_INACTIVE_ANON] ?? 0;
      aa += m.lruSize[L_ACTIVE_ANON] ?? 0;
      iF += m.lruSize[L_INACTIVE_FILE] ?? 0;
      aF += m.lruSize[L_ACTIVE_FILE] ?? 0;
    }
    return { inactiveAnon: ia, activeAnon: aa, inactiveFile: iF, activeFile: aF };
  }

  /** A memory.events counter summed over the subtree (memory.events is hierarchical). */
  eventsH(name: EventName): number {
    const i = EVENT_INDEX[name];
    let n = 0;
    for (const m of this.subtree) n += m.events[i] ?? 0;
    return n;
  }

  /** A memory.stat counter of this cgroup's own lruvec (not its descendants'). */
  statLocal(name: StatName): number {
    return this.stats[STAT_INDEX[name]] ?? 0;
  }

  /** A memory.stat counter summed over the subtree. */
  statH(name: StatName): number {
    const i = STAT_INDEX[name];
    let n = 0;
    for (const m of this.subtree) n += m.stats[i] ?? 0;
    return n;
  }
}

/** Rebuild every cgroup's pre-order subtree list without recursion. */
export function computeSubtrees(root: Memcg): void {
  const all: Memcg[] = [];
  const stack: Memcg[] = [root];
  while (stack.length) {
    const m = stack.pop() as Memcg;
    all.push(m);
    for (let i = m.children.length - 1; i >= 0; i--) stack.push(m.children[i] as Memcg);
  }
  // Pre-order: a cgroup's subtree is the contiguous run that starts at it, of its descendants' count.
  const size = new Map<Memcg, number>();
  for (let i = all.length - 1; i >= 0; i--) {
    const m = all[i] as Memcg;
    let s = 1;
    for (const c of m.children) s += size.get(c) ?? 0;
    size.set(m, s);
  }
  for (let i = 0; i < all.length; i++) {
    const m = all[i] as Memcg;
    m.subtree = all.slice(i, i + (size.get(m) ?? 1));
  }
}
