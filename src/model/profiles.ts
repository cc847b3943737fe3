/**
 * Kernel profiles (reclaim-model.md A1, A3): the behaviour that differs between kernel versions.
 * Every field can still be overridden one by one with --set kernel.NAME=value.
 */

/** How memory.reclaim splits a request into inner try_to_free_mem_cgroup_pages() calls. */
export const BATCH_POLICIES = ['remainder', 'cap32', 'quarter'] as const;
export type BatchPolicy = (typeof BATCH_POLICIES)[number];
/** What a write to memory.high does (E3). */
export const HIGH_WRITE_ORDERS = ['limit-first', 'reclaim-first', 'limit-then-once'] as const;
export type HighWriteOrder = (typeof HIGH_WRITE_ORDERS)[number];
/** How the return-to-user high handler loops (E2). */
export const HIGH_HANDLERS = ['retry-loop', 'once'] as const;
export type HighHandler = (typeof HIGH_HANDLERS)[number];
/** Which call sites feed the anon/file cost history (A5). */
export const COST_MODELS = ['v5_19', 'current'] as const;
export type CostModel = (typeof COST_MODELS)[number];

/** Which cgroups the throttle penalty of the high handler looks at (E2 step 2). */
export const HIGH_PENALTIES = ['own', 'ancestors-wrap', 'ancestors'] as const;
export type HighPenalty = (typeof HIGH_PENALTIES)[number];

/**
 * How shrink_node_memcgs() walks the target's subtree (mm/vmscan.c): a full walk on every priority
 * pass (1ba6fc9af35b, 5.5, up to 6.10), or the partial walk of 6be5e186fd65 ("mm: vmscan: restore
 * incremental cgroup iteration", 6.11): direct and limit reclaimers share an iterator cookie in the
 * target cgroup, resume at the cgroup after the last one visited, and bail once nr_to_reclaim is met.
 */
export const MEMCG_WALKS = ['full', 'partial'] as const;
export type MemcgWalk = (typeof MEMCG_WALKS)[number];

export interface KernelProfile {
  id: ProfileId;
  title: string;
  /** MEMCG_CHARGE_BATCH, pages. */
  batch: number;
  /** Does memory.reclaim exist (5.19+)? */
  memoryReclaim: boolean;
  batchPolicy: BatchPolicy;
  /** memory.reclaim accepts "swappiness=" (6.11, 68cd9050d871). */
  swappinessKey: boolean;
  /** O_NONBLOCK writes to memory.high/max skip synchronous reclaim (current). */
  nonblock: boolean;
  /** The high handler checks task_is_dying() on every pass and returns (6.8). */
  dyingBail: boolean;
  /** memory.reclaim on a dying memcg returns -EAGAIN at once (posted 2026). */
  reclaimDyingMemcg: boolean;
  /** Charges that leave more than a batch over high run the handler synchronously (5.18, c9afe31ec443). */
  highSync: boolean;
  highWrite: HighWriteOrder;
  highHandler: HighHandler;
  /**
   * The penalty's overage: the task's own cgroup only (5.4, 5.5), the largest among it and its
   * ancestors with the unsigned wrap-around of a level under its limit (5.6), or without it (5.7+).
   */
  highPenalty: HighPenalty;
  /** memory.swap.high exists: swap over it flags the task and adds a penalty term (5.8, 4b82ab4f2890). */
  swapHigh: boolean;
  /** zswap's compressed pool counts in memory.current (f4840ccfca25, 5.19). */
  zswapCharged: boolean;
  costModel: CostModel;
  /**
   * The memcg walk of shrink_node_memcgs(). Every profile keeps 'full' so the catalog's outcomes
   * do not move; 6.11+ kernels walk partially (set kernel.memcgWalk=partial, docs/model.md).
   */
  memcgWalk: MemcgWalk;
  /** Proactive reclaim still feeds vmpressure (socket pressure); 6.0 skips it (73b73bac90d9). */
  proactiveVmpressure: boolean;
  /** Short note on what the profile stands for and its sources. */
  note: string;
}

/** Oldest first. */
export const PROFILE_IDS = [
  'v5_4_to_5_5',
  'v5_6',
  'v5_7',
  'legacy_5_8_to_5_10',
  'v5_11_to_5_17',
  'v5_18',
  'v5_19',
  'v6_0',
  'v6_6',
  'current',
] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/**
 * Linux 5.4 and 5.5 (mainline releases; the 5.4.y and 5.5.y stable trees later took the 5.6 and 5.7
 * fixes): the first penalty sleep, 0e4b01df8659 (5.4). One reclaim pass, then a sleep computed from
 * the task's own cgroup alone; the memory.high writer reclaims once and drains no stock.
 */
const V5_4: KernelProfile = {
  id: 'v5_4_to_5_5',
  title: 'Linux 5.4–5.5 (penalty from the own cgroup only, 0e4b01df8659)',
  batch: 32,
  memoryReclaim: false,
  batchPolicy: 'remainder',
  swappinessKey: false,
  nonblock: false,
  dyingBail: false,
  reclaimDyingMemcg: false,
  highSync: false,
  highWrite: 'limit-then-once',
  highHandler: 'once',
  highPenalty: 'own',
  swapHigh: false,
  zswapCharged: false,
  costModel: 'v5_19',
  memcgWalk: 'full',
  proactiveVmpressure: true,
  note: 'Reclaim once, then sleep a penalty from the own cgroup; a limit on an ancestor never throttles [L].',
};

