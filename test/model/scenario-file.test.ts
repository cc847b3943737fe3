/**
 * Scenario files (src/model/scenario-file.ts): the format is validated strictly, every error names
 * the JSON path of the bad field, and each named limit refuses what it guards against.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  parseScenarioFile,
  SCENARIO_FORMAT,
  SCENARIO_LIMITS,
  ScenarioFileError,
} from '../../src/model/scenario-file.ts';

const EXAMPLE = new URL('../fixtures/scenarios/hundred-services.json', import.meta.url);

/** A minimal valid document, with `patch` applied on top. */
function doc(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: SCENARIO_FORMAT,
    duration: 10,
    tree: { name: 'top', children: [{ name: 'a', workload: { hot: '1M' } }] },
    ...patch,
  };
}

/** The path a document's validation error names. */
function errorPath(d: unknown): string {
  try {
    parseScenarioFile(typeof d === 'string' ? d : JSON.stringify(d));
  } catch (e) {
    assert.ok(e instanceof ScenarioFileError, String(e));
    assert.ok(e.message.startsWith(e.path + ': '), e.message);
    return e.path;
  }
  assert.fail('expected a ScenarioFileError');
}

describe('scenario file format', () => {
  it('the example parses: 129 cgroups in pre-order, counts expanded, writes expanded and in time order', () => {
    const f = parseScenarioFile(readFileSync(EXAMPLE, 'utf8'));
    assert.equal(f.nodes.length, 129);
    assert.equal(f.nodes[0]?.path, 'services');
    assert.equal(f.nodes[1]?.path, 'services/svc0');
    assert.equal(f.nodes[96]?.path, 'services/svc95');
    assert.equal(f.nodes[97]?.path, 'services/prot0');
    assert.equal(f.nodes[97]?.low, (40 << 20) / 4096);
    assert.ok(f.nodes.slice(1).every((n) => n.parent === 0 && n.depth === 1));
    assert.equal(f.durationS, 3600);
    assert.equal(f.writes.filter((w) => w.file === 'memory.reclaim').length, 12);
    for (let i = 1; i < f.writes.length; i++)
      assert.ok((f.writes[i]?.atS ?? 0) >= (f.writes[i - 1]?.atS ?? 0));
    const g = f.writes.find((w) => w.file === 'global');
    assert.equal(g?.node, -1);
    assert.equal(g?.reclaimer, 'kswapd');
  });

  it('a nested tree is expanded in pre-order with children under every copy', () => {
    const f = parseScenarioFile(
      JSON.stringify(
        doc({
          tree: {
            name: 'top',
            children: [{ name: 'g', count: 2, children: [{ name: 'leaf', count: 2 }] }, { name: 'z' }],
          },
        }),
      ),
    );
    assert.deepEqual(
      f.nodes.map((n) => n.path),
      ['top', 'top/g0', 'top/g0/leaf0', 'top/g0/leaf1', 'top/g1', 'top/g1/leaf0', 'top/g1/leaf1', 'top/z'],
    );
    for (const [i, n] of f.nodes.entries()) if (n.parent >= 0) assert.ok(n.parent < i);
  });

  it('names the JSON path of a bad field', () => {
    assert.equal(errorPath(doc({ format: 'x' })), '$.format');
    assert.equal(errorPath(doc({ durations: 1 })), '$.durations');
    assert.equal(errorPath(doc({ duration: -1 })), '$.duration');
    assert.equal(errorPath(doc({ profile: 'v9' })), '$.profile');
    assert.equal(
      errorPath(doc({ tree: { name: 'top', children: [{ name: 'a', workload: { hot: '-3M' } }] } })),
      '$.tree.children[0].workload.hot',
    );
    assert.equal(
      errorPath(doc({ tree: { name: 'top', children: [{ name: 'a' }, { name: 'b', hgh: '1G' }] } })),
      '$.tree.children[1].hgh',
    );
    assert.equal(errorPath(doc({ tree: { name: '../etc' } })), '$.tree.name');
    assert.equal(
      errorPath(doc({ tree: { name: 'top', children: [{ name: 'a' }, { name: 'a' }] } })),
      '$.tree.children[1].name',
    );
    assert.equal(
      errorPath(doc({ writes: [{ at: 1, cgroup: 'top/nope', file: 'memory.reclaim', value: '1M' }] })),
      '$.writes[0].cgroup',
    );
    assert.equal(
      errorPath(doc({ writes: [{ at: 1, cgroup: 'top', file: 'memory.reclaim', value: 'lots' }] })),
      '$.writes[0].value',
    );
    assert.equal(
      errorPath(doc({ writes: [{ at: 1, cgroup: 'top', file: 'memory.swap', value: '1M' }] })),
      '$.writes[0].file',
    );
    assert.equal(
      errorPath(doc({ writes: [{ at: 20, cgroup: 'top', file: 'memory.reclaim', value: '1M' }] })),
      '$.writes[0].at',
    );
    assert.equal(
      errorPath(doc({ writes: [{ at: 1, file: 'global', cgroup: 'top', value: '1M' }] })),
      '$.writes[0].cgroup',
    );
    assert.equal(
      errorPath(doc({ writes: [{ at: 1, cgroup: 'top', file: 'memory.reclaim', value: '1M', repeat: 3 }] })),
      '$.writes[0].every',
    );
    assert.equal(errorPath(doc({ set: { 'workload.hot': '1G' } })), '$.set["workload.hot"]');
    assert.equal(errorPath(doc({ set: { 'sim.quantumUs': 1 } })), '$.set["sim.quantumUs"]');
    assert.equal(errorPath(doc({ set: { 'sim.duration': 5 } })), '$.set["sim.duration"]');
    assert.equal(errorPath('{"format": '), '$');
  });

  it('refuses what each named limit guards against', () => {
    const { maxCgroups, maxCount, maxWrites, maxPages, maxThreads, maxJsonDepth, maxDepth, maxFileBytes } =
      SCENARIO_LIMITS;
    // Expansion: a count at the limit under a count of 2 is twice the cgroup limit.
    assert.equal(
      errorPath(
        doc({
          tree: {
            name: 't',
            children: [{ name: 'g', count: 2, children: [{ name: 'l', count: maxCount }] }],
          },
        }),
      ),
      '$.tree.children[0].children[0]',
    );
    assert.ok(maxCount * 2 > maxCgroups);
    assert.equal(
      errorPath(doc({ tree: { name: 't', children: [{ name: 'l', count: maxCount + 1 }] } })),
      '$.tree.children[0].count',
    );
    // Writes: a repeat that expands past the limit.
    assert.equal(
      errorPath(
        doc({
          duration: 86400,
          writes: [
            { at: 0, cgroup: 'top', file: 'memory.reclaim', value: '1M', every: 1, repeat: maxWrites },
            { at: 0, cgroup: 'top', file: 'memory.reclaim', value: '1M' },
          ],
        }),
      ),
      '$.writes[1]',
    );
    // Memory: the page store.
    assert.equal(
      errorPath(
        doc({
          tree: {
            name: 'top',
            children: [{ name: 'a', count: 2, workload: { cold: `${(maxPages * 4096) / 2 + 4096}` } }],
          },
        }),
      ),
      '$.tree.children[0].workload',
    );
    // Threads.
    assert.equal(
      errorPath(
        doc({
          tree: {
            name: 'top',
            children: [{ name: 'a', count: maxThreads / 64 + 1, workload: { threads: 64 } }],
          },
        }),
      ),
      '$.tree.children[0].workload.threads',
    );
    // JSON nesting, checked before anything walks the document.
    let deep: unknown = 1;
    for (let i = 0; i < maxJsonDepth + 1; i++) deep = [deep];
    assert.equal(errorPath(doc({ description: deep })), '$');
    // Tree depth.
    let node: Record<string, unknown> = { name: 'x' };
    for (let i = 0; i < maxDepth + 1; i++) node = { name: `d${i}`, children: [node] };
    assert.match(errorPath(doc({ tree: node })), /^\$\.tree(\.children\[0\])+$/);
    // File size.
    assert.equal(errorPath(' '.repeat(maxFileBytes + 1)), '$');
  });

  it('accepts the parameters a file may set and parses them', () => {
    const f = parseScenarioFile(
      JSON.stringify(doc({ set: { 'kernel.memcgWalk': 'partial', 'sim.quantumUs': 5000 } })),
    );
    assert.equal(f.set['kernel.memcgWalk'], 'partial');
    assert.equal(f.set['sim.quantumUs'], 5000);
  });
});

