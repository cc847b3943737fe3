// collectGraph (src/graph/export-json.ts) on the throttle thread and the nodes= v3 posting with its
// revert (two series), built by the real ingest: which claims and edges a thread, a series and the
// whole archive hold, checked against plain SQL over claim_rows and edges.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { collectGraph } from '../../src/graph/export-json.ts';
import { UserError } from '../../src/util/errors.ts';

const arc = sharedArchive([
  fixture('mbox', 'throttle-2019.mbox'),
  'data/corpus/threads/nodes-v3-2022.mbox',
  'data/corpus/threads/nodes-revert-2022.mbox',
]);
const V3 = '20190501184104.GA30293@chrisdown.name';
const REVERT = 'Y5xASNe1x8cusiTx@dhcp22.suse.cz';
const key = (mid: string, kind: string, n: number): string => `${mid}#${kind === 'para' ? 'p' : 't'}${n}`;

/** The claims of some threads as SQL sees them, with their keys, and the edges between them. */
function oracle(threads: number[] | null): { all: Set<string>; kept: Set<string>; edges: string[] } {
  const cs = rows<{ id: number; mid: string; kind: string; n: number; stance: string; t: number }>(
    arc.db,
    `SELECT c.id, m.message_id AS mid, c.kind, c.n, c.stance, m.thread_id AS t
     FROM claim_rows c JOIN messages m ON m.id = c.message_id`,
  ).filter((c) => threads === null || threads.includes(c.t));
  const byId = new Map(cs.map((c) => [c.id, c]));
  const es = rows<{ s: number; d: number; r: string }>(
    arc.db,
    'SELECT src_claim_id AS s, dst_claim_id AS d, relation AS r FROM edges',
  ).filter((e) => byId.has(e.s) && byId.has(e.d));
  const touched = new Set(es.flatMap((e) => [e.s, e.d]));
  const kept = cs.filter((c) => c.stance !== 'neutral' || touched.has(c.id));
  const k = (id: number): string => {
    const c = byId.get(id)!;
    return key(c.mid, c.kind, c.n);
  };
  return {
    all: new Set(cs.map((c) => key(c.mid, c.kind, c.n))),
    kept: new Set(kept.map((c) => key(c.mid, c.kind, c.n))),
    edges: es.map((e) => `${k(e.s)} ${e.r} ${k(e.d)}`).sort(),
  };
}
const threadOf = (mid: string): number =>
  row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE message_id = ?', mid).t;
const edgeKeys = (g: ReturnType<typeof collectGraph>): string[] =>
  g.edges.map((e) => `${e.from} ${e.relation} ${e.to}`).sort();

describe('collectGraph', () => {
  it('a thread: its claims but idle neutral ones, and the edges between them', () => {
    const g = collectGraph(arc.db, { thread: V3 });
    const th = threadOf(V3);
    assert.deepEqual(g.scope, {
      kind: 'thread',
      id: String(th),
      title: '[PATCH v3] mm: Throttle allocators when failing reclaim over memory.high',
    });
    const o = oracle([th]);
    assert.deepEqual(new Set(g.claims.map((c) => c.key)), o.kept);
    assert.ok(o.kept.size < o.all.size, 'the thread has idle neutral claims (sign-offs, greetings)');
    assert.deepEqual(edgeKeys(g), o.edges);
    assert.equal(g.series, null);
    assert.equal(
      collectGraph(arc.db, { thread: String(th) }).claims.length,
      g.claims.length,
      'by thread id too',
    );
  });

  it('keeps every claim when asked', () => {
    const th = threadOf(V3);
    const g = collectGraph(arc.db, { thread: V3, dropIdleNeutral: false });
    assert.deepEqual(new Set(g.claims.map((c) => c.key)), oracle([th]).all);
  });

  it("carries each claim's topics and objection status", () => {
    const g = collectGraph(arc.db, { thread: V3 });
    const ids = new Map(
      rows<{ id: number; mid: string; kind: string; n: number }>(
        arc.db,
        'SELECT c.id, m.message_id AS mid, c.kind, c.n FROM claim_rows c JOIN messages m ON m.id = c.message_id',
      ).map((c) => [key(c.mid, c.kind, c.n), c.id]),
    );
    for (const c of g.claims) {
      const id = ids.get(c.key)!;
      assert.deepEqual(
        [...c.topics].sort(),
        rows<{ topic: string }>(arc.db, 'SELECT topic FROM claim_topics WHERE claim_id = ?', id)
          .map((r) => r.topic)
          .sort(),
      );
      const o = row<{ status: string } | undefined>(
        arc.db,
        'SELECT status FROM objections WHERE claim_id = ?',
        id,
      );
      assert.equal(c.status, o?.status ?? null, c.key);
    }
    assert.ok(
      g.claims.some((c) => c.status !== null),
      'Michal Hocko objects in the thread',
    );
  });

  it('a series: the threads of all its postings, with its timeline', () => {
    const g = collectGraph(arc.db, { series: REVERT });
    assert.equal(g.scope.kind, 'series');
    assert.equal(g.scope.title, 'mm: Add nodes= arg to memory.reclaim');
    assert.equal(g.series?.postings.length, 2, 'nodes= v3 and its revert');
    const threads = [
      ...new Set(
        rows<{ t: number }>(
          arc.db,
          'SELECT m.thread_id AS t FROM patches p JOIN messages m ON m.id = p.message_id WHERE p.series_id = ?',
          Number(g.scope.id),
        ).map((r) => r.t),
      ),
    ];
    const o = oracle(threads);
    assert.deepEqual(new Set(g.claims.map((c) => c.key)), o.kept);
    assert.deepEqual(edgeKeys(g), o.edges);
  });

  it('the archive: everything; an unknown thread or series is a user error', () => {
    const g = collectGraph(arc.db, {});
    assert.deepEqual(g.scope, { kind: 'archive', id: 'all', title: null });
    const o = oracle(null);
    assert.deepEqual(new Set(g.claims.map((c) => c.key)), o.kept);
    assert.deepEqual(edgeKeys(g), o.edges);
    assert.throws(() => collectGraph(arc.db, { series: 'no such series' }), UserError);
    assert.throws(() => collectGraph(arc.db, { thread: 'nobody@example.org' }), UserError);
  });
});
