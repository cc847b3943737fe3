/**
 * The reclaim engine (src/model/reclaim.ts, reclaim-model.md E6 and A5): the 32-page floor, the
 * fixed costs of a call, which lists swappiness picks, memory.min and memory.low, and the
 * pgscan/pgsteal split by who asked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scripted } from '../../src/model/scripted.ts';
import { writesOn, type WritesOn } from './writes-on.ts';
import { ReclaimCall } from '../../src/model/reclaim.ts';
import { SRC_DIRECT, SRC_PROACTIVE } from '../../src/model/memcg.ts';
import { EAGAIN } from '../../src/model/syscalls.ts';
import { Task } from '../../src/model/task.ts';

const MB = 1 << 20;
/** 4 KiB pages per MiB. */
const PPM = 256;
const OPTS = { maySwap: true, source: SRC_DIRECT, swappiness: 60 };

describe('one try_to_free_mem_cgroup_pages() call (E6)', () => {
  it('raises a target below SWAP_CLUSTER_MAX to 32 pages', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.sim.finalize();
    assert.equal(new ReclaimCall(s.sim, cg, 1, OPTS).target, 32);
    assert.equal(new ReclaimCall(s.sim, cg, 100, OPTS).target, 100);
  });
  it('costs t_call plus t_memcg per cgroup and priority pass when there is nothing to take', () => {
    // Defaults: t_call 310 µs, t_memcg 2 µs; priorities 12..0 are 13 passes over one cgroup.
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.sim.finalize();
    const call = new ReclaimCall(s.sim, cg, 32, OPTS);
    assert.equal(call.run(Infinity), 310 + 13 * 2);
    assert.equal(call.done, true);
    assert.equal(call.reclaimed, 0);
  });
  it('counts itself once in the simulator, and its scans and steals under the source that asked', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    const before = s.sim.counters.reclaimCalls;
    const call = new ReclaimCall(s.sim, cg, 512, { ...OPTS, source: SRC_PROACTIVE });
    call.run(Infinity);
    assert.equal(s.sim.counters.reclaimCalls - before, 1);
    assert.ok(call.reclaimed >= 512);
    assert.equal(cg.statH('pgsteal_proactive'), call.reclaimed);
    assert.equal(cg.statH('pgscan_proactive'), call.scanned);
    assert.equal(cg.statH('pgscan_direct') + cg.statH('pgsteal_direct'), 0);
  });
  it('frees clean page cache without I/O: usage drops by what it reclaimed', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null);
    s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    const call = new ReclaimCall(s.sim, cg, 1024, OPTS);
    call.run(Infinity);
    assert.equal(cg.usage, 16 * PPM - call.reclaimed);
  });
});

/** memory.reclaim `value` on a current kernel, against 16M of page cache and 16M of anon. */
const cacheAndAnon = (value: string): WritesOn =>
  writesOn(
    { 'kernel.profile': 'current' },
    [
      { name: 'cache', type: 'file', bytes: 16 * MB },
      { name: 'anon', type: 'anon', bytes: 16 * MB },
    ],
    [{ file: 'memory.reclaim', value }],
  );

describe('anon or file (A5)', () => {
  it('swappiness=0 on memory.reclaim drops page cache and leaves anon alone', () => {
    const { cg, first } = cacheAndAnon('24M swappiness=0');
    assert.equal(cg.statH('zswpout'), 0);
    assert.equal(cg.lruPages(1), 0);
    assert.equal(first.rc, EAGAIN);
  });
  it('swappiness=max reclaims anon only', () => {
    const { cg } = cacheAndAnon('8M swappiness=max');
    assert.equal(cg.lruPages(1), 16 * PPM);
    assert.ok(cg.statH('zswpout') >= 8 * PPM);
  });
  it('without swap room it takes file only, even when asked to swap', () => {
    const s = new Scripted();
    const cg = s.cgroup('test', null, { swapMax: 0 });
    s.resident(cg, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.resident(cg, { name: 'anon', type: 'anon', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', cg, 0, null), cg, 2048, true, SRC_DIRECT);
    assert.equal(cg.lruPages(0), 16 * PPM);
    assert.equal(cg.statH('zswpout'), 0);
    assert.ok(cg.lruPages(1) < 16 * PPM);
  });
});

describe('protection', () => {
  it('skips a cgroup within memory.min entirely', () => {
    const s = new Scripted();
    const parent = s.cgroup('p', null);
    const a = s.cgroup('p/a', parent, { min: 64 * MB });
    const b = s.cgroup('p/b', parent);
    s.resident(a, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.resident(b, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', parent, 0, null), parent, 2048, true, SRC_DIRECT);
    assert.equal(a.usage, 16 * PPM);
    assert.ok(b.usage < 16 * PPM);
  });
  it('takes from within memory.low only when nothing else gives, and counts a low event', () => {
    const s = new Scripted();
    const parent = s.cgroup('p', null);
    const a = s.cgroup('p/a', parent, { low: 64 * MB });
    s.resident(a, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', parent, 0, null), parent, 256, true, SRC_DIRECT);
    assert.ok(a.usage < 16 * PPM, 'the protected cgroup gave memory');
    assert.ok(a.eventsH('low') >= 1);
  });
  it('does not protect the cgroup reclaim was asked of', () => {
    const s = new Scripted();
    const a = s.cgroup('a', null, { min: 64 * MB });
    s.resident(a, { name: 'cache', type: 'file', bytes: 16 * MB });
    s.sim.finalize();
    s.sim.reclaimFor(new Task(99, 'r', a, 0, null), a, 256, true, SRC_DIRECT);
    assert.ok(a.usage <= 16 * PPM - 256);
  });
});
