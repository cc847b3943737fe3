/**
 * The example scenario files (docs/model.md, "Scenario files"), as data: `argmap model list` names
 * them, the model page offers them in its scenario-file panel, and test/fixtures/scenarios/ holds the
 * same documents as JSON for `argmap model run --scenario-file` (a test keeps the two identical).
 */

/** One example file: an id for lists, its fixture path, and the document. */
export interface FileScenario {
  id: string;
  name: string;
  /** Path of the JSON copy, relative to the repository. */
  path: string;
  /** What it shows, in one line. */
  shows: string;
  doc: Record<string, unknown>;
}

/** The examples, in list order. */
export const FILE_SCENARIOS: readonly FileScenario[] = [
  {
    id: 'F1',
    name: 'fixed-job',
    path: 'test/fixtures/scenarios/fixed-job.json',
    shows:
      'a fixed-work job under memory.high: runtime, slowdown against the unconstrained twin, refaults and PSI',
    doc: {
      format: 'argmap-reclaim-scenario/1',
      title: 'A fixed-work batch job under memory.high, beside a service',
      description:
        "A batch job (2 threads, 20 s of useful CPU each; 32M hot anon, 32M idle anon, 32M page cache, and 96M of anon it allocates in its first 8 s and keeps using) runs under memory.high 112M, below its 192M footprint; a service beside it is unconstrained. The run reports the job's runtime against the same job in an unconstrained twin run, and the refaults and PSI of each cgroup.",
      profile: 'current',
      seed: 1,
      duration: '60s',
      set: { 'sim.quantumUs': 5000 },
      tree: {
        name: 'work',
        children: [
          {
            name: 'batch',
            high: '112M',
            workload: {
              hot: '32M',
              hotHz: 2,
              cold: '32M',
              file: '32M',
              fileHz: 0.5,
              growth: '96M',
              growthHz: 1,
              growthSecs: 8,
              threads: 2,
              work: '20s',
            },
          },
          { name: 'service', workload: { hot: '32M', hotHz: 1, cold: '16M', threads: 1 } },
        ],
      },
    },
  },
  {
    id: 'F2',
    name: 'build',
    path: 'test/fixtures/scenarios/build.json',
    shows:
      'make -j4 of 96 short-lived compiles under memory.high: anon, page cache read and written, dirty pages and writeback',
    doc: {
      format: 'argmap-reclaim-scenario/1',
      title:
        'A build (make -j4) under memory.high: short-lived compiles, anonymous memory, page cache read and written, writeback',
      description:
        "96 compiles, 4 at a time, each 0.5 s of CPU: it allocates 48M of anonymous memory (freed at exit), reads 16M worth of a 128M source tree in page cache, and writes 8M of objects (dirty page cache that outlives it until the flusher writes it at 50 MB/s). The build cgroup has memory.high 384M, so reclaim meets dirty pages it cannot free; the run reports the build's runtime against the same build unconstrained.",
      profile: 'current',
      seed: 1,
      duration: '40s',
      set: { 'sim.quantumUs': 2000, 'cost.writeback_bw': '50M' },
      tree: {
        name: 'ci',
        children: [
          {
            name: 'build',
            high: '384M',
            workload: {
              build: {
                procs: 96,
                parallel: 4,
                cpu: '0.5s',
                anon: '48M',
                write: '8M',
                sources: '128M',
                read: '16M',
              },
            },
          },
        ],
      },
    },
  },
  {
    id: 'F3',
    name: 'controller-sweep',
    path: 'test/fixtures/scenarios/controller-sweep.json',
    shows:
      'a TMO-law controller on memory.reclaim swept over its PSI threshold: memory saved against job slowdown',
    doc: {
      format: 'argmap-reclaim-scenario/1',
      title:
        'A PSI-driven proactive reclaim controller (TMO law on memory.reclaim): memory saved against job slowdown, swept over its pressure threshold',
      description:
        "One fixed-work job (2 threads, 100 s of useful CPU each; 64M hot anon at 5 Hz, 128M idle anon, 96M page cache read at 0.2 Hz per page) under a TMO-style controller that writes memory.reclaim = current x 2% x max(0, 1 - PSI some / threshold) every second (an accelerated TMO: the published defaults reclaim far less per interval). The sweep runs the file once per threshold, once without the controller (the memory it would use) and once unconstrained (the job's runtime without reclaim).",
      profile: 'current',
      seed: 1,
      duration: '180s',
      set: { 'sim.quantumUs': 10000, 'sim.sampleMs': 1000 },
      tree: {
        name: 'svc',
        children: [
          {
            name: 'app',
            workload: {
              hot: '64M',
              hotHz: 5,
              cold: '128M',
              coldAged: true,
              file: '96M',
              fileHz: 0.2,
              threads: 2,
              work: '100s',
            },
          },
        ],
      },
      controller: {
        cgroup: 'svc/app',
        kind: 'tmo',
        set: {
          'agent.tick': 1,
          'agent.interval': 1,
          'agent.tmoRatio': 0.02,
          'agent.tmoPsiPct': 0.1,
          'agent.start': 5,
        },
      },
      sweep: { key: 'agent.tmoPsiPct', values: [0.01, 0.03, 0.1, 0.3, 1, 3, 10] },
    },
  },
  {
    id: 'F4',
    name: 'hundred-services',
    path: 'test/fixtures/scenarios/hundred-services.json',
    shows:
      '128 services under one parent for an hour: proactive reclaim, a memory.high cut and kswapd, spread over siblings',
    doc: {
      format: 'argmap-reclaim-scenario/1',
      title:
        '128 services under one parent, an hour of proactive reclaim, a memory.high cut and global pressure',
      description:
        'A parent (services) with 128 children: 96 ordinary services (16M hot anon, 24M idle anon, 8M page cache) and 32 protected ones (memory.low 40M, same workload). memory.reclaim 256M at the parent every 5 minutes; at 30 min memory.high on the parent is set to 4800M (below its usage, above its hot set plus the zswap pool) for 5 minutes; at 45 min kswapd reclaims 512M at the root. Shows how reclaim started at each level spreads over the siblings.',
      profile: 'current',
      seed: 1,
      duration: '1h',
      set: { 'kernel.memcgWalk': 'partial', 'sim.quantumUs': 20000, 'sim.sampleMs': 1000 },
      tree: {
        name: 'services',
        children: [
          {
            name: 'svc',
            count: 96,
            workload: { hot: '16M', hotHz: 1, cold: '24M', file: '8M', fileHz: 0.05, threads: 1 },
          },
          {
            name: 'prot',
            count: 32,
            low: '40M',
            workload: { hot: '16M', hotHz: 1, cold: '24M', file: '8M', fileHz: 0.05, threads: 1 },
          },
        ],
      },
      writes: [
        { at: '1m', cgroup: 'services', file: 'memory.reclaim', value: '256M', every: '5m', repeat: 12 },
        { at: '30m', cgroup: 'services', file: 'memory.high', value: '4800M' },
        { at: '35m', cgroup: 'services', file: 'memory.high', value: 'max' },
        { at: '45m', file: 'global', value: '512M', reclaimer: 'kswapd' },
      ],
    },
  },
];

/** An example by id or name. */
export function findFileScenario(key: string): FileScenario | undefined {
  return FILE_SCENARIOS.find((f) => f.id === key || f.name === key);
}
