/**
 * Scenarios S1–S11 of reclaim-model.md section (c) as named presets. Each names the messages of the
 * thread whose claims it tests (Message-IDs, without angle brackets), states its expected outcome in
 * one sentence, and defines arms (parameter overrides) to run side by side. `full` is the spec's
 * size; `quick` is a smaller size the page runs by default.
 *
 * This module is data plus small finding functions; it imports only types from the engine, so the
 * page can load it without the simulator.
 */
import type { ArmResult } from './arm.ts';
import type { ParamKey, ParamOverrides } from './params.ts';

export interface ScenarioArm {
  name: string;
  title: string;
  set: ParamOverrides;
}

/** A line of the scenario's result, computed from the arms' summaries. */
export interface Finding {
  text: string;
}

/** What the findings read of an arm's result (the page and the CLI pass the whole ArmResult). */
export type ArmView = Pick<ArmResult, 'name' | 'summary' | 'writes'>;

export interface Scenario {
  id: string;
  title: string;
  /** The argument of the thread this scenario puts to the test. */
  question: string;
  /** The expected outcome, in one sentence. */
  expected: string;
  /** Message-IDs of the claims it tests. */
  messageIds: string[];
  /** Message-IDs cited by the spec that the seed corpus does not hold (commits, later threads). */
  externalIds?: string[];
  /** Not kernel behaviour (S8). */
  whatIf?: boolean;
  full: ParamOverrides;
  quick: ParamOverrides;
  arms: ScenarioArm[];
  /** The two arms the page compares by default. */
  compare: [string, string];
  /** Parameter keys the page shows as controls. */
  controls: ParamKey[];
  findings: (arms: ArmView[]) => Finding[];
}

/** Findings of one line per arm, in arm order. */
const perArm =
  (line: (a: ArmView) => string) =>
  (arms: ArmView[]): Finding[] =>
    arms.map((a) => ({ text: line(a) }));

/** One arm: its name on the page and in --arm, its title, and what it sets. */
const arm = (name: string, title: string, set: ParamOverrides): ScenarioArm => ({ name, title, set });

const fmt = (v: number | null | undefined, d = 1): string =>
  v === null || v === undefined ? '–' : v.toFixed(d);

/** The workload of the common setup (spec section c). */
const COMMON: ParamOverrides = {
  'kernel.profile': 'current',
  'sim.cpus': 8,
  'cost.compressor': 'lzo',
  'swap.writeback': false,
  'workload.threads': 4,
  'workload.hot': '2G',
  'workload.cold': '2G',
  'workload.file': '512M',
};

function pays(a: ArmView): string {
  const s = a.summary;
  return (
    `${a.name}: workload reclaim ${fmt(s.whoPays.workloadReclaimMs, 0)} ms, throttled ${fmt(s.workload.throttleMs, 0)} ms ` +
    `(${s.workload.throttleCount} sleeps), agent reclaim ${fmt(s.whoPays.agentReclaimMs, 0)} ms, high events ${s.events.high ?? 0}, ` +
    `PSI some ${fmt(s.psi.someTotalMs, 0)} ms (avg10 peak ${fmt(s.psi.someAvg10Max, 2)}%), charge p99.9 ${fmt(s.workload.chargeP999Us, 0)} µs, max ${fmt(s.workload.chargeMaxUs / 1000, 1)} ms`
  );
}

const s1Arms: ScenarioArm[] = [
  arm('A', 'Senpai classic on memory.high', { 'agent.kind': 'senpai' }),
  arm('B', 'oomd poking on memory.high, immediate reset', { 'agent.kind': 'poke-high' }),
  arm('C', 'oomd poking on memory.reclaim', { 'agent.kind': 'poke-reclaim' }),
  arm('D', 'TMO law on memory.reclaim', { 'agent.kind': 'tmo' }),
];

const RPC: ParamOverrides = {
  'workload.rpcRate': 2000,
  'workload.rpcAlloc': '256K',
  'workload.rpcWorkUs': 150,
  'workload.rpcTouches': 64,
  'workload.sloUs': 1000,
  'workload.hot': '1G',
  'workload.cold': '1G',
  'workload.file': 0,
  'agent.pokeGate': false,
  'agent.maxProbe': 0.01,
  'agent.minSize': 0,
};

