/**
 * Every parameter of the model in one registry: workload, agent, cost, swap and kernel constants,
 * each with its unit, default, allowed range and source (reclaim-model.md A3, A9). Scenarios and
 * `--set key=value` work on these keys; docs/model.md lists them.
 */
import {
  BATCH_POLICIES,
  COST_MODELS,
  HIGH_HANDLERS,
  HIGH_PENALTIES,
  MEMCG_WALKS,
  HIGH_WRITE_ORDERS,
  PROFILE_IDS,
  profile,
  type KernelProfile,
} from './profiles.ts';
import { formatBytes, parseBytes } from './units.ts';

/** A resolved parameter value. Limits use Infinity for "max". */
export type ParamValue = number | string | boolean;

/**
 * How a value is parsed and checked:
 * bytes (a size, "512M"), limit (a size or "max"), int, float, bool (0/1/true/false), enum.
 */
export type ParamKind = 'bytes' | 'limit' | 'int' | 'float' | 'bool' | 'enum';

export interface ParamSpec<K extends string = ParamKey> {
  key: K;
  kind: ParamKind;
  /** Unit shown in docs and errors: bytes, µs, s, ms, pages, jiffies, %, ratio, count. */
  unit: string;
  /**
   * Default value, or a function of the parameters resolved before this one (e.g. the profile). It
   * sees them by plain string keys: the key types are derived from this table, so the table's own
   * functions cannot use them.
   */
  def: ParamValue | ((p: Readonly<Record<string, ParamValue>>) => ParamValue);
  min?: number;
  max?: number;
  choices?: readonly string[];
  help: string;
  /** Where the default comes from, with the spec's confidence tag: [K] [D] [L] [P] [O] [R] [A]. */
  source: string;
}

export const COMPRESSORS = ['lzo', 'lzo-rle', 'lz4', 'zstd'] as const;
type Compressor = (typeof COMPRESSORS)[number];
/** Per-compressor defaults (A3): store cost, load cost (µs per page) and compression ratio. */
const COMPRESSOR_COSTS: Record<Compressor, { tc: number; td: number; ratio: number }> = {
  lzo: { tc: 2.0, td: 2.4, ratio: 2.7 },
  'lzo-rle': { tc: 2.0, td: 2.2, ratio: 2.7 },
  lz4: { tc: 1.5, td: 1.7, ratio: 2.6 },
  zstd: { tc: 40, td: 5.7, ratio: 3.4 },
};

export const AGENT_KINDS = [
  'none',
  'senpai',
  'oomd-tick',
  'poke-high',
  'poke-reclaim',
  'tmo',
  'backoff',
  'uswapd',
  'oneshot',
] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

export const ONESHOT_FILES = [
  'memory.high',
  'memory.max',
  'memory.reclaim',
  'memory.reclaim-noswap',
  'drop_caches',
] as const;

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** Largest size accepted anywhere: far above what the run budget allows, but it keeps sums finite. */
const MAX_BYTES = 64 * 1024 * GIB;

type Resolved = Readonly<Record<string, ParamValue>>;
const comp = (p: Resolved): Compressor => p['cost.compressor'] as Compressor;
const prof = (p: Resolved) => profile(String(p['kernel.profile']));

/** kernel.FIELD: a parameter whose default is that field of the kernel profile (A1). */
function fromProfile<const F extends keyof KernelProfile, const K extends 'bool' | 'enum'>(
  field: F,
  kind: K,
  help: string,
  source: string,
  choices?: readonly string[],
) {
  const key = `kernel.${field}` as const;
  return {
    key,
    kind,
    unit: '',
    def: (p: Resolved) => prof(p)[field],
    ...(choices ? { choices } : {}),
    help,
    source,
  };
}

