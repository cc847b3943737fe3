/**
 * Page aging (src/model/aging.ts, docs/model.md "Page aging"): one test per rule of the kernel's
 * two-reference LRU, each named after the kernel function it follows. Every setup is one cgroup with
 * one 64-page region and no workload running, so nothing is accessed unless a test says so; an
 * access mass of 40 per page stands for "touched many times" (P(no access) = e^−40).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Simulator } from '../../src/model/sim.ts';
import { ReclaimCall } from '../../src/model/reclaim.ts';
import { resolveParams } from '../../src/model/params.ts';
import {
  L_ACTIVE_ANON,
  L_ACTIVE_FILE,
  L_INACTIVE_ANON,
  L_INACTIVE_FILE,
  SRC_PROACTIVE,
  type Memcg,
} from '../../src/model/memcg.ts';
import { F_REFERENCED, F_WORKINGSET, F_YOUNG, P_EVICTED, P_LRU, P_ZSWAP } from '../../src/model/page.ts';
import { checkReferences, REF_RECLAIM, REF_RECLAIM_CLEAN } from '../../src/model/aging.ts';
import type { Region, Task } from '../../src/model/task.ts';

const N = 64;
const MANY = 40;
const OPTS = { maySwap: true, source: SRC_PROACTIVE, swappiness: 60 };

interface Setup {
  sim: Simulator;
  cg: Memcg;
  r: Region;
  task: Task;
  call: ReclaimCall;
  pages: number[];
}

type Spec = Partial<Parameters<Simulator['addRegion']>[1]> & { type: 'anon' | 'file' };

/** One cgroup with a 64-page region of `spec`, all resident, and optionally a second region. */
function setup(spec: Spec, other?: Spec & { pages: number }): Setup {
  const sim = new Simulator(resolveParams({ 'sim.cpus': 1 }), 1);
  const cg = sim.addMemcg('job', sim.root);
  const proc = sim.addProcess('job:app', cg);
  const r = sim.addRegion(proc, { name: 'r', pages: N, initial: N, hz: 1, ...spec });
  if (other) sim.addRegion(proc, { name: 'other', initial: other.pages, hz: 1, ...other });
  const task = sim.addTask('job:t0', cg, proc);
  sim.finalize();
  const pages = Array.from({ length: N }, (_, i) => r.first + i);
  return { sim, cg, r, task, call: new ReclaimCall(sim, cg, 32, OPTS), pages };
}

const has = (s: Setup, p: number, flag: number): boolean => ((s.sim.pgFlags[p] ?? 0) & flag) !== 0;
const onList = (s: Setup, list: number): number => s.pages.filter((p) => s.sim.pgList[p] === list).length;

