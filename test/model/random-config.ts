/**
 * Random small model configurations for the property tests (fast-check arbitraries).
 */
import fc from 'fast-check';
import { AGENT_KINDS, ONESHOT_FILES, type ParamOverrides } from '../../src/model/params.ts';
import { PROFILE_IDS } from '../../src/model/profiles.ts';

/** Small random configurations that still exercise limits, swap, agents and trees. */
export const configArb = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    profile: fc.constantFrom(...PROFILE_IDS),
    agent: fc.constantFrom(...AGENT_KINDS),
    file: fc.constantFrom(...ONESHOT_FILES),
    compressor: fc.constantFrom('lzo', 'lz4', 'zstd'),
    hot: fc.integer({ min: 0, max: 24 }),
    cold: fc.integer({ min: 0, max: 24 }),
    cache: fc.integer({ min: 0, max: 16 }),
    dirty: fc.constantFrom(0, 0.5),
    mlocked: fc.integer({ min: 0, max: 6 }),
    burst: fc.integer({ min: 0, max: 16 }),
    threads: fc.integer({ min: 1, max: 3 }),
    cpus: fc.integer({ min: 1, max: 4 }),
    children: fc.integer({ min: 0, max: 3 }),
    highFrac: fc.option(fc.double({ min: 0.3, max: 1.2, noNaN: true }), { nil: undefined }),
    maxFrac: fc.option(fc.double({ min: 0.6, max: 1.5, noNaN: true }), { nil: undefined }),
    swapMax: fc.option(fc.integer({ min: 0, max: 16 }), { nil: undefined }),
    zswap: fc.boolean(),
    writeback: fc.boolean(),
    asyncZswap: fc.boolean(),
    rpc: fc.boolean(),
    churn: fc.integer({ min: 0, max: 4 }),
    duration: fc.integer({ min: 3, max: 12 }),
  })
  .map((c) => {
    const total = c.hot + c.cold + c.cache + c.mlocked + c.burst;
    const o: ParamOverrides = {
      'kernel.profile': c.profile,
      'cost.compressor': c.compressor,
      'sim.cpus': c.cpus,
      'sim.duration': c.duration,
      'sim.sampleMs': 50,
      'workload.threads': c.threads,
      'workload.hot': `${c.hot}M`,
      'workload.hotHz': 2,
      'workload.cold': `${c.cold}M`,
      'workload.file': `${c.cache}M`,
      'workload.fileHz': 0.5,
      'workload.fileDirty': c.dirty,
      'workload.mlocked': `${c.mlocked}M`,
      'workload.burst': `${c.burst}M`,
      'workload.burstAt': 1,
      'workload.burstSecs': 1,
      'workload.churn': `${c.churn}M`,
      'tree.children': c.children,
      'swap.zswap': c.zswap,
      'swap.writeback': c.writeback,
      'whatif.asyncZswap': c.asyncZswap,
      'agent.kind': c.agent,
      'agent.tick': 0.5,
      'agent.interval': 2,
      'agent.oneshotFile': c.file,
      'agent.oneshotAt': 1,
      'agent.oneshotPct': 0.2,
      'agent.oneshotRepeat': 3,
      'agent.oneshotEvery': 1,
      'agent.minSize': 0,
    };
    if (c.rpc) o['workload.rpcRate'] = 500;
    if (c.highFrac !== undefined) o['workload.high'] = `${Math.max(1, Math.floor(total * c.highFrac))}M`;
    if (c.maxFrac !== undefined) o['workload.max'] = `${Math.max(2, Math.floor(total * c.maxFrac))}M`;
    if (c.swapMax !== undefined) o['workload.swapMax'] = `${c.swapMax}M`;
    return { seed: c.seed, overrides: o };
  });