/** S3 and S10: one large cgroup, a 512M hot set and 19.5G of long-idle anon for memory.reclaim to take. */
const ONE_LARGE_CGROUP: ParamOverrides = {
  'workload.threads': 1,
  'workload.hot': '512M',
  'workload.cold': '19.5G',
  'workload.coldAged': true,
  'workload.file': 0,
  'sim.quantumUs': 5000,
};

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'S1',
    title: 'The workload spikes while the limit is lowered',
    question:
      'Does a lowered memory.high make the workload pay for reclaim in its allocation path, where memory.reclaim does not?',
    expected:
      'With memory.high (Senpai, oomd poking) the 1 GiB burst turns into reclaim the workload does itself and into PSI the agent then reads; with memory.reclaim (oomd poking, TMO) the workload does no reclaim and PSI stays near zero.',
    messageIds: [
      '20200909215752.1725525-1-shakeelb@google.com',
      '20220331084151.2600229-1-yosryahmed@google.com',
      'CALvZod6kfF_r5u2ydZ34Q+6QWvg11ZFwfRMHdiNUvi3NJnms=A@mail.gmail.com',
      '20200921163055.GQ12990@dhcp22.suse.cz',
      '20201001143149.GA493631@cmpxchg.org',
    ],
    full: {
      ...COMMON,
      'workload.burst': '1G',
      'workload.burstAt': 300,
      'workload.burstSecs': 2,
      'sim.duration': 360,
    },
    quick: {
      'workload.hot': '512M',
      'workload.cold': '512M',
      'workload.file': '128M',
      'workload.burst': '256M',
    },
    arms: s1Arms,
    compare: ['A', 'C'],
    controls: [
      'workload.hot',
      'workload.cold',
      'workload.burst',
      'workload.burstSecs',
      'cost.compressor',
      'kernel.profile',
      'agent.maxProbe',
    ],
    findings: perArm(pays),
  },
  {
    id: 'S2',
    title: 'A latency-sensitive job and "100s of µs hiccups"',
    question:
      'Do charges that hit a temporarily lowered memory.high add 100s of µs (milliseconds with zstd) to requests, and does async compression help?',
    expected:
      'Poking memory.high adds hundreds of µs of in-line reclaim to the requests that charge during the poke (milliseconds with zstd), raising p99.9, while memory.reclaim leaves request latency at its no-reclaim level.',
    messageIds: [
      'CALvZod43VXKZ3StaGXK_EZG_fKcW3v3=cEYOWFwp4HNJpOOf8g@mail.gmail.com',
      'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com',
      '20200922114908.GZ12990@dhcp22.suse.cz',
      'CALvZod4FvE12o53BpeH5WB_McTdCkFTFXgc9gcT1CEHXzQLy_A@mail.gmail.com',
      '20200921163055.GQ12990@dhcp22.suse.cz',
    ],
    full: { ...COMMON, ...RPC, 'sim.duration': 120 },
    quick: { 'workload.hot': '256M', 'workload.cold': '256M', 'sim.duration': 40, 'workload.rpcRate': 1000 },
    arms: [
      arm('high-lzo', 'poke memory.high, lzo', { 'agent.kind': 'poke-high' }),
      arm('reclaim-lzo', 'memory.reclaim, lzo', { 'agent.kind': 'poke-reclaim' }),
      arm('high-lz4', 'poke memory.high, lz4', { 'agent.kind': 'poke-high', 'cost.compressor': 'lz4' }),
      arm('high-zstd', 'poke memory.high, zstd (40 µs)', {
        'agent.kind': 'poke-high',
        'cost.compressor': 'zstd',
      }),
      arm('reclaim-zstd', 'memory.reclaim, zstd', {
        'agent.kind': 'poke-reclaim',
        'cost.compressor': 'zstd',
      }),
      arm('high-zstd-async', 'poke memory.high, zstd, async compression (what-if)', {
        'agent.kind': 'poke-high',
        'cost.compressor': 'zstd',
        'whatif.asyncZswap': true,
      }),
    ],
    compare: ['high-zstd', 'reclaim-zstd'],
    controls: [
      'workload.rpcRate',
      'workload.rpcAlloc',
      'workload.hot',
      'cost.compressor',
      'cost.t_compress',
      'agent.maxProbe',
      'kernel.profile',
    ],
    findings: perArm((a) => {
      const r = a.summary.rpc;
      return `${a.name}: request p99 ${fmt(r?.p99Us, 0)} µs, p99.9 ${fmt(r?.p999Us, 0)} µs, SLO misses ${fmt(r?.sloMissPct, 3)}%; workload reclaim ${fmt(a.summary.whoPays.workloadReclaimMs, 0)} ms, high events ${a.summary.events.high ?? 0}`;
    }),
  },
  {
    id: 'S3',
    title: 'Over-reclaim and back-off',
    question:
      'How far does memory.reclaim over- or under-shoot per kernel version, and does a retry/back-off client keep the long run balanced?',
    expected:
      'A single large cgroup over-reclaims a little on every profile, reclaim at a parent with many children over-reclaims a lot under v5.19 whole-remainder calls, and the back-off client keeps the long-run reclaimed/requested near 1 by skipping intervals.',
    messageIds: [
      'CALvZod4FvE12o53BpeH5WB_McTdCkFTFXgc9gcT1CEHXzQLy_A@mail.gmail.com',
      '20200922165527.GD12990@dhcp22.suse.cz',
      '20200922190859.GH12990@dhcp22.suse.cz',
      'CAAPL-u8g2qkhdTQtFtBS3GNYz0WnyahWEXvR4g_OSaKv+7EozA@mail.gmail.com',
    ],
    externalIds: ['20240206175251.3364296-1-tjmercier@google.com'],
    full: {
      ...COMMON,
      ...ONE_LARGE_CGROUP,
      'sim.duration': 120,
      'agent.kind': 'oneshot',
      'agent.oneshotFile': 'memory.reclaim',
      'agent.oneshotAt': 1,
      // Fifty 1G writes would ask 50G of a 20G cgroup; fifty 256M writes keep every write answerable.
      'agent.oneshotBytes': '256M',
      'agent.oneshotRepeat': 50,
      'agent.oneshotEvery': 0.5,
    },
    quick: {
      'workload.hot': '128M',
      'workload.cold': '2432M',
      'agent.oneshotBytes': '32M',
      'sim.duration': 60,
    },
    arms: [
      arm('v5_19', '50 writes, whole remainder per call', { 'kernel.profile': 'v5_19' }),
      arm('v6_6', '50 writes, 32 pages per call', { 'kernel.profile': 'v6_6' }),
      arm('current', '50 writes, a quarter of the rest per call', { 'kernel.profile': 'current' }),
      arm('tree-v5_19', '32 children of 128M; 16M at the parent every 6 s (v5.19)', {
        'kernel.profile': 'v5_19',
        'tree.children': 32,
        'workload.hot': '8M',
        'workload.cold': '120M',
        'agent.oneshotBytes': '16M',
        'agent.oneshotRepeat': 1000,
        'agent.oneshotEvery': 6,
      }),
      arm('tree-backoff', 'the same tree, retry/back-off client asking 16M every 6 s (v5.19)', {
        'kernel.profile': 'v5_19',
        'tree.children': 32,
        'workload.hot': '8M',
        'workload.cold': '120M',
        'agent.kind': 'backoff',
        'agent.request': '16M',
      }),
    ],
    compare: ['v5_19', 'current'],
    controls: [
      'workload.cold',
      'agent.oneshotBytes',
      'agent.oneshotRepeat',
      'kernel.profile',
      'tree.children',
    ],
    findings: perArm((a) => {
      const ag = a.summary.agent;
      const over = ag && ag.requestedMiB > 0 ? ag.reclaimedMiB - ag.requestedMiB : 0;
      const intervals = Math.floor(a.summary.durationS / 6);
      const ask = a.writes[0]?.requestedMiB ?? 0;
      const longRun =
        a.name === 'tree-backoff' && ag && ask > 0 && intervals > 0
          ? `; long run reclaimed ÷ (${fmt(ask, 0)}M x ${intervals} intervals) = ${fmt(ag.reclaimedMiB / (ask * intervals), 2)}`
          : '';
      return `${a.name}: ${ag?.writes ?? 0} writes, reclaimed/requested ${fmt(ag?.reclaimedOverRequested, 3)} (${over >= 0 ? '+' : ''}${fmt(over)} MiB), slowest write ${fmt(ag?.writeMaxMs, 0)} ms, -EAGAIN ${ag?.rc.EAGAIN ?? 0}${longRun}`;
    }),
  },
  {
    id: 'S4',
    title: 'Under-reclaim and -EAGAIN against a silent memory.high',
    question:
      'What happens when the agent asks for memory that cannot be reclaimed: an error, or a limit that keeps biting?',
    expected:
      'memory.reclaim of 30% returns -EAGAIN after its retries and leaves the workload alone, while memory.high to the same target returns success and then puts every later charge batch to sleep for 2 s.',
    messageIds: [
      '20200922114908.GZ12990@dhcp22.suse.cz',
      '20200921163055.GQ12990@dhcp22.suse.cz',
      'YkcYq8F6MYlMi+yS@cmpxchg.org',
      'CAAPL-u8g2qkhdTQtFtBS3GNYz0WnyahWEXvR4g_OSaKv+7EozA@mail.gmail.com',
    ],
    full: {
      ...COMMON,
      'workload.hot': '600M',
      'workload.cold': 0,
      'workload.file': 0,
      'workload.mlocked': '1400M',
      'workload.swapMax': 0,
      'workload.churn': '4M',
      'sim.duration': 60,
      'agent.kind': 'oneshot',
      'agent.oneshotAt': 5,
      'agent.oneshotPct': 0.3,
    },
    quick: { 'workload.hot': '150M', 'workload.mlocked': '350M', 'sim.duration': 30 },
    arms: [
      arm('reclaim', 'memory.reclaim 30% of usage', { 'agent.oneshotFile': 'memory.reclaim' }),
      arm('high', 'memory.high = 70% of usage', { 'agent.oneshotFile': 'memory.high' }),
    ],
    compare: ['reclaim', 'high'],
    controls: ['workload.mlocked', 'workload.hot', 'workload.churn', 'agent.oneshotPct', 'kernel.profile'],
    findings: perArm((a) => {
      const w = a.writes[0];
      return `${a.name}: write returned ${w?.rc ?? '–'} after ${fmt(w?.ms, 1)} ms; afterwards the workload slept ${fmt(a.summary.workload.throttleMs / 1000, 1)} s in ${a.summary.workload.throttleCount} sleeps, useful ${fmt(100 * a.summary.workload.usefulFraction, 1)}% of its time`;
    }),
  },
  {
    id: 'S5',
    title: 'The agent crashes or hangs',
    question:
      'What does a dead agent leave behind: a limit that keeps throttling, an expiring one, or nothing?',
    expected:
      'After the agent dies having just cut 5%, the growing workload keeps paying (reclaim, refaults, PSI) for as long as the run lasts under memory.high, only until the 20 s timeout under memory.high.tmp, and not at all under memory.reclaim.',
    messageIds: [
      '20220331084151.2600229-1-yosryahmed@google.com',
      '20200928210216.GA378894@cmpxchg.org',
      '20200922114908.GZ12990@dhcp22.suse.cz',
    ],
    full: {
      ...COMMON,
      // A slower hot set keeps the thrashing after the crash affordable to simulate.
      'workload.hotHz': 0.25,
      'sim.duration': 520,
      'agent.crashAt': 400,
      'agent.crashCut': 0.05,
      'workload.growth': '450M',
      'workload.growthAt': 405,
      'workload.growthSecs': 60,
    },
    quick: {
      'workload.hot': '512M',
      'workload.cold': '512M',
      'workload.file': '128M',
      'workload.growth': '112M',
      'agent.crashAt': 200,
      'workload.growthAt': 205,
      'sim.duration': 290,
    },
    arms: [
      arm('high', 'Senpai on memory.high (persists)', { 'agent.kind': 'senpai' }),
      arm('high.tmp', 'Senpai on memory.high.tmp (20 s timeout; Meta-internal)', {
        'agent.kind': 'senpai',
        'agent.highTmp': true,
      }),
      arm('reclaim', 'TMO on memory.reclaim (stateless)', { 'agent.kind': 'tmo' }),
    ],
    compare: ['high', 'reclaim'],
    controls: ['workload.growth', 'agent.crashAt', 'agent.crashCut', 'agent.highTmpSecs', 'kernel.profile'],
    findings: perArm(pays),
  },
  {
    id: 'S6',
    title: 'The writer turns into kswapd (the 2021 regression)',
    question:
      'Who pays for the reclaim behind a memory.high write while the job keeps allocating: the writer or the job?',
    expected:
      'On 5.8–5.10 the write lasts as long as the growth and the writer pays all the reclaim CPU; on current kernels the limit applies at once and the job reclaims and is throttled; with O_NONBLOCK the write returns at once and the job pays everything.',
    messageIds: [
      '20201001151058.GB493631@cmpxchg.org',
      '20201008151449.GB163830@cmpxchg.org',
      '20200909215752.1725525-1-shakeelb@google.com',
      'CALvZod7afgoAL7KyfjpP-LoSFGSHv7XtfbbnVhEEhsiZLqZu9A@mail.gmail.com',
    ],
    externalIds: ['20210122184341.292461-1-hannes@cmpxchg.org', '20210112163011.127833-1-hannes@cmpxchg.org'],
    full: {
      ...COMMON,
      'cost.compressor': 'zstd',
      'workload.threads': 2,
      'workload.hot': '128M',
      'workload.cold': '1G',
      'workload.file': 0,
      'workload.growth': '1536M',
      'workload.growthAt': 2,
      'workload.growthSecs': 8,
      'workload.growthHz': 0,
      'sim.duration': 24,
      'agent.kind': 'oneshot',
      'agent.oneshotFile': 'memory.high',
      'agent.oneshotAt': 2,
      'agent.oneshotBytes': '512M',
    },
    quick: {
      'workload.hot': '64M',
      'workload.cold': '512M',
      'workload.growth': '768M',
      'workload.growthSecs': 4,
      'agent.oneshotBytes': '256M',
      'sim.duration': 14,
    },
    arms: [
      arm('legacy', '5.8–5.10: reclaim first, then apply H', { 'kernel.profile': 'legacy_5_8_to_5_10' }),
      arm('current', 'current: apply H, then reclaim', { 'kernel.profile': 'current' }),
      arm('nonblock', 'current, O_NONBLOCK', { 'kernel.profile': 'current', 'agent.nonblock': true }),
    ],
    compare: ['legacy', 'current'],
    controls: ['workload.growth', 'workload.growthSecs', 'agent.oneshotBytes', 'cost.compressor'],
    findings: perArm((a) => {
      const w = a.writes[0];
      return `${a.name}: the write took ${fmt((w?.ms ?? 0) / 1000, 2)} s; ${pays(a)}`;
    }),
  },
  {
    id: 'S7',
    title: 'drop_caches emulation',
    question:
      "Can memory.reclaim drop one cgroup's page cache without touching its anon, and how does that differ from drop_caches?",
    expected:
      'On current kernels "4G swappiness=0" drops only this cgroup\'s page cache and refaults no anon; v5.19 without the key also swaps anon unless swap.max is lowered around the write; global drop_caches also empties the neighbour\'s hot cache, which it then reads back.',
    messageIds: [
      '20200922165527.GD12990@dhcp22.suse.cz',
      '20200921163055.GQ12990@dhcp22.suse.cz',
      '20231130153658.527556-1-schatzberg.dan@gmail.com',
      'YkXkA+Oh1Bx33PrU@carbon.dhcp.thefacebook.com',
      '20231130165642.GA386439@cmpxchg.org',
    ],
    full: {
      ...COMMON,
      'workload.hot': '1G',
      'workload.hotHz': 2,
      'workload.cold': 0,
      'workload.file': '4G',
      'neighbour.file': '1G',
      'neighbour.fileHz': 1,
      'sim.duration': 40,
      'agent.kind': 'oneshot',
      'agent.oneshotAt': 5,
      'agent.oneshotBytes': '4G',
    },
    quick: {
      'workload.hot': '256M',
      'workload.file': '1G',
      'neighbour.file': '256M',
      'agent.oneshotBytes': '1G',
      'sim.duration': 30,
    },
    arms: [
      arm('current-sw0', 'current: memory.reclaim "4G swappiness=0"', {
        'kernel.profile': 'current',
        'agent.swappiness': 0,
      }),
      arm('v5_19', 'v5.19: memory.reclaim "4G" (no key)', { 'kernel.profile': 'v5_19' }),
      arm('v5_19-noswap', 'v5.19: swap.max=0, reclaim 4G, restore', {
        'kernel.profile': 'v5_19',
        'agent.oneshotFile': 'memory.reclaim-noswap',
      }),
      arm('drop_caches', 'echo 1 > drop_caches (global)', { 'agent.oneshotFile': 'drop_caches' }),
    ],
    compare: ['current-sw0', 'v5_19'],
    controls: ['workload.file', 'workload.hot', 'neighbour.file', 'agent.oneshotBytes', 'kernel.profile'],
    findings: perArm((a) => {
      const st = a.summary.stats;
      const nb = a.summary.neighbour;
      return (
        `${a.name}: job anon swapped out ${st.zswpout ?? 0} pages and refaulted ${st.workingset_refault_anon ?? 0}, job page cache left ${fmt(a.summary.memory.fileFinalMiB, 0)} MiB; ` +
        `neighbour cache dropped ${fmt(nb?.droppedMiB, 0)} MiB, refaults ${nb?.refaults ?? 0}`
      );
    }),
  },
  {
    id: 'S8',
    title: 'What-if: asynchronous zswap compression (not kernel behaviour)',
    question: 'If zswap compressed in another context, as Michal suggested, would the cost vanish or move?',
    expected:
      'Asynchronous compression shortens the in-line reclaim but frees memory later, so under a burst the overage lingers and the workload is throttled longer: the trade-off moves, it does not vanish.',
    messageIds: [
      '20200922114908.GZ12990@dhcp22.suse.cz',
      'CALvZod4FvE12o53BpeH5WB_McTdCkFTFXgc9gcT1CEHXzQLy_A@mail.gmail.com',
      '20200922165527.GD12990@dhcp22.suse.cz',
      'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com',
    ],
    whatIf: true,
    full: {
      ...COMMON,
      'workload.burst': '1G',
      'workload.burstAt': 300,
      'workload.burstSecs': 2,
      'sim.duration': 360,
      'agent.kind': 'senpai',
    },
    quick: {
      'workload.hot': '512M',
      'workload.cold': '512M',
      'workload.file': '128M',
      'workload.burst': '256M',
    },
    arms: [
      arm('S1-A-sync', 'S1 arm A, synchronous zswap (kernel)', {}),
      arm('S1-A-async', 'S1 arm A, asynchronous compression (what-if)', { 'whatif.asyncZswap': true }),
      arm('S2-high-sync', 'S2 memory.high poke, zstd, synchronous (kernel)', {
        ...RPC,
        'agent.kind': 'poke-high',
        'cost.compressor': 'zstd',
        'sim.duration': 60,
      }),
      arm('S2-high-async', 'S2 memory.high poke, zstd, asynchronous (what-if)', {
        ...RPC,
        'agent.kind': 'poke-high',
        'cost.compressor': 'zstd',
        'sim.duration': 60,
        'whatif.asyncZswap': true,
      }),
    ],
    compare: ['S1-A-sync', 'S1-A-async'],
    controls: ['whatif.compressorCpus', 'cost.compressor', 'workload.burst', 'kernel.profile'],
    findings: perArm((a) => {
      const r = a.summary.rpc;
      return `${a.name}: workload reclaim ${fmt(a.summary.whoPays.workloadReclaimMs, 0)} ms, throttled ${fmt(a.summary.workload.throttleMs, 0)} ms, charge max ${fmt(a.summary.workload.chargeMaxUs / 1000, 1)} ms, p99.9 ${fmt(a.summary.workload.chargeP999Us, 0)} µs${r ? `, request p99.9 ${fmt(r.p999Us, 0)} µs` : ''}`;
    }),
  },
  {
    id: 'S9',
    title: 'uswapd: background reclaim from user space',
    question:
      'Can a user-space background reclaimer keep allocations out of the high handler, and up to what allocation rate?',
    expected:
      'The uswapd reclaimer keeps the job out of the high handler only while its reclaim rate exceeds the allocation rate; above that crossover the job reclaims and is throttled as with plain memory.high.',
    messageIds: [
      '20200909215752.1725525-1-shakeelb@google.com',
      '20200922190859.GH12990@dhcp22.suse.cz',
      'CAHbLzkoBRAEWeDAh8Hd+3kNUMVUr-L79m4fpXoeez0wkBqUYxw@mail.gmail.com',
      '20200928210216.GA378894@cmpxchg.org',
      '20200219181219.54356-1-hannes@cmpxchg.org',
      'CALvZod7fya+o8mO+qo=FXjk3WgNje=2P=sxM5StgdBoGNeXRMg@mail.gmail.com',
    ],
    full: {
      ...COMMON,
      'cost.compressor': 'zstd',
      'workload.high': '4864M',
      'workload.burst': '1G',
      'workload.burstAt': 10,
      'workload.burstHz': 0,
      'sim.duration': 50,
      'agent.uswapdDeltaPct': 2,
    },
    quick: {
      'workload.hot': '512M',
      'workload.cold': '512M',
      'workload.file': '128M',
      'workload.high': '1216M',
      'workload.burst': '256M',
    },
    arms: [
      arm('none-2s', 'memory.high alone, burst in 2 s', { 'workload.burstSecs': 2 }),
      arm('uswapd-2s', 'uswapd, burst in 2 s', { 'agent.kind': 'uswapd', 'workload.burstSecs': 2 }),
      arm('uswapd-8s', 'uswapd, burst in 8 s', { 'agent.kind': 'uswapd', 'workload.burstSecs': 8 }),
      arm('uswapd-16s', 'uswapd, burst in 16 s', { 'agent.kind': 'uswapd', 'workload.burstSecs': 16 }),
      arm('uswapd-32s', 'uswapd, burst in 32 s', { 'agent.kind': 'uswapd', 'workload.burstSecs': 32 }),
    ],
    compare: ['none-2s', 'uswapd-16s'],
    controls: [
      'workload.burst',
      'workload.burstSecs',
      'agent.uswapdDeltaPct',
      'cost.compressor',
      'workload.high',
    ],
    findings: (arms) => {
      const out = perArm(pays)(arms);
      const burstMiB = (name: string): number => Number(/(\d+)s$/.exec(name)?.[1] ?? '0');
      if (!arms.some((a) => a.name.startsWith('uswapd'))) return out;
      const kept = arms
        .filter((a) => a.name.startsWith('uswapd') && (a.summary.events.high ?? 0) === 0)
        .map((a) => burstMiB(a.name));
      const hit = arms
        .filter((a) => a.name.startsWith('uswapd') && (a.summary.events.high ?? 0) > 0)
        .map((a) => burstMiB(a.name));
      if (kept.length && hit.length) {
        out.push({
          text: `crossover: uswapd keeps up with a burst spread over ${Math.min(...kept)} s or more, not over ${Math.max(...hit)} s or less`,
        });
      } else if (kept.length) out.push({ text: 'uswapd kept up with every burst rate tried' });
      else out.push({ text: 'uswapd fell behind at every burst rate tried' });
      return out;
    },
  },
  {
    id: 'S10',
    title: 'Kernel drift: one tuned agent, three kernels',
    question:
      'Does a user-space reclaimer tuned on one kernel keep hitting its targets when the reclaim implementation changes?',
    expected:
      "An agent tuned on v5.19 (1 GiB requests with a write timeout) keeps its targets there and on current, but v6.6's 32-page batches cut reclaim throughput about threefold so its writes time out and fall short.",
    messageIds: [
      '20200922165527.GD12990@dhcp22.suse.cz',
      '20200922114908.GZ12990@dhcp22.suse.cz',
      'CALvZod4FvE12o53BpeH5WB_McTdCkFTFXgc9gcT1CEHXzQLy_A@mail.gmail.com',
    ],
    externalIds: ['20240206175251.3364296-1-tjmercier@google.com'],
    full: {
      ...COMMON,
      ...ONE_LARGE_CGROUP,
      'sim.duration': 121,
      'agent.kind': 'backoff',
      'agent.request': '1G',
      'agent.writeTimeoutMs': 2000,
      'agent.retries': 0,
    },
    quick: {
      'workload.hot': '128M',
      'workload.cold': '2432M',
      'agent.request': '128M',
      'agent.writeTimeoutMs': 250,
      'sim.duration': 61,
    },
    arms: [
      arm('v5_19', 'v5.19 (the kernel it was tuned on)', { 'kernel.profile': 'v5_19' }),
      arm('v6_6', 'v6.6: 32-page inner batches', { 'kernel.profile': 'v6_6' }),
      arm('current', 'current: a quarter of the rest per call', { 'kernel.profile': 'current' }),
    ],
    compare: ['v5_19', 'v6_6'],
    controls: ['agent.request', 'agent.writeTimeoutMs', 'workload.cold', 'kernel.profile'],
    findings: perArm((a) => {
      const ag = a.summary.agent;
      const rate = ag && ag.cpuMs > 0 ? (ag.reclaimedMiB * 256) / (ag.cpuMs / 1000) : 0;
      return `${a.name}: ${ag?.writes ?? 0} writes, ${ag?.rc.EINTR ?? 0} timed out, reclaimed ${fmt(ag?.reclaimedMiB, 0)} of ${fmt(ag?.requestedMiB, 0)} MiB asked, ${fmt(rate / 1000, 0)}k pages per CPU-second`;
    }),
  },
  {
    id: 'S11',
    title: 'Hierarchy: a parent limit and two children',
    question:
      "Does a burst in one child throttle its sibling through the parent's memory.high, and how evenly does memory.reclaim on the parent take from the children?",
    expected:
      'A burst in one child pushes the parent over its high limit and the sibling is throttled too when it allocates; memory.reclaim on the parent throttles no one and takes from both children roughly in proportion to their size.',
    messageIds: [
      '20201008145336.GA163830@cmpxchg.org',
      '20201008210917.GC163830@cmpxchg.org',
      'CALvZod59cU40A3nbQtkP50Ae3g6T2MQSt+q1=O2=Gy9QUzNkbg@mail.gmail.com',
      'CALvZod5-EtB0jNi9DXTmLSKrUzK2jXRhW8h6+7sqB356k0t1+g@mail.gmail.com',
    ],
    full: {
      ...COMMON,
      'tree.children': 2,
      'workload.threads': 2,
      'workload.hot': '2G',
      'workload.cold': '1G',
      'workload.file': '512M',
      'workload.churn': '4M',
      'workload.burst': '2G',
      'workload.burstAt': 30,
      'workload.burstSecs': 4,
      'tree.burstChild': 0,
      'sim.duration': 90,
    },
    quick: {
      'workload.hot': '512M',
      'workload.cold': '256M',
      'workload.file': '128M',
      'workload.burst': '512M',
      'sim.duration': 60,
    },
    arms: [
      arm('high', 'parent memory.high at 8G (quick: 2G), no agent', { 'workload.high': '8G' }),
      arm('reclaim', 'no limit; memory.reclaim on the parent (5% per 6 s)', {
        'agent.kind': 'poke-reclaim',
        'agent.pokeGate': false,
        'agent.maxProbe': 0.05,
        'agent.minSize': 0,
      }),
    ],
    compare: ['high', 'reclaim'],
    controls: ['workload.burst', 'workload.burstSecs', 'workload.high', 'workload.churn'],
    findings: perArm((a) => {
      const kids = a.summary.children;
      const parts = kids.map(
        (k) =>
          `${k.name} ends at ${fmt(k.usageFinalMiB, 0)} MiB, lost ${fmt(k.reclaimedMiB, 0)} MiB to reclaim, reclaimed ${fmt(k.reclaimCpuMs, 0)} ms in its own allocations, slept ${fmt(k.throttleMs, 0)} ms`,
      );
      return `${a.name}: ${parts.join('; ')}`;
    }),
  },
];

