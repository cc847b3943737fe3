/**
 * The run budget (src/model/budget.ts): pages × simulated seconds and workload scheduler steps are
 * estimated from the parameters and a run above either limit is refused before it starts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_THREAD_STEPS,
  RUN_BUDGET_PAGE_SECONDS,
  checkRun,
  plannedPages,
  plannedSteps,
} from '../../src/model/budget.ts';
import { ParamError, resolveParams } from '../../src/model/params.ts';

describe('plannedPages', () => {
  it("counts every cgroup's resident memory, then the burst, the growth and the neighbour once", () => {
    // hot 1G + cold 1G + file 512M + mlocked 0 = 262144 + 262144 + 131072 pages per cgroup.
    const one = resolveParams({ 'workload.hot': '1G', 'workload.cold': '1G', 'workload.file': '512M' });
    assert.equal(plannedPages(one), 655360);
    const more = resolveParams({
      'workload.hot': '1G',
      'workload.cold': '1G',
      'workload.file': '512M',
      'workload.burst': '256M',
      'tree.children': 3,
      'neighbour.file': '1G',
    });
    assert.equal(plannedPages(more), 3 * 655360 + 65536 + 262144);
  });
});

describe('plannedSteps', () => {
  it('is threads × simulated µs / quantum, plus the requests', () => {
    // The defaults: 4 threads, 360 s, 1000 µs quanta: 1.44 million quanta.
    assert.equal(plannedSteps(resolveParams({})), 1.44e6);
    // 2000 requests per second per thread add 4 × 360 × 2000.
    assert.equal(plannedSteps(resolveParams({ 'workload.rpcRate': 2000 })), 1.44e6 + 2.88e6);
  });
});

describe('checkRun', () => {
  it('accepts a run at the page-second budget and refuses one above it', () => {
    // 262144 + 262144 + 131072 pages; 2e9 / 655360 = 3051.76 s.
    const base = { 'workload.hot': '1G', 'workload.cold': '1G', 'workload.file': '512M' } as const;
    assert.doesNotThrow(() => checkRun(resolveParams({ ...base, 'sim.duration': 3051 })));
    assert.throws(
      () => checkRun(resolveParams({ ...base, 'sim.duration': 3052 })),
      (e: unknown) => e instanceof ParamError && /run too large: 655360 pages x 3052 s/.test(e.message),
    );
    assert.equal(RUN_BUDGET_PAGE_SECONDS, 2e9);
  });
  it('refuses a run of too many workload steps (a tiny quantum)', () => {
    // 4 threads × 360 s / 10 µs = 1.44e8 steps, above 5e7.
    assert.throws(() => checkRun(resolveParams({ 'sim.quantumUs': 10 })), /workload steps/);
    assert.equal(MAX_THREAD_STEPS, 5e7);
  });
  it('refuses a burst child that is not one of the children', () => {
    assert.throws(
      () => checkRun(resolveParams({ 'tree.children': 2, 'tree.burstChild': 2 })),
      /tree.burstChild must be below tree.children \(2\)/,
    );
    assert.doesNotThrow(() =>
      checkRun(
        resolveParams({
          'tree.children': 2,
          'tree.burstChild': 1,
          'workload.hot': '64M',
          'workload.cold': '64M',
        }),
      ),
    );
  });
});
