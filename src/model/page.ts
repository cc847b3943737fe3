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

/** Page flags. */
export const F_REFERENCED = 1;
export const F_WORKINGSET = 2;
export const F_DIRTY = 4;
/** The page was touched by the access that faulted it in (a young PTE). */
export const F_YOUNG = 8;
