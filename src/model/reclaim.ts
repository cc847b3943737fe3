/**
 * The reclaim engine (reclaim-model.md E6, A5): one try_to_free_mem_cgroup_pages() call over a
 * cgroup subtree, as a resumable state machine so a long call (a 1 GiB memory.reclaim on v5.19)
 * can interleave with the workload. Structure of the classic (non-MGLRU) LRU:
 *
 * - priorities DEF_PRIORITY..0 (do_try_to_free_pages()); each pass is one shrink_node_memcgs()
 *   walk of the subtree in pre-order (mem_cgroup_iter()): a full walk, or, with kernel.memcgWalk
 *   partial (6be5e186fd65, v6.11), a partial walk that resumes after the cgroup where the previous
 *   reclaimer on the same target stopped (the iterator cookie kept in the target) and bails as
 *   soon as the call's nr_reclaimed reaches nr_to_reclaim; a partial call that reclaimed nothing is
 *   retried once with a full walk (memcg_full_walk) before the deactivate and memory.low retries;
 * - per cgroup, scan quotas per list from the anon/file balance and protection (get_scan_count);
 * - rounds of up to SWAP_CLUSTER_MAX pages per list; once this cgroup's own reclaimed count reaches
 *   the target, the smaller type stops and the larger is cut proportionally;
 * - the total is checked only after a whole pass, which is where over-reclaim comes from.
 */
import { checkReferences, REF_ACTIVATE, REF_KEEP, REF_RECLAIM_CLEAN, type AgingHost } from './aging.ts';
import type { Consts } from './consts.ts';
import { effectiveProtection, inactiveIsLow, pressureBalance, SWAPPINESS_ANON_ONLY } from './formulas.ts';
import { L_ACTIVE_ANON, L_ACTIVE_FILE, L_INACTIVE_FILE, SRC_PROACTIVE, type Memcg } from './memcg.ts';
import { F_DIRTY, F_RECLAIM, F_WORKINGSET, F_WRITEBACK } from './page.ts';
import type { Region } from './task.ts';

/**
 * What a reclaim call needs from the simulator: its constants, the page store's flags and shadow
 * owners, the LRU and the eviction paths. The Simulator (sim.ts) implements it; this module does not
 * import the simulator, so the dependency runs one way.
 */
export interface ReclaimHost extends AgingHost {
  readonly c: Consts;
  readonly now: number;
  readonly counters: { reclaimCalls: number };
  readonly pgShadowMemcg: Int16Array;
  lruAdd(p: number, m: Memcg, list: number): void;
  lruDel(p: number, m: Memcg): void;
  regionOf(p: number): Region;
  /** Before an unmapped page leaves the active list: the PG_referenced it gathered there. */
  resolveActiveReference(p: number): void;
  /** An unmapped page joined an inactive list: queue its next access. */
  scheduleAccess(p: number, r: Region): void;
  ageNonresident(m: Memcg, n?: number): void;
  noteCost(m: Memcg, file: boolean, io: number, rotated: number): void;
  freeSwap(m: Memcg): number;
  zswapFits(p: number, m: Memcg): boolean;
  zswapStore(p: number, m: Memcg, target: Memcg): void;
  startAsync(p: number, kind: 'swapout' | 'writeback' | 'compress', m: Memcg, at: number): void;
  evictFile(p: number, m: Memcg, target: Memcg): void;
  vmpressure(scanned: number, reclaimed: number, proactive: boolean): void;
  /** kswapd's pageout() of a dirty file page (the write starts at `at`). */
  pageoutFile(p: number, m: Memcg, at: number): void;
  /** wakeup_flusher_threads(WB_REASON_VMSCAN). */
  wakeFlusher(): void;
  /** Dirty + writeback pages of the machine, and its reclaimable LRU pages (skip_throttle_noprogress()). */
  writePending(): number;
  reclaimablePages(): number;
}

const SCAN_EQUAL = 0;
const SCAN_FRACT = 1;
const SCAN_ANON = 2;
const SCAN_FILE = 3;