describe('fixed-work jobs in scenario files', () => {
  const base = (workload: Record<string, unknown>) =>
    JSON.stringify({ format: SCENARIO_FORMAT, duration: 10, tree: { name: 'j', workload } });

  it('reads work as seconds of useful CPU per thread', () => {
    const f = parseScenarioFile(base({ hot: '4M', threads: 2, work: '1.5s' }));
    assert.equal(f.nodes[0]?.workload?.workUs, 1.5e6);
    assert.equal(parseScenarioFile(base({ hot: '4M' })).nodes[0]?.workload?.workUs, null);
  });

  it('refuses a job without threads, naming the field', () => {
    assert.throws(
      () => parseScenarioFile(base({ hot: '4M', threads: 0, work: 5 })),
      (e: Error) => e.message.startsWith('$.tree.workload.work:'),
    );
    assert.throws(
      () => parseScenarioFile(base({ hot: '4M', work: '-3s' })),
      (e: Error) => e.message.startsWith('$.tree.workload.work:'),
    );
  });
});

describe('controllers and sweeps in scenario files', () => {
  const doc = (extra: Record<string, unknown>) =>
    JSON.stringify({
      format: SCENARIO_FORMAT,
      duration: 10,
      tree: { name: 'j', workload: { hot: '4M', threads: 1 } },
      ...extra,
    });
  const fails = (extra: Record<string, unknown>, path: string) =>
    assert.throws(
      () => parseScenarioFile(doc(extra)),
      (e: Error) => e.message.startsWith(path + ':'),
      path,
    );

  it('reads a controller on a cgroup of the tree with its agent.* settings', () => {
    const f = parseScenarioFile(
      doc({ controller: { cgroup: 'j', kind: 'senpai', set: { 'agent.pressureUs': 5000 } } }),
    );
    assert.deepEqual(f.controller, { node: 0, kind: 'senpai', set: { 'agent.pressureUs': 5000 } });
    assert.equal(f.sweep, null);
  });

  it('refuses a bad controller or sweep, naming the field', () => {
    fails({ controller: { cgroup: 'nope', kind: 'tmo' } }, '$.controller.cgroup');
    fails({ controller: { cgroup: 'j', kind: 'oneshot' } }, '$.controller.kind');
    fails(
      { controller: { cgroup: 'j', kind: 'tmo', set: { 'sim.cpus': 2 } } },
      '$.controller.set["sim.cpus"]',
    );
    fails(
      { controller: { cgroup: 'j', kind: 'tmo', set: { 'agent.kind': 'tmo' } } },
      '$.controller.set["agent.kind"]',
    );
    fails({ sweep: { key: 'agent.tmoPsiPct', values: [1] } }, '$.sweep.key');
    fails({ sweep: { key: 'workload.hot', values: [1] } }, '$.sweep.key');
    fails({ sweep: { key: 'kernel.dirty_ratio', values: [] } }, '$.sweep.values');
    fails({ sweep: { key: 'kernel.dirty_ratio', values: [0] } }, '$.sweep.values[0]');
    fails(
      { sweep: { key: 'kernel.dirty_ratio', values: Array.from({ length: 33 }, () => 5) } },
      '$.sweep.values',
    );
  });

  it('the example files parse', () => {
    for (const name of ['fixed-job', 'build', 'controller-sweep']) {
      const text = readFileSync(new URL(`../fixtures/scenarios/${name}.json`, import.meta.url), 'utf8');
      assert.ok(parseScenarioFile(text).nodes.length > 0, name);
    }
  });
});
