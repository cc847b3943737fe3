/**
 * Kernel profiles (reclaim-model.md A1, A3): the behaviour that differs between kernel versions.
 * Every field can still be overridden one by one with --set kernel.NAME=value.
 */

/** How memory.reclaim splits a request into inner try_to_free_mem_cgroup_pages() calls. */
export type BatchPolicy = 'remainder' | 'cap32' | 'quarter';
/** What a write to memory.high does (E3). */
export type HighWriteOrder = 'limit-first' | 'reclaim-first' | 'limit-then-once';
/** How the return-to-user high handler loops (E2). */
export type HighHandler = 'retry-loop' | 'once';
/** Which call sites feed the anon/file cost history (A5). */
export type CostModel = 'v5_19' | 'current';

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

export const PROFILES: Record<ProfileId, KernelProfile> = {
  v5_19: {
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
  },
  v6_6: {
    id: 'v6_6',
    title: 'Linux 6.6 era (32-page inner batches, 0388536ac291)',
    batch: 64,
    memoryReclaim: true,
    batchPolicy: 'cap32',
    swappinessKey: false,
    nonblock: false,
    dyingBail: false,
    highSync: true,
    highWrite: 'limit-first',
    highHandler: 'retry-loop',
    zswapCharged: true,
    costModel: 'current',
    proactiveVmpressure: false,
    note: 'memory.reclaim asks for at most 32 pages per inner call; 64-page charge batch since 6.1 [L].',
  },
  current: {
    id: 'current',
    title: 'Current mainline (quarter-of-remainder batches, swappiness=, O_NONBLOCK)',
    batch: 64,
    memoryReclaim: true,
    batchPolicy: 'quarter',
    swappinessKey: true,
    nonblock: true,
    dyingBail: true,
    highSync: true,
    highWrite: 'limit-first',
    highHandler: 'retry-loop',
    zswapCharged: true,
    costModel: 'current',
    proactiveVmpressure: false,
    note: 'Inner request is a quarter of what remains (287d5fedb377); swappiness=0..200|max; O_NONBLOCK [L][D].',
  },
  legacy_5_8_to_5_10: {
    id: 'legacy_5_8_to_5_10',
    title: 'Linux 5.8–5.10 (writer reclaims before applying memory.high, 536d3bf261a2)',
    batch: 32,
    memoryReclaim: false,
    batchPolicy: 'remainder',
    swappinessKey: false,
    nonblock: false,
    dyingBail: false,
    highSync: false,
    highWrite: 'reclaim-first',
    highHandler: 'retry-loop',
    zswapCharged: false,
    costModel: 'v5_19',
    proactiveVmpressure: true,
    note: 'The memory.high writer reclaims until usage <= H and only then applies H; reverted in 2021 [L].',
  },
  pre_5_8_throttle: {
    id: 'pre_5_8_throttle',
    title: 'Before 5.8 (reclaim once, then sleep)',
    batch: 32,
    memoryReclaim: false,
    batchPolicy: 'remainder',
    swappinessKey: false,
    nonblock: false,
    dyingBail: false,
    highSync: false,
    highWrite: 'limit-then-once',
    highHandler: 'once',
    zswapCharged: false,
    costModel: 'v5_19',
    proactiveVmpressure: true,
    note: 'The high handler reclaims once and then sleeps (before b3ff92916af3); the writer reclaims once [L].',
  },
};

/** Look a profile up by id; callers validate the id first. */
export function profile(id: string): KernelProfile {
  const p = (PROFILES as Record<string, KernelProfile | undefined>)[id];
  if (!p) throw new Error(`unknown kernel profile ${JSON.stringify(id)}; valid: ${PROFILE_IDS.join(', ')}`);
  return p;
}