/** The registry, in dependency order: a derived default may read only keys listed before it. */
const TABLE = [
  // --- simulation -----------------------------------------------------------------------------
  {
    key: 'sim.duration',
    kind: 'float',
    unit: 's',
    def: 360,
    min: 0.1,
    max: 86400,
    help: 'simulated time',
    source: '[A] scenario',
  },
  {
    key: 'sim.sampleMs',
    kind: 'float',
    unit: 'ms',
    def: 100,
    min: 1,
    max: 60000,
    help: 'time-series sampling interval (A10 asks for ≤ 100 ms)',
    source: '[A] A10',
  },
  {
    key: 'sim.quantumUs',
    kind: 'float',
    unit: 'µs',
    def: 1000,
    min: 10,
    max: 100000,
    help: 'longest slice a workload thread runs before the scheduler lets others in',
    source: '[A]',
  },
  {
    key: 'sim.cpus',
    kind: 'int',
    unit: 'count',
    def: 8,
    min: 1,
    max: 1024,
    help: 'CPUs (for per-CPU charge stocks and PSI aggregation)',
    source: '[A] common setup',
  },

  // --- kernel profile and constants -------------------------------------------------------------
  {
    key: 'kernel.profile',
    kind: 'enum',
    unit: '',
    def: 'current',
    choices: PROFILE_IDS,
    help: 'kernel version behaviour (A1)',
    source: 'A1',
  },
  {
    key: 'kernel.HZ',
    kind: 'int',
    unit: 'Hz',
    def: 1000,
    min: 100,
    max: 1000,
    help: 'timer frequency; sleeps are whole jiffies',
    source: '[K] default 1000',
  },
  {
    key: 'kernel.MEMCG_CHARGE_BATCH',
    kind: 'int',
    unit: 'pages',
    def: (p) => prof(p).batch,
    min: 1,
    max: 4096,
    help: 'per-CPU charge batch; nominal size of the high penalty',
    source: '[K] 32 (5.19); [L] 64 since 1813e51eece0',
  },
  {
    key: 'kernel.SWAP_CLUSTER_MAX',
    kind: 'int',
    unit: 'pages',
    def: 32,
    min: 1,
    max: 4096,
    help: 'smallest reclaim target; scan chunk',
    source: '[K]',
  },
  {
    key: 'kernel.MAX_RECLAIM_RETRIES',
    kind: 'int',
    unit: 'count',
    def: 16,
    min: 0,
    max: 1000,
    help: 'reclaim passes with no progress before giving up',
    source: '[K]',
  },
  {
    key: 'kernel.DEF_PRIORITY',
    kind: 'int',
    unit: '',
    def: 12,
    min: 0,
    max: 20,
    help: 'first scan priority; quota = list size >> priority',
    source: '[K]',
  },
  {
    key: 'kernel.MEMCG_MAX_HIGH_DELAY_JIFFIES',
    kind: 'int',
    unit: 'jiffies',
    def: (p) => 2 * Number(p['kernel.HZ']),
    min: 0,
    max: 100000,
    help: 'cap on one throttle sleep (2·HZ)',
    source: '[K]',
  },
  {
    key: 'kernel.MEMCG_DELAY_PRECISION_SHIFT',
    kind: 'int',
    unit: 'bits',
    def: 20,
    min: 1,
    max: 30,
    help: 'fixed point of the overage ratio',
    source: '[K]',
  },
  {
    key: 'kernel.MEMCG_DELAY_SCALING_SHIFT',
    kind: 'int',
    unit: 'bits',
    def: 14,
    min: 0,
    max: 30,
    help: 'scales the squared overage down to jiffies',
    source: '[K]',
  },
  {
    key: 'kernel.swappiness',
    kind: 'int',
    unit: '',
    def: 60,
    min: 0,
    max: 200,
    help: 'vm.swappiness (cgroup v2 uses the global value)',
    source: '[K][D]',
  },
  {
    key: 'kernel.PSI_FREQ_MS',
    kind: 'int',
    unit: 'ms',
    def: 2000,
    min: 100,
    max: 60000,
    help: 'PSI averaging period',
    source: '[K]',
  },
  {
    key: 'kernel.EXP_10s',
    kind: 'int',
    unit: '/2048',
    def: 1677,
    min: 1,
    max: 2047,
    help: 'avg10 decay factor',
    source: '[K]',
  },
  {
    key: 'kernel.EXP_60s',
    kind: 'int',
    unit: '/2048',
    def: 1981,
    min: 1,
    max: 2047,
    help: 'avg60 decay factor',
    source: '[K]',
  },
  {
    key: 'kernel.EXP_300s',
    kind: 'int',
    unit: '/2048',
    def: 2034,
    min: 1,
    max: 2047,
    help: 'avg300 decay factor',
    source: '[K]',
  },
  {
    key: 'kernel.vmpressureWindow',
    kind: 'int',
    unit: 'pages',
    def: 512,
    min: 1,
    max: 1 << 20,
    help: 'vmpressure window (scanned pages)',
    source: '[O] vmpressure.c',
  },
  {
    key: 'kernel.vmpressureMedium',
    kind: 'float',
    unit: '%',
    def: 60,
    min: 0,
    max: 100,
    help: 'vmpressure medium level (socket pressure)',
    source: '[O] vmpressure.c',
  },
  fromProfile(
    'batchPolicy',
    'enum',
    'memory.reclaim inner batch: whole remainder, ≤ 32 pages, or remainder/4',
    '[L] 0388536ac291, 287d5fedb377',
    BATCH_POLICIES,
  ),
  fromProfile('memoryReclaim', 'bool', 'memory.reclaim exists (5.19+)', '[L] 94968384dde1'),
  fromProfile('swappinessKey', 'bool', 'memory.reclaim accepts swappiness=', '[D][L]'),
  fromProfile('nonblock', 'bool', 'O_NONBLOCK writes to memory.high/max skip reclaim', '[D]'),
  fromProfile(
    'dyingBail',
    'bool',
    'the high handler returns on every pass once the task is dying (task_is_dying)',
    '[L] 6.8-rc3 "don\'t throttle dying tasks on memory.high"; [K] v6.18',
  ),
  fromProfile(
    'reclaimDyingMemcg',
    'bool',
    'memory.reclaim on a dying memcg returns -EAGAIN at once',
    '[L] 2026 posted',
  ),
  fromProfile(
    'highSync',
    'bool',
    'run the high handler inside the charge when more than a batch is over',
    '[K]',
  ),
  fromProfile(
    'highWrite',
    'enum',
    'memory.high write order (E3)',
    '[L] 536d3bf261a2 and its revert',
    HIGH_WRITE_ORDERS,
  ),
  fromProfile(
    'highHandler',
    'enum',
    'high handler: loop while reclaim progresses, or reclaim once then sleep',
    '[L] b3ff92916af3',
    HIGH_HANDLERS,
  ),
  fromProfile(
    'highPenalty',
    'enum',
    'whose overage sets the throttle penalty: own cgroup (5.4), ancestors with wrap-around (5.6), ancestors (5.7+)',
    '[L] 0e4b01df8659, e26733e0d0ec, 9b8b17541f13',
    HIGH_PENALTIES,
  ),
  fromProfile(
    'swapHigh',
    'bool',
    'memory.swap.high exists: swap over it flags the task and adds a penalty term (5.8+)',
    '[L] 4b82ab4f2890',
  ),
  fromProfile('zswapCharged', 'bool', 'the zswap pool counts in memory.current', '[L] f4840ccfca25'),
  fromProfile(
    'costModel',
    'enum',
    'which events feed anon_cost/file_cost',
    '[K] current; [R] 5.19 call sites',
    COST_MODELS,
  ),
  fromProfile(
    'memcgWalk',
    'enum',
    'memcg walk of shrink_node_memcgs(): every cgroup on every pass, or the shared-cookie partial walk that stops at nr_to_reclaim (6.11+)',
    '[K] 6be5e186fd65 (v6.11), 1ba6fc9af35b (v5.5)',
    MEMCG_WALKS,
  ),
  fromProfile('proactiveVmpressure', 'bool', 'proactive reclaim feeds vmpressure (false since v6.0)', '[L]'),
  {
    key: 'kernel.recursiveProt',
    kind: 'bool',
    unit: '',
    def: true,
    help: 'memory_recursiveprot mount option',
    source: '[D]',
  },

  // --- costs ----------------------------------------------------------------------------------
  {
    key: 'cost.compressor',
    kind: 'enum',
    unit: '',
    def: 'lzo',
    choices: COMPRESSORS,
    help: 'zswap compressor; sets the three defaults below',
    source: 'A3',
  },
  {
    key: 'cost.t_compress',
    kind: 'float',
    unit: 'µs/page',
    def: (p) => COMPRESSOR_COSTS[comp(p)].tc,
    min: 0,
    max: 10000,
    help: 'zswap store (compress) cost, in the reclaiming context',
    source: '[L] seed "couple usec" (lzo); [O] intel zstd 40; lz4 1.5 [A]',
  },
  {
    key: 'cost.t_decompress',
    kind: 'float',
    unit: 'µs/page',
    def: (p) => COMPRESSOR_COSTS[comp(p)].td,
    min: 0,
    max: 10000,
    help: 'zswap load cost, on the faulting task',
    source: '[O] zram fio table',
  },
  {
    key: 'cost.ratio',
    kind: 'float',
    unit: 'ratio',
    def: (p) => COMPRESSOR_COSTS[comp(p)].ratio,
    min: 1,
    max: 20,
    help: 'mean compression ratio',
    source: '[O] zram fio; linuxreviews; intel',
  },
  {
    key: 'cost.ratioSpread',
    kind: 'float',
    unit: 'ratio',
    def: 0.5,
    min: 0,
    max: 0.95,
    help: 'per-page compressed size varies uniformly by ± this fraction of the mean',
    source: '[A]',
  },
  {
    key: 'cost.zswapRejectBytes',
    kind: 'int',
    unit: 'bytes',
    def: 4096,
    min: 1,
    max: 4096,
    help: 'zswap rejects pages that compress to this size or more (Google: 2990)',
    source: '[K] PAGE_SIZE; [P] 2990',
  },
  {
    key: 'cost.t_scan',
    kind: 'float',
    unit: 'µs/page',
    def: 0.5,
    min: 0,
    max: 1000,
    help: 'isolate, rmap and LRU move, per scanned page',
    source: '[A] calibrated against V8b',
  },
  {
    key: 'cost.t_drop',
    kind: 'float',
    unit: 'µs/page',
    def: 0.5,
    min: 0,
    max: 1000,
    help: 'dropping a clean file page',
    source: '[A]',
  },
  {
    key: 'cost.t_call',
    kind: 'float',
    unit: 'µs',
    def: 310,
    min: 0,
    max: 100000,
    help: 'fixed overhead of one try_to_free_mem_cgroup_pages() call',
    source:
      '[A] calibrated on V8b (287d5fedb377): the spec derives 180 µs assuming 32 pages per call; the model frees ~57',
  },
  {
    key: 'cost.t_memcg',
    kind: 'float',
    unit: 'µs',
    def: 2,
    min: 0,
    max: 100000,
    help: 'per cgroup visited per priority pass (iteration, shrink_slab)',
    source: '[A]',
  },
  {
    key: 'cost.t_refault_io',
    kind: 'float',
    unit: 'µs',
    def: 100,
    min: 0,
    max: 1e6,
    help: 'file refault or disk swap-in (NVMe)',
    source: '[A]',
  },
  {
    key: 'cost.t_swapout_io',
    kind: 'float',
    unit: 'µs',
    def: 200,
    min: 0,
    max: 1e6,
    help: 'asynchronous disk swap-out or file writeback until the page can be freed',
    source: '[A]',
  },
  {
    key: 'cost.t_minor_fault',
    kind: 'float',
    unit: 'µs/page',
    def: 0.25,
    min: 0,
    max: 1000,
    help: 'minor fault plus charge of a fresh page',
    source: '[A]',
  },

  // --- swap -----------------------------------------------------------------------------------
  {
    key: 'swap.size',
    kind: 'bytes',
    unit: 'bytes',
    def: 64 * GIB,
    min: 0,
    max: MAX_BYTES,
    help: 'swap device size (swap slots, zswap entries included)',
    source: '[A]',
  },
  {
    key: 'swap.zswap',
    kind: 'bool',
    unit: '',
    def: true,
    help: 'zswap in front of the swap device',
    source: 'common setup',
  },
  {
    key: 'swap.writeback',
    kind: 'bool',
    unit: '',
    def: false,
    help: 'pages zswap rejects (or all, without zswap) may go to the disk',
    source: 'common setup: no disk swap',
  },

  // --- dirty page cache and writeback ---------------------------------------------------------
  {
    key: 'kernel.dirty_ratio',
    kind: 'int',
    unit: '%',
    def: 20,
    min: 1,
    max: 100,
    help: 'vm.dirty_ratio: a writer over this share of dirtyable memory (dirty + writeback) sleeps in balance_dirty_pages()',
    source: '[K] mm/page-writeback.c vm_dirty_ratio',
  },
  {
    key: 'kernel.dirty_background_ratio',
    kind: 'int',
    unit: '%',
    def: 10,
    min: 0,
    max: 100,
    help: 'vm.dirty_background_ratio: the flusher writes while dirty pages exceed this share',
    source: '[K] mm/page-writeback.c dirty_background_ratio',
  },
  {
    key: 'kernel.dirty_expire_centisecs',
    kind: 'int',
    unit: 'cs',
    def: 3000,
    min: 1,
    max: 360000,
    help: 'vm.dirty_expire_centisecs: periodic writeback writes pages dirty for longer than this',
    source: '[K] mm/page-writeback.c dirty_expire_interval',
  },
  {
    key: 'kernel.dirty_writeback_centisecs',
    kind: 'int',
    unit: 'cs',
    def: 500,
    min: 1,
    max: 360000,
    help: "vm.dirty_writeback_centisecs: period of the flusher's kupdate writeback",
    source: '[K] mm/page-writeback.c dirty_writeback_interval',
  },
  {
    key: 'cost.writeback_bw',
    kind: 'bytes',
    unit: 'bytes/s',
    def: 200 * MIB,
    min: 1 * MIB,
    max: 64 * GIB,
    help: 'write bandwidth of the block device the flusher writes dirty page cache to',
    source: '[A] a SATA SSD',
  },
  {
    key: 'sim.memory',
    kind: 'bytes',
    unit: 'bytes',
    def: 16 * GIB,
    min: 64 * MIB,
    max: MAX_BYTES,
    help: 'memory of the machine; only the global dirty limits use it (free memory + file pages)',
    source: '[A]',
  },

  // --- workload -------------------------------------------------------------------------------
  {
    key: 'workload.threads',
    kind: 'int',
    unit: 'count',
    def: 4,
    min: 0,
    max: 256,
    help: 'workload threads per cgroup',
    source: 'S1',
  },
  {
    key: 'workload.hot',
    kind: 'bytes',
    unit: 'bytes',
    def: 2 * GIB,
    min: 0,
    max: MAX_BYTES,
    help: 'anon hot set (uniform access)',
    source: 'common setup',
  },
  {
    key: 'workload.hotHz',
    kind: 'float',
    unit: '1/s',
    def: 1,
    min: 0,
    max: 1e6,
    help: 'accesses per hot page per second at full speed',
    source: '[A]',
  },
  {
    key: 'workload.cold',
    kind: 'bytes',
    unit: 'bytes',
    def: 2 * GIB,
    min: 0,
    max: MAX_BYTES,
    help: 'anon touched once at start',
    source: 'common setup',
  },
  {
    key: 'workload.coldAged',
    kind: 'bool',
    unit: '',
    def: false,
    help: 'cold anon starts already aged by reclaim (no young bit): a long-running job rather than a fresh one',
    source: '[A]',
  },
  {
    key: 'workload.file',
    kind: 'bytes',
    unit: 'bytes',
    def: 512 * MIB,
    min: 0,
    max: MAX_BYTES,
    help: 'page cache',
    source: 'common setup',
  },
  {
    key: 'workload.fileHz',
    kind: 'float',
    unit: '1/s',
    def: 0,
    min: 0,
    max: 1e6,
    help: 'accesses per page-cache page per second',
    source: '[A]',
  },
  {
    key: 'workload.fileDirty',
    kind: 'float',
    unit: 'ratio',
    def: 0,
    min: 0,
    max: 1,
    help: 'share of page cache that is dirty at start',
    source: '[A]',
  },
  {
    key: 'workload.mlocked',
    kind: 'bytes',
    unit: 'bytes',
    def: 0,
    min: 0,
    max: MAX_BYTES,
    help: 'mlocked (unevictable) anon',
    source: 'S4',
  },
  {
    key: 'workload.burst',
    kind: 'bytes',
    unit: 'bytes',
    def: 0,
    min: 0,
    max: MAX_BYTES,
    help: 'new anon allocated in a burst',
    source: 'S1: 1 GiB',
  },
  {
    key: 'workload.burstAt',
    kind: 'float',
    unit: 's',
    def: 300,
    min: 0,
    max: 86400,
    help: 'when the burst starts',
    source: 'S1',
  },
  {
    key: 'workload.burstSecs',
    kind: 'float',
    unit: 's',
    def: 2,
    min: 0.001,
    max: 86400,
    help: 'burst length at full speed',
    source: 'S1',
  },
  {
    key: 'workload.burstHz',
    kind: 'float',
    unit: '1/s',
    def: (p) => Number(p['workload.hotHz']),
    min: 0,
    max: 1e6,
    help: 'access rate of burst pages afterwards',
    source: '[A]',
  },
  {
    key: 'workload.growth',
    kind: 'bytes',
    unit: 'bytes',
    def: 0,
    min: 0,
    max: MAX_BYTES,
    help: 'slow growth (new anon) after growthAt',
    source: 'S5, S6',
  },
  {
    key: 'workload.growthAt',
    kind: 'float',
    unit: 's',
    def: 0,
    min: 0,
    max: 86400,
    help: 'when growth starts',
    source: 'S5',
  },
  {
    key: 'workload.growthSecs',
    kind: 'float',
    unit: 's',
    def: 60,
    min: 0.001,
    max: 86400,
    help: 'growth length at full speed',
    source: 'S5',
  },
  {
    key: 'workload.growthHz',
    kind: 'float',
    unit: '1/s',
    def: (p) => Number(p['workload.hotHz']),
    min: 0,
    max: 1e6,
    help: 'access rate of grown pages',
    source: '[A]',
  },
  {
    key: 'workload.churn',
    kind: 'bytes',
    unit: 'bytes/s',
    def: 0,
    min: 0,
    max: 1e12,
    help: 'short-lived anon per thread per second (charged, freed within a quantum)',
    source: '[A]',
  },
  {
    key: 'workload.rpcRate',
    kind: 'float',
    unit: 'req/s',
    def: 0,
    min: 0,
    max: 1e6,
    help: 'RPC requests per thread per second (0: not an RPC workload)',
    source: 'S2: 2000',
  },
  {
    key: 'workload.rpcAlloc',
    kind: 'bytes',
    unit: 'bytes',
    def: 256 * 1024,
    min: 0,
    max: 1 << 30,
    help: 'short-lived anon per request',
    source: 'S2',
  },
  {
    key: 'workload.rpcWorkUs',
    kind: 'float',
    unit: 'µs',
    def: 150,
    min: 0,
    max: 1e6,
    help: 'CPU work per request',
    source: '[A]',
  },
  {
    key: 'workload.rpcTouches',
    kind: 'int',
    unit: 'count',
    def: 64,
    min: 0,
    max: 1e6,
    help: 'hot-set pages each request touches',
    source: '[A]',
  },
  {
    key: 'workload.sloUs',
    kind: 'float',
    unit: 'µs',
    def: 1000,
    min: 1,
    max: 1e8,
    help: 'request latency SLO',
    source: 'S2',
  },
  {
    key: 'workload.high',
    kind: 'limit',
    unit: 'bytes',
    def: Infinity,
    min: 0,
    max: MAX_BYTES,
    help: 'initial memory.high of the job cgroup',
    source: '',
  },
  {
    key: 'workload.max',
    kind: 'limit',
    unit: 'bytes',
    def: Infinity,
    min: 0,
    max: MAX_BYTES,
    help: 'memory.max of the job cgroup',
    source: '',
  },
  {
    key: 'workload.low',
    kind: 'bytes',
    unit: 'bytes',
    def: 0,
    min: 0,
    max: MAX_BYTES,
    help: 'memory.low of the job cgroup',
    source: '',
  },
  {
    key: 'workload.swapMax',
    kind: 'limit',
    unit: 'bytes',
    def: Infinity,
    min: 0,
    max: MAX_BYTES,
    help: 'memory.swap.max of the job cgroup',
    source: '',
  },
  {
    key: 'workload.swapHigh',
    kind: 'limit',
    unit: 'bytes',
    def: Infinity,
    min: 0,
    max: MAX_BYTES,
    help: 'memory.swap.high of the job cgroup (adds the swap term to the throttle penalty)',
    source: '[K]',
  },
  {
    key: 'workload.zswapMax',
    kind: 'limit',
    unit: 'bytes',
    def: Infinity,
    min: 0,
    max: MAX_BYTES,
    help: 'memory.zswap.max of the job cgroup',
    source: '[D]',
  },
  {
    key: 'tree.children',
    kind: 'int',
    unit: 'count',
    def: 0,
    min: 0,
    max: 512,
    help: 'child cgroups under the job, each with the workload above (0: the job itself runs it)',
    source: 'S3, S11',
  },
  {
    key: 'tree.childHigh',
    kind: 'limit',
    unit: 'bytes',
    def: Infinity,
    min: 0,
    max: MAX_BYTES,
    help: 'memory.high of each child',
    source: 'S11',
  },
  {
    key: 'tree.burstChild',
    kind: 'int',
    unit: 'index',
    def: 0,
    min: 0,
    max: 511,
    help: 'which child runs the burst and growth',
    source: 'S11',
  },
  {
    key: 'tree.childThreads',
    kind: 'int',
    unit: 'count',
    def: -1,
    min: -1,
    max: 256,
    help: 'threads per child (-1: workload.threads)',
    source: '',
  },
  {
    key: 'neighbour.file',
    kind: 'bytes',
    unit: 'bytes',
    def: 0,
    min: 0,
    max: MAX_BYTES,
    help: 'page cache of an unrelated neighbour cgroup (drop_caches reference)',
    source: 'S7',
  },
  {
    key: 'neighbour.fileHz',
    kind: 'float',
    unit: '1/s',
    def: 1,
    min: 0,
    max: 1e6,
    help: 'access rate of the neighbour page cache',
    source: '[A]',
  },

  // --- agent ----------------------------------------------------------------------------------
  {
    key: 'agent.kind',
    kind: 'enum',
    unit: '',
    def: 'none',
    choices: AGENT_KINDS,
    help: 'user-space agent (A9)',
    source: 'A9',
  },
  {
    key: 'agent.inJob',
    kind: 'bool',
    unit: '',
    def: (p) => p['agent.kind'] === 'uswapd',
    help: 'the agent thread runs in (and is billed to) the job cgroup',
    source: 'A9e',
  },
  {
    key: 'agent.tick',
    kind: 'float',
    unit: 's',
    def: 1,
    min: 0.001,
    max: 3600,
    help: 'agent tick',
    source: '[O] senpai.py',
  },
  {
    key: 'agent.interval',
    kind: 'int',
    unit: 'ticks',
    def: 6,
    min: 1,
    max: 10000,
    help: 'ticks per adjustment interval',
    source: '[O] senpai.py',
  },
  {
    key: 'agent.pressureUs',
    kind: 'float',
    unit: 'µs',
    def: 10000,
    min: 1,
    max: 1e9,
    help: 'PSI some stall allowed per interval',
    source: '[O] senpai.py',
  },
  {
    key: 'agent.maxProbe',
    kind: 'float',
    unit: 'ratio',
    def: 0.01,
    min: 0,
    max: 1,
    help: 'largest probe step',
    source: '[O]',
  },
  {
    key: 'agent.maxBackoff',
    kind: 'float',
    unit: 'ratio',
    def: 1.0,
    min: 0,
    max: 10,
    help: 'largest back-off step',
    source: '[O]',
  },
  {
    key: 'agent.coeffProbe',
    kind: 'float',
    unit: '',
    def: 10,
    min: 0.001,
    max: 1e6,
    help: 'probe coefficient',
    source: '[O]',
  },
  {
    key: 'agent.coeffBackoff',
    kind: 'float',
    unit: '',
    def: 20,
    min: 0.001,
    max: 1e6,
    help: 'back-off coefficient',
    source: '[O]',
  },
  {
    key: 'agent.minSize',
    kind: 'bytes',
    unit: 'bytes',
    def: 100 * MIB,
    min: 0,
    max: MAX_BYTES,
    help: 'lowest limit the agent sets',
    source: '[O]',
  },
  {
    key: 'agent.maxSize',
    kind: 'bytes',
    unit: 'bytes',
    def: 100 * GIB,
    min: 0,
    max: MAX_BYTES,
    help: 'highest limit (oomd: current + 10 GiB)',
    source: '[O]',
  },
  {
    key: 'agent.highTmp',
    kind: 'bool',
    unit: '',
    def: false,
    help: "use Meta's memory.high.tmp (expires) instead of memory.high; not upstream",
    source: '[L] 20200928210216.GA378894@cmpxchg.org',
  },
  {
    key: 'agent.highTmpSecs',
    kind: 'float',
    unit: 's',
    def: 20,
    min: 0.001,
    max: 86400,
    help: 'memory.high.tmp timeout',
    source: '[O] oomd',
  },
  {
    key: 'agent.writeTimeoutMs',
    kind: 'float',
    unit: 'ms',
    def: 0,
    min: 0,
    max: 1e7,
    help: 'signal the writer after this long (0: never); oomd memory_high_timeout_ms',
    source: '[O] c13abd00cf67',
  },
  {
    key: 'agent.nonblock',
    kind: 'bool',
    unit: '',
    def: false,
    help: 'open memory.high/max with O_NONBLOCK (ignored where the kernel lacks it)',
    source: '[D]',
  },
  {
    key: 'agent.pokeGate',
    kind: 'bool',
    unit: '',
    def: true,
    help: 'poke only while PSI some avg10 and avg60 are below pokeGatePct',
    source: '[O] oomd',
  },
  {
    key: 'agent.pokeGatePct',
    kind: 'float',
    unit: '%',
    def: 0.1,
    min: 0,
    max: 100,
    help: 'PSI gate of the poking mode',
    source: '[O] oomd',
  },
  {
    key: 'agent.tmoRatio',
    kind: 'float',
    unit: 'ratio',
    def: 0.0005,
    min: 0,
    max: 1,
    help: 'TMO reclaim ratio per interval',
    source: '[P][R]',
  },
  {
    key: 'agent.tmoPsiPct',
    kind: 'float',
    unit: '%',
    def: 0.1,
    min: 0.0001,
    max: 100,
    help: 'TMO PSI threshold',
    source: '[P][R]',
  },
  {
    key: 'agent.request',
    kind: 'bytes',
    unit: 'bytes',
    def: 0,
    min: 0,
    max: MAX_BYTES,
    help: 'fixed request of the back-off client (0: requestPct of usage)',
    source: 'A9d',
  },
  {
    key: 'agent.requestPct',
    kind: 'float',
    unit: 'ratio',
    def: 0.01,
    min: 0,
    max: 1,
    help: 'request as a share of usage',
    source: 'A9d',
  },
  {
    key: 'agent.retryDelay',
    kind: 'float',
    unit: 's',
    def: 1,
    min: 0,
    max: 3600,
    help: 'back-off client: wait before retrying after -EAGAIN',
    source: 'A9d',
  },
  {
    key: 'agent.retries',
    kind: 'int',
    unit: 'count',
    def: 3,
    min: 0,
    max: 1000,
    help: 'back-off client: retries after -EAGAIN',
    source: 'A9d',
  },
  {
    key: 'agent.overTolerance',
    kind: 'float',
    unit: 'ratio',
    def: 0.5,
    min: 0,
    max: 100,
    help: 'back-off client: over-reclaim beyond (1+τ)·R skips intervals',
    source: 'A9d',
  },
  {
    key: 'agent.skipIntervals',
    kind: 'int',
    unit: 'count',
    def: 2,
    min: 0,
    max: 1000,
    help: 'back-off client: intervals skipped after over-reclaim',
    source: 'A9d',
  },
  {
    key: 'agent.uswapdDeltaPct',
    kind: 'float',
    unit: '%',
    def: 2,
    min: 0,
    max: 100,
    help: 'uswapd wakes at high − δ (δ as % of high)',
    source: 'A9e',
  },
  {
    key: 'agent.uswapdPollMs',
    kind: 'float',
    unit: 'ms',
    def: 10,
    min: 0.1,
    max: 60000,
    help: 'uswapd polling period',
    source: '[A]',
  },
  {
    key: 'agent.uswapdHigh',
    kind: 'limit',
    unit: 'bytes',
    def: Infinity,
    min: 0,
    max: MAX_BYTES,
    help: "uswapd's high mark (max: the job's memory.high)",
    source: 'A9e',
  },
  {
    key: 'agent.swappiness',
    kind: 'int',
    unit: '',
    def: -1,
    min: -1,
    max: 201,
    help: 'memory.reclaim swappiness= key (-1: none, 201: max)',
    source: '[D]',
  },
  {
    key: 'agent.crashAt',
    kind: 'float',
    unit: 's',
    def: 0,
    min: 0,
    max: 86400,
    help: 'the agent dies at this time (0: never)',
    source: 'S5',
  },
  {
    key: 'agent.crashCut',
    kind: 'float',
    unit: 'ratio',
    def: 0,
    min: 0,
    max: 1,
    help: 'the limit cut (or reclaim) the agent makes just before it dies',
    source: 'S5',
  },
  {
    key: 'agent.start',
    kind: 'float',
    unit: 's',
    def: 0,
    min: 0,
    max: 86400,
    help: 'when the agent starts',
    source: '',
  },
  {
    key: 'agent.oneshotFile',
    kind: 'enum',
    unit: '',
    def: 'memory.reclaim',
    choices: ONESHOT_FILES,
    help: 'oneshot agent: the file it writes',
    source: '',
  },
  {
    key: 'agent.oneshotAt',
    kind: 'float',
    unit: 's',
    def: 1,
    min: 0,
    max: 86400,
    help: 'oneshot agent: first write',
    source: '',
  },
  {
    key: 'agent.oneshotBytes',
    kind: 'bytes',
    unit: 'bytes',
    def: 0,
    min: 0,
    max: MAX_BYTES,
    help: 'oneshot agent: reclaim this much (high/max: usage minus this)',
    source: '',
  },
  {
    key: 'agent.oneshotPct',
    kind: 'float',
    unit: 'ratio',
    def: 0,
    min: 0,
    max: 1,
    help: 'oneshot agent: as a share of usage, when oneshotBytes is 0',
    source: '',
  },
  {
    key: 'agent.oneshotRepeat',
    kind: 'int',
    unit: 'count',
    def: 1,
    min: 1,
    max: 100000,
    help: 'oneshot agent: number of writes',
    source: 'S3',
  },
  {
    key: 'agent.oneshotEvery',
    kind: 'float',
    unit: 's',
    def: 0,
    min: 0,
    max: 86400,
    help: 'oneshot agent: pause between writes',
    source: 'S3',
  },
  {
    key: 'agent.oneshotRestore',
    kind: 'float',
    unit: 's',
    def: 0,
    min: 0,
    max: 86400,
    help: 'oneshot memory.high/max: restore "max" after this long (0: never)',
    source: '',
  },

  // --- what-if (not kernel behaviour) -----------------------------------------------------------
  {
    key: 'whatif.asyncZswap',
    kind: 'bool',
    unit: '',
    def: false,
    help: "NOT KERNEL BEHAVIOUR: reclaim queues pages to a compressor thread (Michal's suggestion, S8)",
    source: '[A] S8',
  },
  {
    key: 'whatif.compressorCpus',
    kind: 'int',
    unit: 'count',
    def: 1,
    min: 1,
    max: 64,
    help: 'CPUs of the what-if compressor thread',
    source: '[A] S8',
  },
] as const satisfies readonly ParamSpec<string>[];

