/**
 * The user-space agents (src/model/agents.ts, reclaim-model.md A9), each asked for its next action
 * against a job of 100 MiB of page cache with no memory pressure, where every request can be worked
 * out by hand; then the actor that runs them (syscall cost, records, the crash of S5).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AgentActor,
  AgentCtx,
  SYSCALL_US,
  makeAgentLogic,
  type AgentAction,
  type AgentLogic,
} from '../../src/model/agents.ts';
import type { ParamOverrides } from '../../src/model/params.ts';
import { Scripted, Writes } from '../../src/model/scripted.ts';
import { EAGAIN, ENOENT, type WriteRecord } from '../../src/model/syscalls.ts';

const MB = 1 << 20;
/** The job's memory.current: 100 MiB. */
const CURRENT = 100 * MB;

/** The agent named by agent.kind, and a context on a job holding 100 MiB of page cache. */
function agent(overrides: ParamOverrides): { logic: AgentLogic; ctx: AgentCtx; at: (us: number) => void } {
  const s = new Scripted({ 'kernel.profile': 'current', ...overrides });
  const job = s.cgroup('job', null);
  s.resident(job, { name: 'cache', type: 'file', bytes: CURRENT });
  const task = s.sim.addTask('agent', s.cgroup('agent', null), null);
  s.sim.finalize();
  const logic = makeAgentLogic(s.sim.params);
  assert.ok(logic, 'an agent');
  const ctx = new AgentCtx(s.sim, task, job);
  assert.equal(ctx.current(), CURRENT);
  return { logic, ctx, at: (us) => task.idleUntil(us) };
}

const write = (file: string, value: string): AgentAction => ({ kind: 'write', file, value }) as AgentAction;

function record(over: Partial<WriteRecord>): WriteRecord {
  return {
    file: 'memory.reclaim',
    value: '',
    startUs: 0,
    durationUs: 0,
    cpuUs: 0,
    rc: 0,
    requestedPages: 0,
    reclaimedPages: 0,
    usageBefore: 0,
    usageAfter: 0,
    ...over,
  };
}

describe('makeAgentLogic', () => {
  it('builds the agent named by agent.kind, and none for "none"', () => {
    const names = ['senpai', 'oomd-tick', 'poke-high', 'poke-reclaim', 'tmo', 'backoff', 'uswapd', 'oneshot'];
    for (const kind of names) {
      const s = new Scripted({ 'agent.kind': kind });
      assert.equal(makeAgentLogic(s.sim.params)?.name, kind);
    }
    assert.equal(makeAgentLogic(new Scripted().sim.params), null);
  });
});

describe('oomd Senpai, poking mode (A9b)', () => {
  const base = { 'agent.pokeGate': false, 'agent.minSize': 0 } as const;
  it('waits one interval (6 ticks of 1 s), then asks memory.reclaim for (current − bound) × 1%', () => {
    // (100 MiB − 0) × 0.01 = 1048576 bytes, already a whole number of pages.
    const { logic, ctx, at } = agent({ ...base, 'agent.kind': 'poke-reclaim' });
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 6e6 });
    at(6e6);
    assert.deepEqual(logic.next(ctx), write('memory.reclaim', '1048576'));
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 12e6 });
  });
  it('adds the swappiness key when it has one (201 is spelt max)', () => {
    for (const [sw, value] of [
      [0, '1048576 swappiness=0'],
      [201, '1048576 swappiness=max'],
    ] as const) {
      const { logic, ctx, at } = agent({ ...base, 'agent.kind': 'poke-reclaim', 'agent.swappiness': sw });
      logic.next(ctx);
      at(6e6);
      assert.deepEqual(logic.next(ctx), write('memory.reclaim', value));
    }
  });
  it('through memory.high: lowers it by the poke size, then at once writes "max" back', () => {
    const { logic, ctx, at } = agent({ ...base, 'agent.kind': 'poke-high' });
    logic.next(ctx);
    at(6e6);
    assert.deepEqual(logic.next(ctx), write('memory.high', String(CURRENT - 1048576)));
    assert.deepEqual(logic.next(ctx), write('memory.high', 'max'));
  });
  it('keeps 100 MiB plus the unreclaimable part: with 100 MiB in use there is nothing to poke', () => {
    const { logic, ctx, at } = agent({ 'agent.kind': 'poke-reclaim', 'agent.pokeGate': false });
    logic.next(ctx);
    at(6e6);
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 12e6 });
  });
});

describe('the TMO law (A9c)', () => {
  it('reclaims current × 0.0005 × (1 − psi/threshold) per 6 s; with no pressure 52428.8 B, floored to 12 pages', () => {
    const { logic, ctx, at } = agent({ 'agent.kind': 'tmo' });
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 6e6 });
    at(6e6);
    assert.deepEqual(logic.next(ctx), write('memory.reclaim', String(12 * 4096)));
    assert.equal(logic.limitBytes(), 49152);
  });
});

describe('Senpai classic (A9a)', () => {
  it('starts from memory.current and, with no pressure, probes down 1% after an interval of 6 ticks', () => {
    const { logic, ctx } = agent({ 'agent.kind': 'senpai', 'agent.minSize': 0 });
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 1e6 });
    assert.equal(logic.limitBytes(), CURRENT);
    for (let tick = 0; tick < 5; tick++) assert.equal(logic.next(ctx).kind, 'sleep');
    // 100 MiB × 0.99 = 103809024 B = 25344 pages exactly.
    assert.deepEqual(logic.next(ctx), write('memory.high', '103809024'));
  });
  it('never goes below agent.minSize (100 MiB by default)', () => {
    const { logic, ctx } = agent({ 'agent.kind': 'senpai' });
    for (let tick = 0; tick < 6; tick++) logic.next(ctx);
    assert.deepEqual(logic.next(ctx), write('memory.high', String(CURRENT)));
  });
});