export interface ReclaimOpts {
  /** May reclaim anonymous memory (swap). */
  maySwap: boolean;
  /** SRC_DIRECT (charge path), SRC_PROACTIVE (memory.reclaim) or SRC_LIMIT (limit writes). */
  source: number;
  /** 0..200, or 201 for "anon only" (memory.reclaim swappiness=max). */
  swappiness: number;
  /** The memcg walk; default from the profile (kernel.memcgWalk). kswapd always walks fully. */
  walk?: 'full' | 'partial';
  /**
   * Global reclaim (try_to_free_pages() or kswapd's balance_pgdat() at the root, not
   * cgroup_reclaim()): a direct global reclaimer at DEF_PRIORITY scans its whole quota in every
   * lruvec (shrink_lruvec()'s proportional_reclaim), where cgroup reclaim and kswapd cut it once
   * the lruvec reclaimed nr_to_reclaim.
   */
  global?: boolean;
  /** The reclaimer is kswapd (current_is_kswapd()): full walks, no proportional_reclaim. */
  kswapd?: boolean;
  /** Per-cgroup accounting of what the call asked of, scanned in and freed from each cgroup. */
  ledger?: ReclaimLedger;
}

/**
 * Who gave what, per cgroup id: the scan quota get_scan_count() set for it (summed over every
 * visit: what reclaim "requested" of that cgroup), the inactive pages scanned (pgscan), the pages
 * freed (pgsteal), the visits, and the times a walk skipped it for memory.min/memory.low.
 */
export class ReclaimLedger {
  readonly quota: Float64Array;
  readonly scanned: Float64Array;
  readonly reclaimed: Float64Array;
  readonly visits: Float64Array;
  readonly skipped: Float64Array;
  constructor(readonly size: number) {
    this.quota = new Float64Array(size);
    this.scanned = new Float64Array(size);
    this.reclaimed = new Float64Array(size);
    this.visits = new Float64Array(size);
    this.skipped = new Float64Array(size);
  }
}

/** Per-parent sums of protected usage for computeProtection(), indexed by cgroup id, reused. */
let sibMinScratch = new Float64Array(0);
let sibLowScratch = new Float64Array(0);

const SCAN_NAMES = ['pgscan_direct', 'pgscan_proactive', 'pgscan_limit'] as const;
const STEAL_NAMES = ['pgsteal_direct', 'pgsteal_proactive', 'pgsteal_limit'] as const;

export class ReclaimCall {
  /** Pages freed by this call (not counting writeback that completes later). */
  reclaimed = 0;
  scanned = 0;
  /** Time of the call so far, µs: CPU, plus the reclaim_throttle() sleeps counted in sleepUs. */
  cost = 0;
  /** reclaim_throttle(VMSCAN_THROTTLE_CONGESTED) sleeps of this call, µs (part of cost). */
  sleepUs = 0;
  /** This pass's sc->nr.dirty and sc->nr.congested (shrink_node()'s congestion test). */
  private passDirty = 0;
  private passCongested = 0;
  done = false;
  readonly target: number;
  private priority: number;
  private lowReclaim = false;
  private lowSkipped = false;
  private forceDeactivate = false;
  private skippedDeactivate = false;
  private cursor = 0;
  private passStarted = false;
  private cur: Memcg | null = null;
  private readonly nr = new Float64Array(4);
  private readonly targets = new Float64Array(4);
  private lruvecReclaimed = 0;
  private lruvecScanned0 = 0;
  private lruvecReclaimed0 = 0;
  private scanAdjusted = false;
  private anonCost = 0;
  private fileCost = 0;
  private mayDeactivateAnon = false;
  private mayDeactivateFile = false;
  private cacheTrim = false;
  private readonly proactive: boolean;
  private readonly startClock: number;
  /** Partial walks with the shared cookie (until a memcg_full_walk retry). */
  private readonly partial: boolean;
  private fullWalk = false;
  /** This walk's cookie generation, and the cgroups it has taken from the iterator. */
  private gen = 0;
  private walkVisited = 0;
  private readonly ledger: ReclaimLedger | null;