type TableSpec = (typeof TABLE)[number];
/** Every parameter key; a misspelt key is a compile error wherever this type is asked for. */
export type ParamKey = TableSpec['key'];
/** Keys of numeric parameters (sizes, limits, integers, floats): what num() reads. */
export type NumKey = Extract<TableSpec, { kind: 'bytes' | 'limit' | 'int' | 'float' }>['key'];
/** Keys of boolean parameters: what bool() reads. */
export type BoolKey = Extract<TableSpec, { kind: 'bool' }>['key'];
/** Keys of enumerated parameters: what str() reads. */
export type EnumKey = Extract<TableSpec, { kind: 'enum' }>['key'];

/** Resolved parameters of one run, keyed by registry key. */
export type Params = Record<ParamKey, ParamValue>;
/** Overrides as given by scenarios or the user (strings are parsed by kind). */
export type ParamOverrides = Partial<Record<ParamKey, ParamValue>>;

/** The registry, in dependency order (see TABLE). */
export const PARAMS: readonly ParamSpec[] = TABLE;

const BY_KEY = new Map<string, ParamSpec>(PARAMS.map((s) => [s.key, s]));

/** `key` as a parameter key, or a ParamError naming the valid keys (for keys a user typed). */
export function paramKey(key: string): ParamKey {
  if (!BY_KEY.has(key))
    throw new ParamError(`unknown parameter ${JSON.stringify(key)}; valid: ${validKeysText()}`);
  return key as ParamKey;
}

