/**
 * Page aging of the classic (non-MGLRU) LRU, as the kernel's two-reference rule (docs/model.md,
 * "Page aging"). Which evidence of use a page carries depends on how it is reached:
 *
 * - a **mapped** page (all anon; file pages of an mmap) is used through page tables: an access sets
 *   the young bit of its PTE, and only reclaim looks at it (folio_referenced(), mm/rmap.c), clearing
 *   it as it goes. The fault that instantiates the page leaves its PTE young;
 * - an **unmapped** page-cache page (read() and write()) has no PTE: each access calls
 *   folio_mark_accessed() (mm/swap.c), which sets PG_referenced on the first access and activates an
 *   inactive page on the second, at the time of that access.
 *
 * Reclaim's verdict on an inactive page is folio_check_references() (mm/vmscan.c), `checkReferences`
 * here. This module holds the rules and the per-region queue of pending accesses; the page store
 * and its flags are the simulator's (sim.ts).
 */
import { F_REFERENCED } from './page.ts';

/** folio_check_references() verdicts. */
export const REF_RECLAIM = 0;
/** Reclaim, but a dirty page is not written for it (it was referenced). */
export const REF_RECLAIM_CLEAN = 1;
/** Back to the head of the inactive list. */
export const REF_KEEP = 2;
/** To the active list. */
export const REF_ACTIVATE = 3;
export type RefVerdict =
  typeof REF_RECLAIM | typeof REF_RECLAIM_CLEAN | typeof REF_KEEP | typeof REF_ACTIVATE;

/** What checkReferences needs of the simulator. */
export interface AgingHost {
  readonly pgFlags: Uint8Array;
  /**
   * folio_referenced(): how many of page p's PTEs were young since reclaim last looked (0, 1, or 2
   * meaning "2 or more"), clearing them. Always 0 for a page that is not mapped.
   */
  referencedPtes(p: number): number;
}

/**
 * folio_check_references() for page p taken from the tail of an inactive list (`file`: the file
 * LRU; `exec`: mapped by a VM_EXEC mapping). PG_referenced is tested and cleared; young PTEs are
 * consumed. A page found young is marked referenced and
 * - activated if it was already referenced (young on an earlier scan, or accessed through
 *   folio_mark_accessed) or is mapped young by more than one process,
 * - activated if it is an executable file page,
 * - otherwise kept on the inactive list for another trip;
 * a page not found young is reclaimed, as "clean" if it was referenced and is file-backed.
 * (VM_LOCKED is not consulted: mlocked pages never reach the model's LRU.)
 */
export function checkReferences(host: AgingHost, p: number, file: boolean, exec: boolean): RefVerdict {
  const ptes = host.referencedPtes(p);
  const flags = host.pgFlags[p] ?? 0;
  const referenced = (flags & F_REFERENCED) !== 0;
  if (ptes > 0) {
    host.pgFlags[p] = flags | F_REFERENCED;
    if (referenced || ptes > 1) return REF_ACTIVATE;
    if (exec && file) return REF_ACTIVATE;
    return REF_KEEP;
  }
  host.pgFlags[p] = flags & ~F_REFERENCED;
  if (referenced && file) return REF_RECLAIM_CLEAN;
  return REF_RECLAIM;
}

/**
 * A min-heap of (access mass, page): the next access of each unmapped page that an access would
 * move (an inactive page: the access sets PG_referenced or activates it). A region's mass is the
 * cumulative expected accesses per page; an entry is due when the region's mass reaches it. Stale
 * entries (the page moved or was rescheduled) are dropped when popped by the caller's check.
 */
export class AccessQueue {
  private mass = new Float64Array(64);
  private page = new Int32Array(64);
  len = 0;

  push(mass: number, page: number): void {
    if (this.len === this.mass.length) {
      const m = new Float64Array(this.len * 2);
      m.set(this.mass);
      this.mass = m;
      const pg = new Int32Array(this.len * 2);
      pg.set(this.page);
      this.page = pg;
    }
    let i = this.len++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pm = this.mass[parent] ?? 0;
      if (pm <= mass) break;
      this.mass[i] = pm;
      this.page[i] = this.page[parent] ?? 0;
      i = parent;
    }
    this.mass[i] = mass;
    this.page[i] = page;
  }

  /** The smallest mass queued (Infinity when empty). */
  peekMass(): number {
    return this.len > 0 ? (this.mass[0] ?? Infinity) : Infinity;
  }

  peekPage(): number {
    return this.page[0] ?? -1;
  }

  pop(): void {
    const n = --this.len;
    if (n <= 0) {
      this.len = 0;
      return;
    }
    const m = this.mass[n] ?? 0;
    const pg = this.page[n] ?? 0;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (this.mass[c + 1] ?? 0) < (this.mass[c] ?? 0)) c++;
      const cm = this.mass[c] ?? 0;
      if (cm >= m) break;
      this.mass[i] = cm;
      this.page[i] = this.page[c] ?? 0;
      i = c;
    }
    this.mass[i] = m;
    this.page[i] = pg;
  }
}
