/**
 * Dirty page cache and its writeback (docs/model.md, "Dirty pages and writeback"): which file pages
 * are dirty or under writeback, the flusher that writes them to one block device at a fixed
 * bandwidth, and the dirty limits a writer is throttled at. Reclaim's side (it never writes a file
 * page itself outside kswapd; it marks it for immediate reclaim and moves it out of the way) lives
 * in reclaim.ts; this module owns the queues and the device.
 *
 * Kernel sources it follows (mm/page-writeback.c, fs/fs-writeback.c):
 * - a page dirtied by write() joins its cgroup's writeback domain (cgroup writeback: one
 *   bdi_writeback per memcg) in dirtying order; the flusher (wb_workfn → wb_do_writeback) writes
 *   the oldest first;
 * - periodic "kupdate" writeback every dirty_writeback_centisecs writes what was dirtied more than
 *   dirty_expire_centisecs ago (wb_check_old_data_flush); background writeback runs while a domain
 *   is over its background threshold (wb_check_background_flush, wb_over_bg_thresh); reclaim that
 *   finds only unqueued dirty pages wakes the flusher to write everything
 *   (wakeup_flusher_threads(WB_REASON_VMSCAN));
 * - folio_clear_dirty_for_io() + folio_start_writeback() when a page is submitted, and at I/O
 *   completion folio_end_writeback(): PG_writeback cleared, and a page reclaim marked PG_reclaim
 *   meanwhile is rotated to the tail of the inactive list (folio_rotate_reclaimable()) so the next
 *   reclaim frees it;
 * - balance_dirty_pages(): a writer whose domain (global, or its memcg's: mdtc_calc_avail(), file
 *   pages plus headroom under memory.high/max) has more dirty + writeback pages than dirty_ratio of
 *   its dirtyable memory sleeps, at most MAX_PAUSE (HZ/5) per call.
 *
 * Pure: it talks to the simulator through WritebackHost.
 */
import type { Memcg } from './memcg.ts';
import { L_ACTIVE_FILE, L_INACTIVE_FILE } from './memcg.ts';
import { F_DIRTY, F_RECLAIM, F_WRITEBACK, P_LRU, P_UNEVICTABLE } from './page.ts';
import type { Region, Task } from './task.ts';

/** What writeback needs of the simulator. */
export interface WritebackHost {
  readonly now: number;
  readonly root: Memcg;
  readonly pgState: Uint8Array;
  readonly pgList: Uint8Array;
  readonly pgFlags: Uint8Array;
  memcgOf(p: number): Memcg;
  regionOf(p: number): Region;
  lruDel(p: number, m: Memcg): void;
  lruAddTail(p: number, m: Memcg, list: number): void;
  resolveActiveReference(p: number): void;
  scheduleAccess(p: number, r: Region): void;
  /** Queue the end of a page's writeback I/O at time t (the simulator's completion heap). */
  queueWritebackEnd(p: number, t: number): void;
  /** A task sleeps `us` in balance_dirty_pages() (io_schedule_timeout: iowait, not a memory stall). */
  dirtyPause(task: Task, us: number): void;
}

/** Writeback settings, resolved from the parameters. */
export interface WritebackConfig {
  /** vm.dirty_ratio and vm.dirty_background_ratio, percent of dirtyable memory. */
  dirtyRatio: number;
  backgroundRatio: number;
  /** vm.dirty_expire_centisecs and vm.dirty_writeback_centisecs, as µs. */
  expireUs: number;
  intervalUs: number;
  /** Device write time per page, µs (PAGE_SIZE / bandwidth). */
  pageUs: number;
  /** Memory of the machine, pages: the global domain's dirtyable memory is what is free plus file pages. */
  memoryPages: number;
  /** MAX_PAUSE of balance_dirty_pages(), µs. */
  maxPauseUs: number;
}

/**
 * Pages the flusher keeps submitted ahead of the device: one writeback chunk (MAX_WRITEBACK_PAGES,
 * 1024 pages in fs/fs-writeback.c). A page counts as under writeback from its submission.
 */
const IN_FLIGHT_PAGES = 1024;

/** One domain's FIFO of dirtied pages (page ids and dirtying times), with lazy deletion. */
class DirtyQueue {
  page = new Int32Array(64);
  time = new Float64Array(64);
  head = 0;
  len = 0;

  push(p: number, t: number): void {
    if (this.len === this.page.length) {
      const n = this.page.length * 2;
      const p2 = new Int32Array(n);
      const t2 = new Float64Array(n);
      for (let i = 0; i < this.len; i++) {
        const k = (this.head + i) % this.page.length;
        p2[i] = this.page[k] ?? 0;
        t2[i] = this.time[k] ?? 0;
      }
      this.page = p2;
      this.time = t2;
      this.head = 0;
    }
    const k = (this.head + this.len) % this.page.length;
    this.page[k] = p;
    this.time[k] = t;
    this.len++;
  }