/** Quick-mode overrides that depend on the arm (S11's parent limit scales with the workload). */
export const QUICK_ARM_FIX: Record<string, Record<string, ParamOverrides>> = {
  S3: {
    'tree-v5_19': {
      'tree.children': 16,
      'workload.hot': '4M',
      'workload.cold': '60M',
      'agent.oneshotBytes': '8M',
    },
    'tree-backoff': {
      'tree.children': 16,
      'workload.hot': '4M',
      'workload.cold': '60M',
      'agent.request': '8M',
    },
  },
  S8: {
    'S2-high-sync': {
      'workload.hot': '256M',
      'workload.cold': '256M',
      'sim.duration': 30,
      'workload.rpcRate': 1000,
    },
    'S2-high-async': {
      'workload.hot': '256M',
      'workload.cold': '256M',
      'sim.duration': 30,
      'workload.rpcRate': 1000,
    },
  },
  S11: { high: { 'workload.high': '2G' } },
};

/** Look a scenario up by id (case-insensitive). */
export function findScenario(id: string): Scenario | undefined {
  const want = id.toUpperCase();
  return SCENARIOS.find((s) => s.id === want);
}

/** What the site needs to link a claim to the run that tests it. */
export interface ScenarioCatalogEntry {
  id: string;
  title: string;
  expected: string;
  messageIds: string[];
  whatIf: boolean;
  /** Relative link to the model page with this scenario selected. */
  href: string;
}

/** The scenario list for the site (anchor links of the form model.html#scenario=S2). */
export function scenarioCatalog(page = 'model.html'): ScenarioCatalogEntry[] {
  return SCENARIOS.map((s) => ({
    id: s.id,
    title: s.title,
    expected: s.expected,
    messageIds: [...s.messageIds],
    whatIf: s.whatIf === true,
    href: `${page}#scenario=${s.id}`,
  }));
}

/** The parameter layers of one arm: scenario size, arm, then the user's settings (which win). */
export function armLayers(
  s: Scenario,
  arm: ScenarioArm,
  quick: boolean,
  user: ParamOverrides,
): ParamOverrides[] {
  const layers: ParamOverrides[] = [s.full];
  if (quick) layers.push(s.quick);
  layers.push(arm.set);
  if (quick) layers.push(QUICK_ARM_FIX[s.id]?.[arm.name] ?? {});
  layers.push(user);
  return layers;
}
