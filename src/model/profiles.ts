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

export interface KernelProfile {
  id: ProfileId;
  title: string;
  /** MEMCG_CHARGE_BATCH, pages. */
  batch: number;
  /** Does memory.reclaim exist (5.19+)? */
  memoryReclaim: boolean;
  batchPolicy: BatchPolicy;
  /** memory.reclaim accepts "swappiness=" (current). */
  swappinessKey: boolean;
  /** O_NONBLOCK writes to memory.high/max skip synchronous reclaim (current). */
  nonblock: boolean;
  /** The high handler returns at once for a dying task; memory.reclaim on a dying memcg is -EAGAIN. */
  dyingBail: boolean;
  /** Charges that leave more than a batch over high run the handler synchronously (E1 step 2). */
  highSync: boolean;
  highWrite: HighWriteOrder;
  highHandler: HighHandler;
  /** zswap's compressed pool counts in memory.current (f4840ccfca25, 5.19). */
  zswapCharged: boolean;
  costModel: CostModel;
  /** Proactive reclaim still feeds vmpressure (socket pressure); v6.0+ skips it. */
  proactiveVmpressure: boolean;
  /** Short note on what the profile stands for and its sources. */
  note: string;
}

export const PROFILE_IDS = ['v5_19', 'v6_6', 'current', 'legacy_5_8_to_5_10', 'pre_5_8_throttle'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** Linux 5.19, where memory.reclaim was merged: the base the later and earlier profiles differ from. */
const V5_19: KernelProfile = {
  id: 'v5_19',
  title: 'Linux 5.19 (memory.reclaim merged, 94968384dde1)',
  batch: 32,
  memoryReclaim: true,
  batchPolicy: 'remainder',
  swappinessKey: false,
  nonblock: false,
  dyingBail: false,
  highSync: true,
  highWrite: 'limit-first',
  highHandler: 'retry-loop',
  zswapCharged: true,
  costModel: 'v5_19',
  proactiveVmpressure: true,
  note: 'memory.reclaim asks for the whole remainder per inner call; 32-page charge batch [K][L].',
};

/** 6.6: 32-page inner calls, a 64-page charge batch, the current cost model, no proactive vmpressure. */
const V6_6: KernelProfile = {
  ...V5_19,
  id: 'v6_6',
  title: 'Linux 6.6 era (32-page inner batches, 0388536ac291)',
  batch: 64,
  batchPolicy: 'cap32',
  costModel: 'current',
  proactiveVmpressure: false,
  note: 'memory.reclaim asks for at most 32 pages per inner call; 64-page charge batch since 6.1 [L].',
};

/** 5.8–5.10: no memory.reclaim, no synchronous high handler, the writer reclaims first, zswap uncharged. */
const LEGACY_5_8_TO_5_10: KernelProfile = {
  ...V5_19,
  id: 'legacy_5_8_to_5_10',
  title: 'Linux 5.8–5.10 (writer reclaims before applying memory.high, 536d3bf261a2)',
  memoryReclaim: false,
  highSync: false,
  highWrite: 'reclaim-first',
  zswapCharged: false,
  note: 'The memory.high writer reclaims until usage <= H and only then applies H; reverted in 2021 [L].',
};

export const PROFILES: Record<ProfileId, KernelProfile> = {
  v5_19: V5_19,
  v6_6: V6_6,
  current: {
    ...V6_6,
    id: 'current',
    title: 'Current mainline (quarter-of-remainder batches, swappiness=, O_NONBLOCK)',
    batchPolicy: 'quarter',
    swappinessKey: true,
    nonblock: true,
    dyingBail: true,
    note: 'Inner request is a quarter of what remains (287d5fedb377); swappiness=0..200|max; O_NONBLOCK [L][D].',
  },
  legacy_5_8_to_5_10: LEGACY_5_8_TO_5_10,
  pre_5_8_throttle: {
    ...LEGACY_5_8_TO_5_10,
    id: 'pre_5_8_throttle',
    title: 'Before 5.8 (reclaim once, then sleep)',
    highWrite: 'limit-then-once',
    highHandler: 'once',
    note: 'The high handler reclaims once and then sleeps (before b3ff92916af3); the writer reclaims once [L].',
  },
};

/** Look a profile up by id; callers validate the id first. */
export function profile(id: string): KernelProfile {
  const p = (PROFILES as Record<string, KernelProfile | undefined>)[id];
  if (!p) throw new Error(`unknown kernel profile ${JSON.stringify(id)}; valid: ${PROFILE_IDS.join(', ')}`);
  return p;
}