  peekPage(): number {
    return this.page[this.head] ?? -1;
  }

  peekTime(): number {
    return this.time[this.head] ?? Infinity;
  }

  pop(): void {
    this.head = (this.head + 1) % this.page.length;
    this.len--;
  }
}

/** Writeback state of one simulation; also the flusher actor (prio 0: a kernel thread). */
export class Writeback {
  nextTime = Infinity;
  readonly prio = 0;
  /** Dirtying pages and reclaim in other actors' steps wake the flusher (dirtied(), balance(), wakeForReclaim()). */
  readonly wokenByOthers = true;
  /** Pages dirty (not yet submitted) and under writeback, machine-wide. */
  nrDirty = 0;
  nrWriteback = 0;
  /** Pages the flusher wrote. */
  written = 0;
  private deviceFreeAt = 0;
  private readonly queues = new Map<Memcg, DirtyQueue>();
  /** Dirtied at or before this time is expired for kupdate writeback (set at each periodic wake). */
  private expiredBefore = -Infinity;
  private nextPeriodic: number;
  /** Reclaim asked for everything dirty to be written (WB_REASON_VMSCAN), up to this many pages. */
  private wakeAll = 0;

  constructor(
    private readonly host: WritebackHost,
    readonly cfg: WritebackConfig,
  ) {
    this.nextPeriodic = cfg.intervalUs;
  }

  /** A file page became dirty (write(), or dirty at start) in m. */
  dirtied(p: number, m: Memcg): void {
    this.nrDirty++;
    m.nrDirty++;
    let q = this.queues.get(m);
    if (!q) this.queues.set(m, (q = new DirtyQueue()));
    q.push(p, this.host.now);
    // The first dirty page arms the periodic timer (wb_wakeup_delayed()).
    if (this.nextTime === Infinity) this.nextTime = Math.max(this.host.now, this.nextPeriodic);
    if (this.overBackground(m)) this.nextTime = Math.min(this.nextTime, this.host.now);
  }

  /** A dirty page left (freed or dropped) without being written. */
  forget(p: number, m: Memcg): void {
    const f = this.host.pgFlags[p] ?? 0;
    if (f & F_DIRTY) {
      this.nrDirty--;
      m.nrDirty--;
    }
    if (f & F_WRITEBACK) {
      this.nrWriteback--;
      m.nrWriteback--;
    }
  }

  /** wakeup_flusher_threads(WB_REASON_VMSCAN): write every dirty page now. */
  wakeForReclaim(): void {
    this.wakeAll = Math.max(this.wakeAll, this.nrDirty);
    this.nextTime = Math.min(this.nextTime, this.host.now);
  }

  /** Dirty and writeback pages machine-wide, the "write_pending" of skip_throttle_noprogress(). */
  writePending(): number {
    return this.nrDirty + this.nrWriteback;
  }

  /** The global domain's dirtyable memory, pages: free memory plus file pages (global_dirtyable_memory()). */
  private globalAvail(): number {
    const root = this.host.root;
    let file = 0;
    for (const m of root.subtree) file += (m.lruSize[L_INACTIVE_FILE] ?? 0) + (m.lruSize[L_ACTIVE_FILE] ?? 0);
    return Math.max(0, this.cfg.memoryPages - root.usage) + file;
  }

  /** The memcg domain's dirtyable memory (mdtc_calc_avail()), or Infinity without a limit above it. */
  private memcgAvail(m: Memcg, globalAvail: number): number {
    let headroom = Infinity;
    for (let c: Memcg | null = m; c && c.parent; c = c.parent) {
      const lim = Math.min(c.max, c.high);
      if (Number.isFinite(lim)) headroom = Math.min(headroom, Math.max(0, lim - c.usage));
    }
    if (!Number.isFinite(headroom)) return Infinity;
    const file = (m.lruSize[L_INACTIVE_FILE] ?? 0) + (m.lruSize[L_ACTIVE_FILE] ?? 0) + m.isolatedFile;
    const clean = file - Math.min(file, m.nrDirty);
    const otherClean = Math.max(0, globalAvail - Math.min(globalAvail, this.nrDirty) - clean);
    return file + Math.min(headroom, otherClean);
  }

  /** wb_over_bg_thresh(): dirty pages above the background threshold, globally or in m's domain. */
  overBackground(m: Memcg): boolean {
    const g = this.globalAvail();
    const bg = this.cfg.backgroundRatio / 100;
    if (this.nrDirty > bg * g) return true;
    const a = this.memcgAvail(m, g);
    return Number.isFinite(a) && m.nrDirty > bg * a;
  }

