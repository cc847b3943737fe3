// The graph build's per-thread statements (src/store/graph-tables.ts) on the throttle thread and
// the nodes= revert thread, built by the real ingest: reads against plain SQL over the tables, the
// deletes checked row by row, and queued writes that reach the tables only on flush.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { GraphTables } from '../../src/store/graph-tables.ts';

const arc = sharedArchive([
  fixture('mbox', 'throttle-2019.mbox'),
  'data/corpus/threads/nodes-revert-2022.mbox',
]);
const idOf = (mid: string): number =>
  row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE message_id = ?', mid).id;
const threadOf = (mid: string): number =>
  row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE message_id = ?', mid).t;
const count = (sql: string, ...p: unknown[]): number => rows(arc.db, sql, ...p).length;
const V3 = '20190501184104.GA30293@chrisdown.name';
const REVERT = 'Y5xASNe1x8cusiTx@dhcp22.suse.cz';

describe('GraphTables reads', () => {
  it('lists each thread once and maps messages to their threads', () => {
    const t = new GraphTables(arc.db);
    const want = [
      ...new Set(rows<{ t: number | null }>(arc.db, 'SELECT thread_id AS t FROM messages').map((r) => r.t)),
    ]
      .filter((x) => x !== null)
      .sort((a, b) => a! - b!);
    assert.deepEqual(
      t.threadIds().sort((a, b) => a - b),
      want,
    );
    assert.deepEqual(
      t.threadsOfMessages([idOf(V3), idOf(REVERT), idOf(V3), 999999]).sort(),
      [threadOf(V3), threadOf(REVERT)].sort(),
    );
    assert.deepEqual(t.threadsOfMessages([]), []);
  });

  it("reads a thread's messages, ghosts too, by date then row id, with the subject flags", () => {
    const t = new GraphTables(arc.db);
    const got = t.threadMessages(threadOf(V3));
    const want = rows<{ id: number; date: string | null; g: number }>(
      arc.db,
      'SELECT id, date, is_ghost AS g FROM messages WHERE thread_id = ?',
      threadOf(V3),
    ).sort((a, b) =>
      a.date === b.date ? a.id - b.id : a.date === null ? -1 : b.date === null ? 1 : a.date < b.date ? -1 : 1,
    );
    assert.deepEqual(
      got.map((m) => m.id),
      want.map((m) => m.id),
    );
    const v3 = got.find((m) => m.message_id === V3)!;
    assert.equal(v3.is_patch, 1, '"[PATCH v3] …" is a patch');
    assert.equal(v3.is_reply, 0);
    const re = got.find((m) => m.message_id === '20190507084419.GM31017@dhcp22.suse.cz')!;
    assert.equal(re.is_reply, 1, '"Re: [PATCH v3] …" is a reply');
    for (const g of got.filter((m) => m.is_ghost === 1))
      assert.equal(g.is_patch, null, 'a ghost has no subject row');
  });

  it('names the signers of a patch: the Signed-off-by people, not the Acked-by ones', () => {
    const t = new GraphTables(arc.db);
    const chris = row<{ p: number }>(
      arc.db,
      "SELECT person_id AS p FROM person_addresses WHERE addr = 'chris@chrisdown.name'",
    ).p;
    assert.deepEqual(t.signers(idOf(V3)), [chris]);
    // Johannes Weiner's reply to v4 carries only an Acked-by
    assert.deepEqual(t.signers(idOf('20190723205026.GB30522@cmpxchg.org')), []);
  });

  it('reports the highest segment and claim ids', () => {
    const t = new GraphTables(arc.db);
    assert.equal(t.maxSegmentId(), row<{ m: number }>(arc.db, 'SELECT MAX(id) AS m FROM segment_spans').m);
    assert.equal(t.maxClaimId(), row<{ m: number }>(arc.db, 'SELECT MAX(id) AS m FROM claim_rows').m);
    assert.ok(t.maxClaimId() > 0);
  });
});