describe('uswapd (A9e)', () => {
  it('above high − δ it reclaims down to high − 2δ: δ = 2% of 100 MiB, so 4 MiB', () => {
    const { logic, ctx } = agent({ 'agent.kind': 'uswapd', 'agent.uswapdHigh': '100M' });
    assert.deepEqual(logic.next(ctx), write('memory.reclaim', String(4 * MB)));
  });
  it('below high − δ it polls again after 10 ms', () => {
    const { logic, ctx } = agent({ 'agent.kind': 'uswapd', 'agent.uswapdHigh': '200M' });
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 10e3 });
  });
});

describe('the oneshot writer', () => {
  it('at agent.oneshotAt, sets memory.high to usage less a share of it (30%), then waits for good', () => {
    const { logic, ctx, at } = agent({
      'agent.kind': 'oneshot',
      'agent.oneshotFile': 'memory.high',
      'agent.oneshotPct': 0.3,
    });
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 1e6 });
    at(1e6);
    // 30% of 100 MiB is 31457280 B (7680 pages); 104857600 − 31457280 = 73400320.
    assert.deepEqual(logic.next(ctx), write('memory.high', '73400320'));
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: Infinity });
  });
  it('without a swappiness key, keeps anon by lowering swap.max around the write and restoring it', () => {
    const { logic, ctx, at } = agent({
      'agent.kind': 'oneshot',
      'agent.oneshotFile': 'memory.reclaim-noswap',
      'agent.oneshotBytes': '8M',
    });
    at(1e6);
    assert.deepEqual(
      [logic.next(ctx), logic.next(ctx), logic.next(ctx)],
      [
        write('memory.swap.max', '0'),
        write('memory.reclaim', String(8 * MB)),
        write('memory.swap.max', 'max'),
      ],
    );
  });
});

describe("Shakeel's retry/back-off client (A9d)", () => {
  it('retries the rest after -EAGAIN and backs off for two intervals after over-reclaim', () => {
    const { logic, ctx, at } = agent({ 'agent.kind': 'backoff', 'agent.request': '4M' });
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 6e6 });
    at(6e6);
    assert.deepEqual(logic.next(ctx), write('memory.reclaim', String(4 * MB)));
    // -EAGAIN after freeing 1 MiB in 1 ms: retry the other 3 MiB a second later.
    logic.onResult?.(ctx, record({ rc: EAGAIN, startUs: 6e6, durationUs: 1000, reclaimedPages: 256 }));
    at(6e6 + 1000);
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 7.001e6 });
    at(7.001e6);
    assert.deepEqual(logic.next(ctx), write('memory.reclaim', String(3 * MB)));
    // The retry freed 7 MiB, more than 1.5 × the 4 MiB asked: skip the next two intervals.
    logic.onResult?.(ctx, record({ rc: 0, usageBefore: 7 * 256, usageAfter: 0 }));
    at(12e6);
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 18e6 });
    at(18e6);
    assert.deepEqual(logic.next(ctx), { kind: 'sleep', untilUs: 24e6 });
    at(24e6);
    assert.deepEqual(logic.next(ctx), write('memory.reclaim', String(4 * MB)));
  });
});

describe('AgentActor', () => {
  it('bills every write the syscall cost, even one that fails at once, and counts its return code', () => {
    const s = new Scripted({ 'kernel.profile': 'legacy_5_8_to_5_10' });
    const cg = s.cgroup('job', null);
    const a = s.agent(cg, new Writes([{ file: 'memory.reclaim', value: '1M' }]), 1e6);
    s.run(2e6);
    assert.equal(a.writes, 1);
    assert.deepEqual(a.rcCounts, { [String(ENOENT)]: 1 });
    assert.equal(a.records[0]?.durationUs, SYSCALL_US);
    assert.equal(a.task.clock, 1e6 + SYSCALL_US);
    assert.equal(a.task.alive, false, 'the agent exits when its list is done');
  });
  it('keeps the relative error of each memory.reclaim and the totals asked and freed', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    const cg = s.cgroup('job', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
    const a = s.agent(cg, new Writes([{ file: 'memory.reclaim', value: '2M' }]), 1e6);
    s.run(3e6);
    assert.equal(a.requestedPages, 512);
    assert.ok(a.reclaimedPages >= 512);
    assert.deepEqual(a.reclaimErrors, [(a.reclaimedPages - 512) / 512]);
  });
  it("at agent.crashAt it makes the agent's last write (the cut) and dies", () => {
    const s = new Scripted({ 'kernel.profile': 'current', 'agent.kind': 'tmo' });
    const cg = s.cgroup('job', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: CURRENT });
    const logic = makeAgentLogic(s.sim.params) as AgentLogic;
    const task = s.sim.addTask('agent:tmo', s.cgroup('agent', null), null);
    const a = new AgentActor(s.sim, task, cg, logic, 0, Infinity, false, 3e6, 0.1);
    s.sim.addActor(a);
    s.run(10e6);
    // 10% of 100 MiB, 2560 pages.
    assert.deepEqual(
      a.records.map((r) => [r.file, r.value]),
      [['memory.reclaim', String(10 * MB)]],
    );
    assert.equal(task.alive, false);
  });
});
