/**
 * The kernel constants and costs of one run, read from the parameters once so the hot paths of the
 * simulator and the reclaim engine read plain fields.
 */
import { noSleepJiffies, type DelayConstants } from './formulas.ts';
import { bool, num, str, type Params } from './params.ts';
import type { HighPenalty } from './profiles.ts';

/** Kernel constants and costs resolved from parameters once, for the hot paths. */
export interface Consts extends DelayConstants {
  swapClusterMax: number;
  maxRetries: number;
  defPriority: number;
  noSleep: number;
  swappiness: number;
  psiFreqUs: number;
  exps: [number, number, number];
  highSync: boolean;
  highHandlerOnce: boolean;
  highPenalty: HighPenalty;
  swapHigh: boolean;
  zswapCharged: boolean;
  costCurrent: boolean;
  proactiveVmpressure: boolean;
  recursiveProt: boolean;
  /** shrink_node_memcgs() walks partially with the shared iterator cookie (6.11+). */
  memcgWalkPartial: boolean;
  vmpWindow: number;
  vmpMedium: number;
  dyingBail: boolean;
  reclaimDyingMemcg: boolean;
  tCompress: number;
  tDecompress: number;
  ratio: number;
  ratioSpread: number;
  rejectBytes: number;
  tScan: number;
  tDrop: number;
  tCall: number;
  tMemcg: number;
  tRefaultIo: number;
  tSwapoutIo: number;
  tMinor: number;
  zswap: boolean;
  writeback: boolean;
  asyncZswap: boolean;
  compressorCpus: number;
}

export function constsFrom(p: Params): Consts {
  const hz = num(p, 'kernel.HZ');
  return {
    hz,
    batch: num(p, 'kernel.MEMCG_CHARGE_BATCH'),
    precisionShift: num(p, 'kernel.MEMCG_DELAY_PRECISION_SHIFT'),
    scalingShift: num(p, 'kernel.MEMCG_DELAY_SCALING_SHIFT'),
    maxDelayJiffies: num(p, 'kernel.MEMCG_MAX_HIGH_DELAY_JIFFIES'),
    swapClusterMax: num(p, 'kernel.SWAP_CLUSTER_MAX'),
    maxRetries: num(p, 'kernel.MAX_RECLAIM_RETRIES'),
    defPriority: num(p, 'kernel.DEF_PRIORITY'),
    noSleep: noSleepJiffies(hz),
    swappiness: num(p, 'kernel.swappiness'),
    psiFreqUs: num(p, 'kernel.PSI_FREQ_MS') * 1000,
    exps: [num(p, 'kernel.EXP_10s'), num(p, 'kernel.EXP_60s'), num(p, 'kernel.EXP_300s')],
    highSync: bool(p, 'kernel.highSync'),
    highHandlerOnce: str(p, 'kernel.highHandler') === 'once',
    highPenalty: str(p, 'kernel.highPenalty') as HighPenalty,
    swapHigh: bool(p, 'kernel.swapHigh'),
    zswapCharged: bool(p, 'kernel.zswapCharged'),
    costCurrent: str(p, 'kernel.costModel') === 'current',
    proactiveVmpressure: bool(p, 'kernel.proactiveVmpressure'),
    recursiveProt: bool(p, 'kernel.recursiveProt'),
    memcgWalkPartial: str(p, 'kernel.memcgWalk') === 'partial',
    vmpWindow: num(p, 'kernel.vmpressureWindow'),
    vmpMedium: num(p, 'kernel.vmpressureMedium'),
    dyingBail: bool(p, 'kernel.dyingBail'),
    reclaimDyingMemcg: bool(p, 'kernel.reclaimDyingMemcg'),
    tCompress: num(p, 'cost.t_compress'),
    tDecompress: num(p, 'cost.t_decompress'),
    ratio: num(p, 'cost.ratio'),
    ratioSpread: num(p, 'cost.ratioSpread'),
    rejectBytes: num(p, 'cost.zswapRejectBytes'),
    tScan: num(p, 'cost.t_scan'),
    tDrop: num(p, 'cost.t_drop'),
    tCall: num(p, 'cost.t_call'),
    tMemcg: num(p, 'cost.t_memcg'),
    tRefaultIo: num(p, 'cost.t_refault_io'),
    tSwapoutIo: num(p, 'cost.t_swapout_io'),
    tMinor: num(p, 'cost.t_minor_fault'),
    zswap: bool(p, 'swap.zswap'),
    writeback: bool(p, 'swap.writeback'),
    asyncZswap: bool(p, 'whatif.asyncZswap'),
    compressorCpus: num(p, 'whatif.compressorCpus'),
  };
}