describe('GraphTables writes', () => {
  it("deletes one thread's graph and leaves the other's", () => {
    const t = new GraphTables(arc.db);
    const th = threadOf(REVERT);
    const inThread =
      'SELECT c.id FROM claim_rows c JOIN messages m ON m.id = c.message_id WHERE m.thread_id = ?';
    const otherClaims = count(
      'SELECT c.id FROM claim_rows c JOIN messages m ON m.id = c.message_id WHERE m.thread_id <> ?',
      th,
    );
    assert.ok(count(inThread, th) > 0 && otherClaims > 0);
    assert.ok(count(`SELECT claim_id FROM objections WHERE claim_id IN (${inThread})`, th) > 0);
    t.deleteThreadGraph([th]);
    assert.equal(count(inThread, th), 0);
    assert.equal(
      count(
        'SELECT s.id FROM segment_spans s JOIN messages m ON m.id = s.message_id WHERE m.thread_id = ?',
        th,
      ),
      0,
    );
    assert.equal(
      count(
        'SELECT * FROM edges WHERE src_claim_id NOT IN (SELECT id FROM claim_rows) OR dst_claim_id NOT IN (SELECT id FROM claim_rows)',
      ),
      0,
    );
    assert.equal(count('SELECT * FROM claim_topics WHERE claim_id NOT IN (SELECT id FROM claim_rows)'), 0);
    assert.equal(count('SELECT * FROM objections WHERE claim_id NOT IN (SELECT id FROM claim_rows)'), 0);
    assert.equal(
      count(
        'SELECT c.id FROM claim_rows c JOIN messages m ON m.id = c.message_id WHERE m.thread_id <> ?',
        th,
      ),
      otherClaims,
    );
  });

  it('queues claims and edges until flush, and counts only new edges', () => {
    const t = new GraphTables(arc.db);
    const m = idOf(V3);
    const base = t.maxClaimId();
    const seg = t.maxSegmentId() + 1;
    const claim = (id: number): Parameters<GraphTables['insertClaim']>[0] => ({
      id,
      messageId: m,
      segmentId: seg,
      kind: 'para',
      n: 100 + id - base,
      start: 0,
      end: 1,
      authorId: null,
      stance: 'neutral',
      stanceReason: 'test',
      confidence: 1,
      ruleStance: 'neutral',
      modelStance: null,
      altStance: null,
      altP: null,
      stanceSource: 'rules',
    });
    t.insertSegment({
      id: seg,
      messageId: m,
      seq: 100,
      kind: 'own',
      depth: 0,
      start: 0,
      end: 1,
      para: null,
      file: null,
      sourceMessageId: null,
      sourceSegmentId: null,
      confidence: null,
      method: null,
    });
    t.insertClaim(claim(base + 1));
    t.insertClaim(claim(base + 2));
    t.insertEdge(base + 2, base + 1, 'responds-to', 'test');
    t.insertEdge(base + 2, base + 1, 'responds-to', 'test again');
    t.insertTopic(base + 1, 'test-topic', 'text');
    assert.equal(count('SELECT id FROM claim_rows WHERE id > ?', base), 0, 'nothing written before flush');
    t.flush();
    assert.equal(count('SELECT id FROM claim_rows WHERE id > ?', base), 2);
    assert.equal(t.maxSegmentId(), seg);
    assert.deepEqual(rows(arc.db, 'SELECT message_id AS m, seq FROM segment_spans WHERE id = ?', seg), [
      { m, seq: 100 },
    ]);
    assert.equal(t.edgesAdded, 1, 'the duplicate edge is ignored');
    assert.deepEqual(rows(arc.db, 'SELECT evidence FROM edges WHERE src_claim_id = ?', base + 2), [
      { evidence: 'test' },
    ]);
    assert.deepEqual(rows(arc.db, 'SELECT topic FROM claim_topics WHERE claim_id = ?', base + 1), [
      { topic: 'test-topic' },
    ]);
  });

  it('deletes the version edges and, on clear, the whole per-thread graph', () => {
    const t = new GraphTables(arc.db);
    assert.ok(count("SELECT * FROM edges WHERE relation = 'supersedes'") > 0, 'v4 supersedes v3');
    const replies = count(
      "SELECT * FROM edges WHERE relation NOT IN ('supersedes', 'implements') AND evidence NOT LIKE 'carried%'",
    );
    t.deleteVersionEdges();
    assert.equal(
      count("SELECT * FROM edges WHERE relation IN ('supersedes', 'implements') OR evidence LIKE 'carried%'"),
      0,
    );
    assert.equal(count('SELECT * FROM edges'), replies);
    t.clearThreadGraph();
    for (const table of ['segment_spans', 'claim_rows', 'edges', 'claim_topics', 'objections'])
      assert.equal(count(`SELECT * FROM ${table}`), 0, table);
    assert.equal(t.maxClaimId(), 0);
    assert.equal(t.maxSegmentId(), 0);
  });
});