/** The spec of one key, or undefined. */
export function paramSpec(key: string): ParamSpec | undefined {
  return BY_KEY.get(key);
}

/** An error in a parameter a user can fix: the message names the valid keys or range. */
export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

/** The valid keys, grouped by prefix, for error messages. */
export function validKeysText(): string {
  const groups = new Map<string, string[]>();
  for (const s of PARAMS) {
    const g = s.key.split('.')[0] ?? '';
    const list = groups.get(g) ?? [];
    list.push(s.key.slice(g.length + 1));
    groups.set(g, list);
  }
  return [...groups].map(([g, keys]) => `${g}.{${keys.join(',')}}`).join(' ');
}

function rangeText(s: ParamSpec): string {
  if (s.kind === 'enum') return `one of ${(s.choices ?? []).join(', ')}`;
  if (s.kind === 'bool') return '0, 1, true or false';
  const sized = s.kind === 'bytes' || s.kind === 'limit';
  const show = (v: number | undefined): string => (v === undefined ? '' : sized ? formatBytes(v) : String(v));
  const suffix = s.kind === 'limit' ? ' or "max"' : '';
  const unit = sized ? ' (bytes; suffixes K, M, G, T)' : s.unit ? ` ${s.unit}` : '';
  return `${show(s.min)} to ${show(s.max)}${unit}${suffix}`;
}