const V5_6: KernelProfile = {
  ...V5_4,
  id: 'v5_6',
  title: 'Linux 5.6 (ancestral penalty with unsigned wrap-around, e26733e0d0ec)',
  highPenalty: 'ancestors-wrap',
  note: 'The penalty takes the largest overage up the tree, but a level under its limit wraps around [L].',
};

const V5_7: KernelProfile = {
  ...V5_6,
  id: 'v5_7',
  title: 'Linux 5.7 (ancestral penalty, wrap-around fixed by 9b8b17541f13)',
  highPenalty: 'ancestors',
  note: 'Largest overage among the cgroup and its ancestors; still one reclaim pass, then sleep [L].',
};

/** 5.8–5.10: the retry loop, the swap.high term, and the writer reclaims before applying memory.high. */
const LEGACY_5_8_TO_5_10: KernelProfile = {
  ...V5_7,
  id: 'legacy_5_8_to_5_10',
  title: 'Linux 5.8–5.10 (writer reclaims before applying memory.high, 536d3bf261a2)',
  highWrite: 'reclaim-first',
  highHandler: 'retry-loop',
  swapHigh: true,
  note: 'Handler loops while reclaim progresses (b3ff92916af3); swap.high (4b82ab4f2890); writer reclaims first [L].',
};

/** 5.11–5.17: the writer applies the limit first again (e82553c10b08, the revert of 536d3bf261a2). */
const V5_11: KernelProfile = {
  ...LEGACY_5_8_TO_5_10,
  id: 'v5_11_to_5_17',
  title: 'Linux 5.11–5.17 (limit first again, e82553c10b08)',
  highWrite: 'limit-first',
  note: 'The memory.high writer applies H, then reclaims in a loop; no synchronous high handler yet [L].',
};

/** 5.18: large overcharges run the high handler inside the charge (c9afe31ec443). */
const V5_18: KernelProfile = {
  ...V5_11,
  id: 'v5_18',
  title: 'Linux 5.18 (synchronous memory.high for large overcharges, c9afe31ec443)',
  highSync: true,
  note: 'More than a batch over high inside one syscall runs the handler there [L].',
};

/** Linux 5.19, where memory.reclaim was merged. */
const V5_19: KernelProfile = {
  ...V5_18,
  id: 'v5_19',
  title: 'Linux 5.19 (memory.reclaim merged, 94968384dde1)',
  memoryReclaim: true,
  zswapCharged: true,
  note: 'memory.reclaim asks for the whole remainder per inner call; 32-page charge batch [K][L].',
};

/** 6.0: proactive reclaim no longer feeds vmpressure (73b73bac90d9). */
const V6_0: KernelProfile = {
  ...V5_19,
  id: 'v6_0',
  title: 'Linux 6.0 (proactive reclaim leaves vmpressure alone, 73b73bac90d9)',
  proactiveVmpressure: false,
  note: 'memory.reclaim as in 5.19 (no keys, whole remainder); it no longer signals socket pressure [L].',
};

/** 6.6: 32-page inner calls, a 64-page charge batch (6.1), the current cost model. */
const V6_6: KernelProfile = {
  ...V6_0,
  id: 'v6_6',
  title: 'Linux 6.6 era (32-page inner batches, 0388536ac291)',
  batch: 64,
  batchPolicy: 'cap32',
  costModel: 'current',
  note: 'memory.reclaim asks for at most 32 pages per inner call; 64-page charge batch since 6.1 [L].',
};

export const PROFILES: Record<ProfileId, KernelProfile> = {
  v5_4_to_5_5: V5_4,
  v5_6: V5_6,
  v5_7: V5_7,
  legacy_5_8_to_5_10: LEGACY_5_8_TO_5_10,
  v5_11_to_5_17: V5_11,
  v5_18: V5_18,
  v5_19: V5_19,
  v6_0: V6_0,
  v6_6: V6_6,
  current: {
    ...V6_6,
    id: 'current',
    title: 'Current mainline (quarter-of-remainder batches, swappiness=, O_NONBLOCK)',
    batchPolicy: 'quarter',
    swappinessKey: true,
    nonblock: true,
    dyingBail: true,
    reclaimDyingMemcg: true,
    note: 'Inner request is a quarter of what remains (287d5fedb377); swappiness=0..200|max; O_NONBLOCK; dying tasks bail (6.8) [L][D].',
  },
};

/** Look a profile up by id; callers validate the id first. */
export function profile(id: string): KernelProfile {
  const p = (PROFILES as Record<string, KernelProfile | undefined>)[id];
  if (!p) throw new Error(`unknown kernel profile ${JSON.stringify(id)}; valid: ${PROFILE_IDS.join(', ')}`);
  return p;
}