describe('page aging (docs/model.md "Page aging")', () => {
  it('folio_check_references (mm/vmscan.c): page cache read once has PG_referenced only and is reclaimed clean on the first scan', () => {
    const s = setup({ type: 'file' });
    for (const p of s.pages) {
      assert.ok(has(s, p, F_REFERENCED), 'read() marked it accessed');
      assert.ok(!has(s, p, F_YOUNG), 'no PTE to be young');
    }
    assert.equal(checkReferences(s.sim, s.pages[0] as number, true, false), REF_RECLAIM_CLEAN);
    assert.ok(!has(s, s.pages[0] as number, F_REFERENCED), 'PG_referenced is tested and cleared');
    const t = setup({ type: 'file' });
    assert.equal(t.call.shrinkInactive(t.cg, L_INACTIVE_FILE, N), N);
    assert.equal(t.cg.usage, 0);
    assert.ok(t.pages.every((p) => t.sim.pgState[p] === P_EVICTED));
  });

  it('folio_check_references (mm/vmscan.c): a swap-backed page with PG_referenced but no young PTE is reclaimed', () => {
    const s = setup({ type: 'anon' });
    // Scan 1 finds the young PTEs of the faults: kept, marked referenced. Nothing touches it after.
    assert.equal(s.call.shrinkInactive(s.cg, L_INACTIVE_ANON, N), 0);
    assert.ok(s.pages.every((p) => has(s, p, F_REFERENCED)));
    assert.equal(checkReferences(s.sim, s.pages[0] as number, false, false), REF_RECLAIM, 'not clean: anon');
    // Scan 2: not young since, so swapped out whatever PG_referenced said.
    assert.equal(s.call.shrinkInactive(s.cg, L_INACTIVE_ANON, N), N);
    assert.ok(s.pages.every((p) => s.sim.pgState[p] === P_ZSWAP));
    assert.equal(s.cg.statH('zswpout'), N);
  });

  it('folio_check_references (mm/vmscan.c): a mapped page found young is kept with PG_referenced, and activated when found young on a later scan', () => {
    const s = setup({ type: 'anon' });
    // Touched many times since the fault: still one young PTE, so one reference.
    s.sim.accessRegion(s.r, MANY);
    assert.equal(s.call.shrinkInactive(s.cg, L_INACTIVE_ANON, N), 0);
    assert.equal(onList(s, L_INACTIVE_ANON), N, 'kept on the inactive list');
    assert.ok(s.pages.every((p) => has(s, p, F_REFERENCED)));
    assert.equal(s.cg.statH('pgactivate'), 0);
    s.sim.accessRegion(s.r, MANY);
    s.call.shrinkInactive(s.cg, L_INACTIVE_ANON, N);
    assert.equal(onList(s, L_ACTIVE_ANON), N, 'young again on the second scan: activated');
    assert.equal(s.cg.statH('pgactivate'), N);
    // An activated page keeps PG_referenced, so after deactivation one young scan recovers it.
    assert.ok(s.pages.every((p) => has(s, p, F_REFERENCED)));
  });

  it('folio_check_references (mm/vmscan.c): young PTEs in more than one process (referenced_ptes > 1) activate on the first scan', () => {
    const shared = setup({ type: 'anon', mappers: 3 });
    shared.sim.accessRegion(shared.r, MANY);
    shared.call.shrinkInactive(shared.cg, L_INACTIVE_ANON, N);
    assert.equal(onList(shared, L_ACTIVE_ANON), N);
    // The same use by one process is one young PTE: kept for a second look.
    const own = setup({ type: 'anon', mappers: 1 });
    own.sim.accessRegion(own.r, MANY);
    own.call.shrinkInactive(own.cg, L_INACTIVE_ANON, N);
    assert.equal(onList(own, L_INACTIVE_ANON), N);
  });

  it('folio_check_references (mm/vmscan.c): a young page of a VM_EXEC file mapping is activated on its first scan; other mapped file pages are kept', () => {
    const text = setup({ type: 'file', exec: true });
    assert.ok(text.pages.every((p) => has(text, p, F_YOUNG) && !has(text, p, F_REFERENCED)));
    assert.equal(text.call.shrinkInactive(text.cg, L_INACTIVE_FILE, N), 0);
    assert.equal(onList(text, L_ACTIVE_FILE), N);
    const data = setup({ type: 'file', mapped: true });
    assert.equal(data.call.shrinkInactive(data.cg, L_INACTIVE_FILE, N), 0);
    assert.equal(onList(data, L_INACTIVE_FILE), N, 'mmap data: kept, not activated');
    assert.ok(data.pages.every((p) => has(data, p, F_REFERENCED)));
  });

  it('folio_mark_accessed (mm/swap.c): a second read activates an inactive page at the time of the access', () => {
    const s = setup({ type: 'file' });
    const p = s.pages[5] as number;
    const age = s.cg.nonresidentAge;
    s.sim.markAccessed(p);
    assert.equal(s.sim.pgList[p], L_ACTIVE_FILE, 'active without any reclaim scan');
    assert.ok(!has(s, p, F_REFERENCED), 'activation clears PG_referenced');
    assert.equal(s.cg.statH('pgactivate'), 1);
    assert.equal(s.cg.nonresidentAge, age + 1, 'workingset_activation() ages the refault clock');
    s.sim.markAccessed(p);
    assert.equal(s.sim.pgList[p], L_ACTIVE_FILE);
    assert.ok(has(s, p, F_REFERENCED), 'a read of an active page sets PG_referenced');
    // Reads from a running workload reach every page through the access queue.
    const t = setup({ type: 'file' });
    t.sim.accessRegion(t.r, MANY);
    assert.equal(onList(t, L_ACTIVE_FILE), N);
    // A page whose first reference was aged away: one read only marks it.
    const u = setup({ type: 'file', aged: true });
    const q = u.pages[0] as number;
    assert.ok(!has(u, q, F_REFERENCED));
    u.sim.markAccessed(q);
    assert.equal(u.sim.pgList[q], L_INACTIVE_FILE);
    assert.ok(has(u, q, F_REFERENCED));
  });

  it('shrink_active_list (mm/vmscan.c): a young VM_EXEC file page stays active; others are deactivated, marked workingset, keeping PG_referenced', () => {
    const text = setup({ type: 'file', exec: true, initialActive: true });
    text.call.shrinkActive(text.cg, L_ACTIVE_FILE, N);
    assert.equal(onList(text, L_ACTIVE_FILE), N);
    assert.equal(text.cg.statH('pgdeactivate'), 0);
    const data = setup({ type: 'file', mapped: true, initialActive: true });
    data.call.shrinkActive(data.cg, L_ACTIVE_FILE, N);
    assert.equal(onList(data, L_INACTIVE_FILE), N);
    assert.equal(data.cg.statH('pgdeactivate'), N);
    assert.ok(data.pages.every((p) => has(data, p, F_WORKINGSET) && has(data, p, F_REFERENCED)));
  });

  it('folio_mark_accessed + shrink_active_list: page cache read while active needs one read to come back after deactivation, idle page cache two', () => {
    const s = setup({ type: 'file' });
    const [used, idle] = [s.pages[0] as number, s.pages[1] as number];
    s.sim.markAccessed(used);
    s.sim.markAccessed(idle);
    // Both active now; only `used` is read again while active.
    s.sim.markAccessed(used);
    s.call.shrinkActive(s.cg, L_ACTIVE_FILE, N);
    assert.equal(s.sim.pgList[used], L_INACTIVE_FILE);
    assert.equal(s.sim.pgList[idle], L_INACTIVE_FILE);
    assert.ok(has(s, used, F_REFERENCED) && !has(s, idle, F_REFERENCED));
    s.sim.markAccessed(used);
    s.sim.markAccessed(idle);
    assert.equal(s.sim.pgList[used], L_ACTIVE_FILE, 'one read reactivates it');
    assert.equal(s.sim.pgList[idle], L_INACTIVE_FILE, 'one read only marks it');
  });

  it('workingset_refault (mm/workingset.c): a refault within the workingset is activated; a read() refault carries PG_referenced, an anon one a young PTE', () => {
    const s = setup({ type: 'file' });
    // Two pages read again (active: a workingset of 2 file pages), the other 62 evicted.
    s.sim.markAccessed(s.pages[10] as number);
    s.sim.markAccessed(s.pages[11] as number);
    assert.equal(s.call.shrinkInactive(s.cg, L_INACTIVE_FILE, N), N - 2);
    // The last page evicted refaults at distance 1 (eviction reads the clock, then ages it).
    const last = s.pages[N - 1] as number;
    assert.equal(s.sim.faultIn(s.task, last), true);
    assert.equal(s.sim.pgList[last], L_ACTIVE_FILE);
    assert.equal(s.cg.statH('workingset_activate_file'), 1);
    assert.ok(has(s, last, F_REFERENCED) && !has(s, last, F_YOUNG));
    // The first page evicted is 62 evictions and one activation away, beyond 3 active pages.
    const first = s.pages[0] as number;
    s.sim.faultIn(s.task, first);
    assert.equal(s.sim.pgList[first], L_INACTIVE_FILE);
    assert.equal(s.cg.statH('workingset_activate_file'), 1);
    assert.ok(has(s, first, F_REFERENCED) && !has(s, first, F_YOUNG));
    assert.equal(
      checkReferences(s.sim, first, true, false),
      REF_RECLAIM_CLEAN,
      'not read again: reclaimable',
    );

    // Anon pages not used since the last scan, next to 8 pages of page cache (the workingset size of
    // an anon refault counts the inactive file list).
    const a = setup({ type: 'anon', aged: true }, { type: 'file', pages: 8 });
    assert.equal(a.call.shrinkInactive(a.cg, L_INACTIVE_ANON, N), N);
    const p = a.pages[N - 1] as number;
    assert.equal(a.sim.faultIn(a.task, p), true);
    assert.equal(a.sim.pgState[p], P_LRU);
    assert.equal(a.sim.pgList[p], L_ACTIVE_ANON);
    assert.equal(a.cg.statH('workingset_activate_anon'), 1);
    assert.ok(has(a, p, F_YOUNG) && !has(a, p, F_REFERENCED), 'young PTE, no PG_referenced');
  });

  it('folio_check_references + folio_mark_accessed: the first reclaim of freshly read page cache scans about what it frees', () => {
    const sim = new Simulator(resolveParams({ 'sim.cpus': 1 }), 1);
    const cg = sim.addMemcg('job', sim.root);
    const proc = sim.addProcess('job:app', cg);
    sim.addRegion(proc, { name: 'cache', type: 'file', pages: 16384, hz: 0, initial: 16384 });
    sim.finalize();
    const call = new ReclaimCall(sim, cg, 32, OPTS);
    call.run(Infinity);
    assert.ok(call.reclaimed >= 32 && call.reclaimed <= 64, `reclaimed ${call.reclaimed}`);
    assert.ok(call.scanned <= 2 * call.reclaimed, `scanned ${call.scanned} for ${call.reclaimed}`);
  });
});