  /**
   * balance_dirty_pages() after `task` dirtied pages of m: over the dirty threshold of either domain
   * (dirty + writeback above dirty_ratio of its dirtyable memory), the task sleeps for the time the
   * device needs to write the excess, at most MAX_PAUSE; the flusher is kicked.
   */
  balance(task: Task, m: Memcg): void {
    const g = this.globalAvail();
    const ratio = this.cfg.dirtyRatio / 100;
    let excess = this.nrDirty + this.nrWriteback - ratio * g;
    const a = this.memcgAvail(m, g);
    if (Number.isFinite(a)) excess = Math.max(excess, m.nrDirty + m.nrWriteback - ratio * a);
    if (this.overBackground(m)) this.nextTime = Math.min(this.nextTime, this.host.now);
    if (excess <= 0) return;
    this.host.dirtyPause(task, Math.min(this.cfg.maxPauseUs, excess * this.cfg.pageUs));
  }

  /** The flusher: submit what is due while the device queue is short, then sleep. */
  step(): void {
    const host = this.host;
    const now = host.now;
    if (now >= this.nextPeriodic) {
      this.expiredBefore = now - this.cfg.expireUs;
      while (this.nextPeriodic <= now) this.nextPeriodic += this.cfg.intervalUs;
    }
    let more = false;
    for (const [m, q] of this.queues) {
      while (q.len > 0 && this.nrWriteback < IN_FLIGHT_PAGES) {
        const p = q.peekPage();
        const f = host.pgFlags[p] ?? 0;
        const st = host.pgState[p];
        if (!(f & F_DIRTY) || f & F_WRITEBACK || (st !== P_LRU && st !== P_UNEVICTABLE)) {
          q.pop();
          continue;
        }
        const due = this.wakeAll > 0 || q.peekTime() <= this.expiredBefore || this.overBackground(m);
        if (!due) break;
        q.pop();
        this.submit(p, m);
        if (this.wakeAll > 0) this.wakeAll--;
      }
      if (q.len > 0) more = true;
    }
    if (this.nrDirty === 0) this.wakeAll = 0;
    // Come back when half the chunk is written; otherwise at the next periodic wake, if anything is dirty.
    const refill = this.deviceFreeAt - (IN_FLIGHT_PAGES / 2) * this.cfg.pageUs;
    const busy = more && (this.wakeAll > 0 || this.anyOverBackground() || this.anyExpired());
    this.nextTime = busy ? Math.max(now + 1, refill) : this.nrDirty > 0 ? this.nextPeriodic : Infinity;
  }

  private anyOverBackground(): boolean {
    for (const m of this.queues.keys()) if (this.overBackground(m)) return true;
    return false;
  }

  private anyExpired(): boolean {
    for (const q of this.queues.values()) if (q.len > 0 && q.peekTime() <= this.expiredBefore) return true;
    return false;
  }

  /** folio_clear_dirty_for_io() + folio_start_writeback(), and the I/O on the device. */
  private submit(p: number, m: Memcg): void {
    const host = this.host;
    host.pgFlags[p] = ((host.pgFlags[p] ?? 0) & ~F_DIRTY) | F_WRITEBACK;
    this.nrDirty--;
    m.nrDirty--;
    this.nrWriteback++;
    m.nrWriteback++;
    this.deviceFreeAt = Math.max(this.deviceFreeAt, host.now) + this.cfg.pageUs;
    host.queueWritebackEnd(p, this.deviceFreeAt);
  }

  /**
   * folio_end_writeback(): the write finished. A page reclaim marked for immediate reclaim while it
   * was in flight goes to the tail of the inactive list (folio_rotate_reclaimable()).
   */
  ended(p: number): void {
    const host = this.host;
    const f = host.pgFlags[p] ?? 0;
    if (!(f & F_WRITEBACK)) return;
    const m = host.memcgOf(p);
    host.pgFlags[p] = f & ~(F_WRITEBACK | F_RECLAIM);
    this.nrWriteback--;
    m.nrWriteback--;
    this.written++;
    m.stat('wb_written');
    if (!(f & F_RECLAIM) || host.pgState[p] !== P_LRU || f & F_DIRTY) return;
    const list = host.pgList[p] ?? L_INACTIVE_FILE;
    host.lruDel(p, m);
    if (list & 1) host.resolveActiveReference(p);
    host.lruAddTail(p, m, L_INACTIVE_FILE);
    if (list & 1) host.scheduleAccess(p, host.regionOf(p));
    m.stat('pgrotated');
  }
}
