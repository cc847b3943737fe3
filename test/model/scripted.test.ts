/**
 * The selftest-style setups (src/model/scripted.ts): cgroup limits given in bytes, resident and
 * allocating processes, the list-of-writes agent, and the selftests' reclaim_until().
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReclaimUntil, Scripted, Writes } from '../../src/model/scripted.ts';
import { EINVAL } from '../../src/model/syscalls.ts';

const MB = 1 << 20;
/** 4 KiB pages per MiB. */
const PPM = 256;

describe('Scripted', () => {
  it('takes cgroup limits in bytes and keeps them in whole pages ("max" stays unlimited)', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null, { high: 30 * MB, max: 30 * MB + 4095, low: 4096, swapMax: Infinity });
    assert.equal(cg.high, 30 * PPM);
    assert.equal(cg.max, 30 * PPM, 'rounded down');
    assert.equal(cg.low, 1);
    assert.equal(cg.swapMax, Infinity);
    assert.equal(cg.parent, s.sim.root);
  });
  it('runs on four CPUs unless told otherwise', () => {
    assert.equal(new Scripted().sim.cpus, 4);
    assert.equal(new Scripted({ 'sim.cpus': 2 }).sim.cpus, 2);
  });
  it('a resident process holds its whole region from the start', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    const { region } = s.resident(cg, { name: 'cache', type: 'file', bytes: 8 * MB });
    s.sim.finalize();
    assert.equal(region.allocated, 8 * PPM);
    assert.equal(cg.usage, 8 * PPM);
    s.run(2e6);
    assert.equal(cg.usage, 8 * PPM, 'and does nothing else');
  });
  it('an allocating process sleeps, allocates its region page by page, then exits and frees its anon', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    const { region, task } = s.allocating(cg, { name: 'anon', type: 'anon', bytes: 4 * MB }, 'exit', {
      afterUs: 1e6,
    });
    s.run(0.9e6);
    assert.equal(region.allocated, 0);
    s.run(3e6);
    assert.equal(region.allocated, 4 * PPM);
    assert.equal(task.process?.alive, false);
    assert.equal(cg.usage, 0);
    // 1024 minor faults at 0.25 µs each.
    assert.equal(task.time.fault, 1024 * 0.25);
  });
  it('an allocating process that holds keeps what it allocated', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    const { region } = s.allocating(cg, { name: 'cache', type: 'file', bytes: 2 * MB }, 'hold');
    s.run(1e6);
    assert.equal(region.allocated, 2 * PPM);
    assert.ok(cg.usage >= 2 * PPM);
  });
});

describe('agents', () => {
  it('Writes makes its writes in order, one at a time, and records each result', () => {
    const s = new Scripted({ 'kernel.profile': 'current' });
    const cg = s.cgroup('test', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: 8 * MB });
    const w = new Writes([
      { file: 'memory.high', value: String(6 * MB) },
      { file: 'memory.reclaim', value: 'lots' },
      { file: 'memory.high', value: 'max' },
    ]);
    s.agent(cg, w, 1e6);
    s.run(5e6);
    assert.deepEqual(
      w.results.map((r) => [r.file, r.value, r.rc]),
      [
        ['memory.high', String(6 * MB), 0],
        ['memory.reclaim', 'lots', EINVAL],
        ['memory.high', 'max', 0],
      ],
    );
    assert.ok((w.results[1]?.startUs ?? 0) >= (w.results[0]?.startUs ?? 0) + (w.results[0]?.durationUs ?? 0));
    assert.equal(cg.high, Infinity);
  });
  /** reclaim_until(16M) on a cgroup holding 64M of page cache. */
  function reclaimUntil16M(profile: 'current' | 'legacy_5_8_to_5_10'): {
    logic: ReclaimUntil;
    usage: number;
  } {
    const s = new Scripted({ 'kernel.profile': profile });
    const cg = s.cgroup('test', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: 64 * MB });
    const logic = new ReclaimUntil(16 * MB);
    s.agent(cg, logic, 1e6);
    s.run(5e6);
    return { logic, usage: cg.usage * 4096 };
  }
  it('reclaim_until as the selftest writes it succeeds on a page-cache cgroup', () => {
    const { logic, usage } = reclaimUntil16M('current');
    assert.equal(logic.result, true);
    assert.ok(usage <= 16.5 * MB);
  });
  it('reclaim_until fails, as the selftest does, when memory.reclaim does not exist', () => {
    const { logic } = reclaimUntil16M('legacy_5_8_to_5_10');
    assert.equal(logic.result, false);
    assert.equal(logic.failure, 'memory.reclaim returned -2');
  });
});