  constructor(
    private readonly sim: ReclaimHost,
    readonly root: Memcg,
    nrPages: number,
    readonly opts: ReclaimOpts,
    startClock = sim.now,
  ) {
    this.target = Math.max(nrPages, sim.c.swapClusterMax);
    this.priority = sim.c.defPriority;
    this.proactive = opts.source === SRC_PROACTIVE;
    this.cost = sim.c.tCall;
    this.startClock = startClock;
    this.ledger = opts.ledger ?? null;
    const walk = opts.walk ?? (sim.c.memcgWalkPartial ? 'partial' : 'full');
    this.partial = walk === 'partial' && opts.kswapd !== true;
    sim.counters.reclaimCalls++;
  }

  /** Work until done or until `budgetUs` more µs of cost are spent; returns the µs spent (the fixed
   * per-call overhead is billed with the first slice). */
  run(budgetUs: number): number {
    while (!this.done && this.cost - this.billed < budgetUs) this.stepOnce();
    if (this.done) this.finish();
    const delta = this.cost - this.billed;
    this.billed = this.cost;
    return delta;
  }

  private billed = 0;
  private finished = false;
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    // snapshot_refaults(): remember the target's activation counters for may_deactivate.
    this.root.refaultSnapAnon = this.root.statH('workingset_activate_anon');
    this.root.refaultSnapFile = this.root.statH('workingset_activate_file');
  }

  private stepOnce(): void {
    if (this.cur) {
      this.round();
      return;
    }
    const subtree = this.root.subtree;
    if (!this.passStarted) this.startPass();
    let idx: number;
    if (this.partial && !this.fullWalk) {
      idx = this.iterNext();
      if (idx < 0) {
        this.endPass();
        return;
      }
    } else {
      if (this.cursor >= subtree.length) {
        this.endPass();
        return;
      }
      idx = this.cursor++;
    }
    const m = subtree[idx] as Memcg;
    this.cost += this.sim.c.tMemcg;
    const ledger = this.ledger;
    if (m !== this.root) {
      // mem_cgroup_below_min() / mem_cgroup_below_low() in shrink_node_memcgs().
      if (m.emin >= m.usage) {
        if (ledger) ledger.skipped[m.id] = (ledger.skipped[m.id] ?? 0) + 1;
        return;
      }
      if (m.elow >= m.usage) {
        if (!this.lowReclaim) {
          this.lowSkipped = true;
          if (ledger) ledger.skipped[m.id] = (ledger.skipped[m.id] ?? 0) + 1;
          return;
        }
        m.event('low');
      }
    }
    this.scanCounts(m);
    if (ledger) {
      const t = this.targets;
      ledger.visits[m.id] = (ledger.visits[m.id] ?? 0) + 1;
      ledger.quota[m.id] = (ledger.quota[m.id] ?? 0) + (t[0] ?? 0) + (t[1] ?? 0) + (t[2] ?? 0) + (t[3] ?? 0);
    }
    this.cur = m;
    this.lruvecReclaimed = 0;
    this.lruvecScanned0 = this.scanned;
    this.lruvecReclaimed0 = this.reclaimed;
    // shrink_lruvec()'s proportional_reclaim: a direct global reclaimer at DEF_PRIORITY does not
    // cut its scan once the lruvec met the target.
    this.scanAdjusted =
      this.opts.global === true && this.opts.kswapd !== true && this.priority === this.sim.c.defPriority;
  }

  /**
   * mem_cgroup_iter(target, prev, cookie) as of 6.11 (mm/memcontrol.c): continue from the shared
   * position, not from this walk's previous cgroup, so concurrent reclaimers on one target split
   * the subtree between them. At the end of the subtree the position is cleared and the generation
   * bumped; a walk that has visited something ends there, a new walk restarts at the top. A walk
   * whose generation is stale (another reclaimer finished the round) ends. Returns the index in
   * the target's subtree, or -1 when this walk is over.
   */
  private iterNext(): number {
    const root = this.root;
    const first = this.walkVisited === 0;
    if (!first && root.iterGen !== this.gen) return -1;
    let next = root.iterPos + 1;
    if (next >= root.subtree.length) {
      root.iterPos = -1;
      root.iterGen++;
      if (!first) return -1;
      next = 0;
    }
    root.iterPos = next;
    if (first) this.gen = root.iterGen;
    this.walkVisited++;
    return next;
  }

  /** prepare_scan_count() and protection for a new priority pass. */
  private startPass(): void {
    this.passStarted = true;
    this.passDirty = 0;
    this.passCongested = 0;
    this.cursor = 0;
    this.walkVisited = 0;
    const root = this.root;
    this.computeProtection();
    this.anonCost = root.anonCost;
    this.fileCost = root.fileCost;
    const l = root.subtreeLists();
    const actAnon = root.statH('workingset_activate_anon');
    const actFile = root.statH('workingset_activate_file');
    if (this.forceDeactivate) {
      this.mayDeactivateAnon = true;
      this.mayDeactivateFile = true;
    } else {
      this.mayDeactivateAnon =
        actAnon !== root.refaultSnapAnon || inactiveIsLow(l.inactiveAnon, l.activeAnon);
      this.mayDeactivateFile =
        actFile !== root.refaultSnapFile || inactiveIsLow(l.inactiveFile, l.activeFile);
    }
    // Plenty of inactive file that is not thrashing: trim the cache first ([R] exact condition).
    this.cacheTrim = Math.floor(l.inactiveFile / 2 ** this.priority) > 0 && !this.mayDeactivateFile;
  }

  private endPass(): void {
    this.passStarted = false;
    this.throttleIfCongested();
    if (this.reclaimed >= this.target) {
      this.done = true;
      return;
    }
    this.priority--;
    if (this.priority >= 0) return;
    if (this.reclaimed > 0) {
      this.done = true;
      return;
    }
    // Nothing at all reclaimed: a partial walker retries with a full walk (memcg_full_walk, with
    // the priority reset of Shakeel Butt's fix to 6be5e186fd65), then with forced deactivation,
    // then by dipping into memory.low (do_try_to_free_pages()).
    if (this.partial && !this.fullWalk) {
      this.priority = this.sim.c.defPriority;
      this.fullWalk = true;
      return;
    }
    if (this.skippedDeactivate) {
      this.priority = this.sim.c.defPriority;
      this.forceDeactivate = true;
      this.skippedDeactivate = false;
      return;
    }
    if (this.lowSkipped) {
      this.priority = this.sim.c.defPriority;
      this.forceDeactivate = false;
      this.lowReclaim = true;
      this.lowSkipped = false;
      return;
    }
    this.done = true;
  }

  /**
   * The end of shrink_node(): cgroup reclaim (not kswapd) whose every dirty or writeback page was
   * already marked for immediate reclaim and still under writeback (sc->nr.dirty == nr.congested)
   * tags the lruvec LRUVEC_CGROUP_CONGESTED and sleeps in reclaim_throttle(VMSCAN_THROTTLE_CONGESTED):
   * one jiffy, unless skip_throttle_noprogress() finds write-pending pages at most half the
   * reclaimable ones (then it only reschedules).
   */
  private throttleIfCongested(): void {
    if (this.opts.kswapd === true || this.opts.global === true) return;
    if (this.passDirty === 0 || this.passDirty !== this.passCongested) return;
    const sim = this.sim;
    if (2 * sim.writePending() <= sim.reclaimablePages()) return;
    const us = 1e6 / sim.c.hz;
    this.cost += us;
    this.sleepUs += us;
    this.root.stat('vmscan_throttled');
    this.root.stat('vmscan_throttled_us', us);
  }

  /** mem_cgroup_calculate_protection() for the subtree: the target itself is never protected. */
  private computeProtection(): void {
    const rec = this.sim.c.recursiveProt;
    const root = this.root;
    root.emin = 0;
    root.elow = 0;
    const subtree = root.subtree;
    // The siblings' protected usage, summed once per parent (children_min_usage and
    // children_low_usage of the page counter), so a parent with many children costs linear time.
    let maxId = 0;
    for (const m of subtree) if (m.id > maxId) maxId = m.id;
    if (sibMinScratch.length <= maxId) {
      sibMinScratch = new Float64Array(maxId + 1);
      sibLowScratch = new Float64Array(maxId + 1);
    }
    for (const m of subtree) {
      sibMinScratch[m.id] = 0;
      sibLowScratch[m.id] = 0;
    }
    for (const m of subtree) {
      if (m === root) continue;
      const pid = (m.parent as Memcg).id;
      sibMinScratch[pid] = (sibMinScratch[pid] ?? 0) + Math.min(m.usage, m.min);
      sibLowScratch[pid] = (sibLowScratch[pid] ?? 0) + Math.min(m.usage, m.low);
    }
    for (const m of subtree) {
      if (m === root) continue;
      const parent = m.parent as Memcg;
      if (parent === root) {
        m.emin = m.min;
        m.elow = m.low;
        continue;
      }
      const sibMin = sibMinScratch[parent.id] ?? 0;
      const sibLow = sibLowScratch[parent.id] ?? 0;
      m.emin = effectiveProtection(m.usage, parent.usage, m.min, parent.emin, sibMin, rec);
      m.elow = effectiveProtection(m.usage, parent.usage, m.low, parent.elow, sibLow, rec);
    }
  }

  /** get_scan_count(): the per-list quotas of cgroup m at this priority (A5). */
  private scanCounts(m: Memcg): void {
    const sim = this.sim;
    const c = sim.c;
    const canSwap = this.opts.maySwap && sim.freeSwap(m) > 0;
    const sw = this.opts.swappiness;
    let balance: number;
    if (!canSwap) balance = SCAN_FILE;
    else if (sw === 0) balance = SCAN_FILE;
    else if (sw === SWAPPINESS_ANON_ONLY) balance = SCAN_ANON;
    else if (this.priority === 0) balance = SCAN_EQUAL;
    else if (this.cacheTrim) balance = SCAN_FILE;
    else balance = SCAN_FRACT;
    let ap = 1;
    let fp = 1;
    if (balance === SCAN_FRACT) ({ ap, fp } = pressureBalance(this.anonCost, this.fileCost, sw));
    const denom = ap + fp;
    let protection = 0;
    if (m.emin > 0 || m.elow > 0) {
      if (!this.lowReclaim && m.elow > m.emin) {
        protection = m.elow;
        this.lowSkipped = true;
      } else protection = m.emin;
    }
    const shift = 2 ** this.priority;
    for (let lru = 0; lru < 4; lru++) {
      const size = m.lruSize[lru] ?? 0;
      let scan = size;
      if (m.emin > 0 || m.elow > 0) {
        const cgroupSize = Math.max(m.usage, protection);
        scan = size - Math.floor((size * protection) / (cgroupSize + 1));
        scan = Math.max(scan, c.swapClusterMax);
      }
      scan = Math.floor(scan / shift);
      const file = lru >> 1;
      if (balance === SCAN_FRACT) scan = Math.floor((scan * (file ? fp : ap)) / denom);
      else if ((balance === SCAN_FILE && !file) || (balance === SCAN_ANON && file)) scan = 0;
      this.nr[lru] = scan;
      this.targets[lru] = scan;
    }
  }

  /** One round of shrink_lruvec(): up to SWAP_CLUSTER_MAX pages from each list with quota left. */
  private round(): void {
    const m = this.cur as Memcg;
    const nr = this.nr;
    const scm = this.sim.c.swapClusterMax;
    if ((nr[0] ?? 0) > 0 || (nr[2] ?? 0) > 0 || (nr[3] ?? 0) > 0) {
      for (let lru = 0; lru < 4; lru++) {
        const q = nr[lru] ?? 0;
        if (q <= 0) continue;
        const k = Math.min(q, scm);
        nr[lru] = q - k;
        this.lruvecReclaimed += this.shrinkList(m, lru, k);
      }
    }
    const more = (nr[0] ?? 0) > 0 || (nr[2] ?? 0) > 0 || (nr[3] ?? 0) > 0;
    if (!more) {
      this.finishLruvec(m);
      return;
    }
    if (this.lruvecReclaimed < this.target || this.scanAdjusted) return;
    // Target reached in this cgroup: stop the smaller type, cut the larger one proportionally.
    const nrFile = (nr[2] ?? 0) + (nr[3] ?? 0);
    const nrAnon = (nr[0] ?? 0) + (nr[1] ?? 0);
    if (nrFile === 0 || nrAnon === 0) {
      this.finishLruvec(m);
      return;
    }
    const t = this.targets;
    let stop: number;
    let pct: number;
    if (nrFile > nrAnon) {
      stop = 0;
      pct = Math.floor((nrAnon * 100) / ((t[0] ?? 0) + (t[1] ?? 0) + 1));
    } else {
      stop = 2;
      pct = Math.floor((nrFile * 100) / ((t[2] ?? 0) + (t[3] ?? 0) + 1));
    }
    nr[stop] = 0;
    nr[stop + 1] = 0;
    const other = stop === 0 ? 2 : 0;
    for (const x of [other, other + 1]) {
      const scannedX = (t[x] ?? 0) - (nr[x] ?? 0);
      let v = Math.floor(((t[x] ?? 0) * (100 - pct)) / 100);
      v -= Math.min(v, scannedX);
      nr[x] = v;
    }
    this.scanAdjusted = true;
  }

  private finishLruvec(m: Memcg): void {
    const sim = this.sim;
    // Rebalance the anon lists even when anon was not scanned.
    if (this.opts.maySwap && sim.freeSwap(m) > 0 && inactiveIsLow(m.lruSize[0] ?? 0, m.lruSize[1] ?? 0)) {
      this.shrinkActive(m, L_ACTIVE_ANON, sim.c.swapClusterMax);
    }
    sim.vmpressure(
      this.scanned - this.lruvecScanned0,
      this.reclaimed - this.lruvecReclaimed0,
      this.proactive,
    );
    this.cur = null;
    // shrink_node_memcgs(): "If partial walks are allowed, bail once goal is reached"
    // (mem_cgroup_iter_break(); the position stays at this cgroup, so the next walk starts after it).
    if (this.partial && !this.fullWalk && this.reclaimed >= this.target) this.endPass();
  }

  private shrinkList(m: Memcg, lru: number, k: number): number {
    if (lru & 1) {
      const may = lru === L_ACTIVE_ANON ? this.mayDeactivateAnon : this.mayDeactivateFile;
      if (may) this.shrinkActive(m, lru, k);
      else this.skippedDeactivate = true;
      return 0;
    }
    return this.shrinkInactive(m, lru, k);
  }

  /**
   * shrink_active_list(): take pages from the active tail. Their young PTEs are consumed
   * (folio_referenced()); a young executable file page stays active (rotated, and its activation
   * ages the refault clock as move_folios_to_lru() does); every other page moves to the inactive
   * head marked workingset, keeping its PG_referenced. (Public so tests can drive one batch.)
   */
  shrinkActive(m: Memcg, lru: number, k: number): void {
    const sim = this.sim;
    const file = lru === L_ACTIVE_FILE;
    let n = 0;
    let deactivated = 0;
    let rotated = 0;
    for (; n < k; n++) {
      const p = m.lruTail[lru] ?? -1;
      if (p < 0) break;
      sim.lruDel(p, m);
      const r = sim.regionOf(p);
      const ptes = sim.referencedPtes(p);
      if (ptes > 0 && file && r.exec) {
        sim.lruAdd(p, m, lru);
        sim.ageNonresident(m, 1);
        rotated++;
        continue;
      }
      sim.resolveActiveReference(p);
      sim.pgFlags[p] = (sim.pgFlags[p] ?? 0) | F_WORKINGSET;
      sim.lruAdd(p, m, lru - 1);
      sim.scheduleAccess(p, r);
      deactivated++;
    }
    if (deactivated > 0) m.stat('pgdeactivate', deactivated);
    if (rotated > 0) sim.noteCost(m, file, 0, rotated);
    if (n > 0) this.cost += n * sim.c.tScan;
  }

  /**
   * shrink_inactive_list() + shrink_folio_list() on up to k pages of an inactive list: references,
   * then swap-out or drop. Returns the pages freed. (Public so tests can drive one batch.)
   */
  shrinkInactive(m: Memcg, lru: number, k: number): number {
    const sim = this.sim;
    const c = sim.c;
    const file = lru === L_INACTIVE_FILE;
    const root = this.root;
    let n = 0;
    let freed = 0;
    let io = 0;
    let rotated = 0;
    let extraCost = 0;
    let unqueuedDirty = 0;
    for (; n < k; n++) {
      const p = m.lruTail[lru] ?? -1;
      if (p < 0) break;
      sim.lruDel(p, m);
      const f0 = sim.pgFlags[p] ?? 0;
      if (file && f0 & (F_DIRTY | F_WRITEBACK)) {
        // folio_check_dirty_writeback(): nr_dirty, nr_unqueued_dirty, nr_congested.
        this.passDirty++;
        if (!(f0 & F_WRITEBACK)) unqueuedDirty++;
        else if (f0 & F_RECLAIM) this.passCongested++;
        if (f0 & F_WRITEBACK) {
          // Under writeback (shrink_folio_list() cases 1 and 2 for cgroup v2): mark it for
          // immediate reclaim and move it out of the way (activate_locked, c55e8d035b28).
          sim.pgFlags[p] = f0 | F_RECLAIM;
          sim.lruAdd(p, m, lru + 1);
          sim.ageNonresident(m, 1);
          m.stat('nr_vmscan_immediate');
          rotated++;
          continue;
        }
      }
      const verdict = checkReferences(sim, p, file, file && sim.regionOf(p).exec);
      if (verdict === REF_ACTIVATE) {
        sim.lruAdd(p, m, lru + 1);
        sim.ageNonresident(m, 1);
        rotated++;
        continue;
      }
      if (verdict === REF_KEEP) {
        sim.lruAdd(p, m, lru);
        continue;
      }
      const flags = sim.pgFlags[p] ?? 0;
      if (!file) {
        const swapRoom = this.opts.maySwap && sim.freeSwap(m) > 0;
        if (swapRoom && c.zswap && c.asyncZswap) {
          sim.pgShadowMemcg[p] = root.id;
          sim.startAsync(p, 'compress', m, this.startClock + this.cost + extraCost);
          extraCost += c.tScan;
          io++;
        } else if (swapRoom && c.zswap && sim.zswapFits(p, m)) {
          sim.zswapStore(p, m, root);
          extraCost += c.tCompress;
          freed++;
          io++;
        } else if (swapRoom && (c.writeback || !c.zswap)) {
          if (c.zswap) m.stat('zswpreject');
          sim.pgShadowMemcg[p] = root.id;
          sim.startAsync(p, 'swapout', m, this.startClock + this.cost + extraCost);
          io++;
        } else {
          if (swapRoom && c.zswap) m.stat('zswpreject');
          sim.lruAdd(p, m, L_ACTIVE_ANON);
          sim.ageNonresident(m, 1);
          rotated++;
        }
      } else if (flags & F_DIRTY) {
        // Only kswapd writes a file page from reclaim, and only one it already marked (PG_reclaim)
        // and not referenced; everyone else marks it for immediate reclaim and activates it so
        // the flusher can write it (shrink_folio_list(), "Immediately reclaim when written back").
        if (this.opts.kswapd === true && flags & F_RECLAIM) {
          if (verdict === REF_RECLAIM_CLEAN) {
            sim.lruAdd(p, m, lru);
            continue;
          }
          sim.pgShadowMemcg[p] = root.id;
          sim.pageoutFile(p, m, this.startClock + this.cost + extraCost);
          io++;
        } else {
          sim.pgFlags[p] = flags | F_RECLAIM;
          sim.lruAdd(p, m, lru + 1);
          sim.ageNonresident(m, 1);
          m.stat('nr_vmscan_immediate');
          rotated++;
        }
      } else {
        sim.evictFile(p, m, root);
        extraCost += c.tDrop;
        freed++;
      }
    }
    if (rotated > 0) m.stat('pgactivate', rotated);
    // shrink_inactive_list(): a batch of nothing but dirty pages not queued for I/O means the
    // flushers are behind; wake them.
    if (file && n > 0 && unqueuedDirty === n) sim.wakeFlusher();
    this.cost += n * c.tScan + extraCost;
    const src = this.opts.source;
    m.stat(SCAN_NAMES[src] ?? 'pgscan_direct', n);
    m.stat(STEAL_NAMES[src] ?? 'pgsteal_direct', freed);
    sim.noteCost(m, file, io, rotated);
    this.scanned += n;
    this.reclaimed += freed;
    const ledger = this.ledger;
    if (ledger) {
      ledger.scanned[m.id] = (ledger.scanned[m.id] ?? 0) + n;
      ledger.reclaimed[m.id] = (ledger.reclaimed[m.id] ?? 0) + freed;
    }
    return freed;
  }
}
