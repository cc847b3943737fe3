/**
 * What one slot of the simulator's page store can hold (reclaim-model.md A2): its state and its
 * flags. Constants only, so the simulator, the reclaim engine and the control files share them
 * without importing one another.
 */

/** Page states (A2 "where"). */
export const P_FREE = 0;
export const P_LRU = 1;
export const P_UNEVICTABLE = 2;
export const P_ZSWAP = 3;
export const P_SWAP = 4;
export const P_EVICTED = 5;
export const P_ZSWAP_PENDING = 6;
export const P_SWAP_WB = 7;
export const P_FILE_WB = 8;

/** Page flags (aging.ts has the rules that read and set them). */
/** PG_referenced: set by folio_mark_accessed() (unmapped page cache) or by reclaim finding young PTEs. */
export const F_REFERENCED = 1;
/** PG_workingset: the page was deactivated from the active list (or restored on refault). */
export const F_WORKINGSET = 2;
export const F_DIRTY = 4;
/** A mapped page's PTE is young from the fault that brought it in (not yet seen by reclaim). */
export const F_YOUNG = 8;
/** PG_writeback: the flusher submitted the page; it stays on its LRU list until the I/O ends. */
export const F_WRITEBACK = 16;
/**
 * PG_reclaim: reclaim found the page dirty or under writeback and wants it freed as soon as it is
 * clean (folio_end_writeback() rotates it to the inactive tail).
 */
export const F_RECLAIM = 32;