/** Parse and check one value for `key`; throws ParamError naming the allowed range. */
export function parseParam(key: string, raw: ParamValue): ParamValue {
  const s = BY_KEY.get(paramKey(key)) as ParamSpec;
  const text = typeof raw === 'string' ? raw.trim() : raw;
  const bad = (): never => {
    throw new ParamError(`${key}=${String(raw)}: invalid value; allowed: ${rangeText(s)}`);
  };
  if (s.kind === 'enum') {
    const v = String(text);
    if (!(s.choices ?? []).includes(v)) bad();
    return v;
  }
  if (s.kind === 'bool') {
    if (typeof text === 'boolean') return text;
    if (text === 1 || text === '1' || text === 'true') return true;
    if (text === 0 || text === '0' || text === 'false') return false;
    return bad();
  }
  let n: number;
  if (s.kind === 'limit' && (text === 'max' || text === Infinity)) return Infinity;
  if (typeof text === 'number') n = text;
  else if (s.kind === 'bytes' || s.kind === 'limit') n = parseBytes(String(text));
  else n = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(String(text)) ? Number(text) : NaN;
  if (!Number.isFinite(n)) bad();
  if (s.kind === 'int' && !Number.isInteger(n)) bad();
  if ((s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max)) bad();
  return n;
}

