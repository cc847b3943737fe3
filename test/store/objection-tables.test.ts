// The objection-lifecycle statements (src/store/objection-tables.ts) on the throttle thread and the
// nodes= revert thread: the objection claims, reply and implements edges against plain SQL, in the
// order the pass depends on, whole-archive and scoped to one thread's stored scope.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { ObjectionTables } from '../../src/store/objection-tables.ts';
import { GraphScopeTables } from '../../src/store/graph-scope-tables.ts';

const arc = sharedArchive([
  fixture('mbox', 'throttle-2019.mbox'),
  'data/corpus/threads/nodes-revert-2022.mbox',
]);
const STANCES = ['objects-to', 'nacks', 'proposes-alternative'];
const threadOf = (mid: string): number =>
  row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE message_id = ?', mid).t;
const REVERT = 'Y5xASNe1x8cusiTx@dhcp22.suse.cz';
const byId = (a: { id: number }, b: { id: number }): number => a.id - b.id;

describe('ObjectionTables, whole archive', () => {
  it('reads the paragraph claims with an objecting stance', () => {
    const t = new ObjectionTables(arc.db);
    const claims = rows<{
      id: number;
      kind: string;
      stance: string;
      author_id: number | null;
      message_id: number;
    }>(arc.db, 'SELECT id, kind, stance, author_id, message_id FROM claim_rows');
    const want = claims
      .filter((c) => c.kind === 'para' && STANCES.includes(c.stance))
      .map((c) => ({ id: c.id, author: c.author_id, message: c.message_id }));
    assert.ok(want.length > 0);
    assert.deepEqual(t.objections(STANCES).sort(byId), want.sort(byId));
    assert.deepEqual(t.objections([]), []);
    assert.deepEqual(
      t
        .objections(['proposes-alternative'])
        .map((c) => c.id)
        .sort((a, b) => a - b),
      claims
        .filter((c) => c.kind === 'para' && c.stance === 'proposes-alternative')
        .map((c) => c.id)
        .sort((a, b) => a - b),
    );
  });

  it('reads reply edges in (src, dst, relation) order with both ends', () => {
    const t = new ObjectionTables(arc.db);
    const got = [...t.replyEdges()];
    const edges = rows<{ s: number; d: number; r: string }>(
      arc.db,
      'SELECT src_claim_id AS s, dst_claim_id AS d, relation AS r FROM edges',
    ).filter((e) => e.r !== 'supersedes' && e.r !== 'implements');
    edges.sort((a, b) => a.s - b.s || a.d - b.d || (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
    assert.deepEqual(
      got.map((e) => [e.src, e.dst]),
      edges.map((e) => [e.s, e.d]),
    );
    const e = got[0]!;
    const src = row<{ author_id: number; stance: string; message_id: number }>(
      arc.db,
      'SELECT author_id, stance, message_id FROM claim_rows WHERE id = ?',
      e.src,
    );
    assert.deepEqual([e.author, e.stance, e.message], [src.author_id, src.stance, src.message_id]);
    assert.equal(
      e.date,
      row<{ date: string }>(arc.db, 'SELECT date FROM messages WHERE id = ?', e.message).date,
    );
    assert.equal(
      e.dst_author,
      row<{ a: number }>(arc.db, 'SELECT author_id AS a FROM claim_rows WHERE id = ?', e.dst).a,
    );
    assert.equal(t.messageOfClaim(e.src), e.message);
    assert.equal(t.messageOfClaim(999999), null);
  });

  it('reads implements edges and only those', () => {
    const t = new ObjectionTables(arc.db);
    assert.deepEqual(
      [...t.implementsEdges()].length,
      rows(arc.db, "SELECT * FROM edges WHERE relation = 'implements'").length,
    );
  });
});

describe('ObjectionTables, scoped', () => {
  it("reads and clears only the stored scope's objections", () => {
    const th = threadOf(REVERT);
    new GraphScopeTables(arc.db).store([th], []);
    const t = new ObjectionTables(arc.db, true);
    const inThread = (c: { message: number }): boolean =>
      row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE id = ?', c.message).t === th;
    const all = new ObjectionTables(arc.db).objections(STANCES);
    const scoped = t.objections(STANCES);
    assert.ok(scoped.length > 0 && scoped.length < all.length, 'both threads object');
    assert.deepEqual(scoped.sort(byId), all.filter(inThread).sort(byId));
    assert.ok([...t.replyEdges()].every((e) => inThread(e)));

    const before = rows<{ claim_id: number }>(arc.db, 'SELECT claim_id FROM objections');
    const outside = before.filter(
      (o) =>
        !inThread({
          message: row<{ m: number }>(
            arc.db,
            'SELECT message_id AS m FROM claim_rows WHERE id = ?',
            o.claim_id,
          ).m,
        }),
    );
    assert.ok(outside.length > 0 && outside.length < before.length);
    t.clear();
    assert.deepEqual(rows(arc.db, 'SELECT claim_id FROM objections'), outside);
  });

  it('stores an objection, rules by default', () => {
    const t = new ObjectionTables(arc.db);
    const c = t.objections(STANCES)[0]!;
    t.clear();
    assert.deepEqual(rows(arc.db, 'SELECT * FROM objections'), []);
    t.insert({
      claimId: c.id,
      status: 'open',
      evidenceClaimId: null,
      evidenceMessageId: c.message,
      evidence: 'test',
    });
    assert.deepEqual(
      row(
        arc.db,
        'SELECT status, evidence_message_id AS m, evidence, source, record_status, record FROM objections',
      ),
      { status: 'open', m: c.message, evidence: 'test', source: 'rules', record_status: null, record: null },
    );
  });
});