/**
 * Resolve a full parameter set: registry defaults, then each override layer in order (later wins).
 * Derived defaults (functions) see the values resolved before them.
 */
export function resolveParams(...layers: ParamOverrides[]): Params {
  const merged: ParamOverrides = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer) as [ParamKey, ParamValue][]) merged[k] = parseParam(k, v);
  }
  const out: Partial<Params> = {};
  for (const s of PARAMS) {
    const given = merged[s.key];
    if (given !== undefined) out[s.key] = given;
    else out[s.key] = typeof s.def === 'function' ? s.def(out as Resolved) : s.def;
  }
  return out as Params;
}

/** Parse "key=value" strings (from --set) into overrides, with clear errors. */
export function parseSetArgs(items: readonly string[]): ParamOverrides {
  const out: ParamOverrides = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ParamError(`--set expects key=value, got ${JSON.stringify(item)}`);
    const key = item.slice(0, eq).trim();
    out[paramKey(key)] = parseParam(key, item.slice(eq + 1));
  }
  return out;
}

/** Numeric parameter accessor (limits may be Infinity). */
export function num(p: Params, key: NumKey): number {
  const v = p[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new Error(`parameter ${key} is not numeric`);
}

/** Boolean parameter accessor. */
export function bool(p: Params, key: BoolKey): boolean {
  return p[key] === true;
}

/** String parameter accessor. */
export function str(p: Params, key: EnumKey): string {
  return String(p[key]);
}

/** Parameters for JSON output: Infinity becomes "max" so no output holds a non-finite number. */
export function paramsForOutput(p: Params): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? 'max' : v;
  return out;
}
