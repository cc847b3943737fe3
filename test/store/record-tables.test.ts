// The decision-record pass's statements (src/store/record-tables.ts) on the throttle thread: reads
// against plain SQL, Johannes Weiner's own Acked-by on his reply to v4 (mbox line 1400), and the
// stance writes read back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { RecordTables } from '../../src/store/record-tables.ts';

const arc = sharedArchive([fixture('mbox', 'throttle-2019.mbox')]);
const ACK = '20190723205026.GB30522@cmpxchg.org';
const V4 = '20190723180700.GA29459@chrisdown.name';
const idOf = (mid: string): number =>
  row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE message_id = ?', mid).id;
const personOf = (addr: string): number =>
  row<{ p: number }>(arc.db, 'SELECT person_id AS p FROM person_addresses WHERE addr = ?', addr).p;
const REPLY = "relation NOT IN ('supersedes', 'implements')";

describe('RecordTables reads', () => {
  it('finds a real message by Message-ID, with its author and date', () => {
    const t = new RecordTables(arc.db);
    assert.deepEqual(t.message(ACK), {
      id: idOf(ACK),
      author: personOf('hannes@cmpxchg.org'),
      date: '2019-07-23T20:50:26Z',
    });
    const ghost = row<{ mid: string }>(
      arc.db,
      'SELECT message_id AS mid FROM messages WHERE is_ghost = 1 LIMIT 1',
    );
    assert.equal(t.message(ghost.mid), null);
    assert.equal(t.message('nobody@example.org'), null);
  });

  it("reads a message's paragraph claims in order, and no trailers", () => {
    const t = new RecordTables(arc.db);
    const m = idOf(ACK);
    const want = rows<{ id: number; n: number }>(
      arc.db,
      "SELECT id, n FROM claim_rows WHERE message_id = ? AND kind = 'para'",
      m,
    ).sort((a, b) => a.n - b.n);
    const got = t.paragraphs(m);
    assert.deepEqual(
      got.map((c) => [c.id, c.n]),
      want.map((c) => [c.id, c.n]),
    );
    assert.ok(
      rows(arc.db, "SELECT id FROM claim_rows WHERE message_id = ? AND kind = 'trailer'", m).length > 0,
    );
    assert.ok(got.every((c) => c.message === m && c.author === personOf('hannes@cmpxchg.org')));
  });

  it('reads the reply edges both ways, not the version edges', () => {
    const t = new RecordTables(arc.db);
    const edges = rows<{ s: number; d: number; r: string }>(
      arc.db,
      'SELECT src_claim_id AS s, dst_claim_id AS d, relation AS r FROM edges',
    );
    const sup = edges.find((e) => e.r === 'supersedes');
    assert.ok(sup, 'v4 supersedes v3');
    for (const c of new Set(edges.flatMap((e) => [e.s, e.d]))) {
      const reply = edges.filter((e) => e.r !== 'supersedes' && e.r !== 'implements');
      assert.deepEqual(
        t.targets(c).sort(),
        reply
          .filter((e) => e.s === c)
          .map((e) => e.d)
          .sort(),
        `targets of ${c}`,
      );
      assert.deepEqual(
        t.repliers(c).sort(),
        reply
          .filter((e) => e.d === c)
          .map((e) => e.s)
          .sort(),
        `repliers of ${c}`,
      );
    }
    assert.ok(!t.targets(sup.s).includes(sup.d));
  });

  it("tells a writer's own Acked-by from someone else's", () => {
    const t = new RecordTables(arc.db);
    assert.equal(t.hasOwnAck(idOf(ACK), personOf('hannes@cmpxchg.org')), true);
    assert.equal(t.hasOwnAck(idOf(ACK), personOf('chris@chrisdown.name')), false);
    assert.equal(
      t.hasOwnAck(idOf(V4), personOf('chris@chrisdown.name')),
      false,
      'Signed-off-by is not an ack',
    );
    const c = t.paragraphs(idOf(V4))[0]!;
    assert.equal(t.claimAuthor(c.id), personOf('chris@chrisdown.name'));
    assert.equal(t.claimAuthor(999999), null);
  });
});

describe('RecordTables writes', () => {
  it("sets a record's stance: curated, sure, and carried onto the claim's reply edges", () => {
    const t = new RecordTables(arc.db);
    const c = t
      .paragraphs(idOf('20190507084419.GM31017@dhcp22.suse.cz'))
      .find((p) => t.targets(p.id).length > 1);
    assert.ok(c, "a paragraph of Michal Hocko's reply to v3 answers more than one claim");
    const supersedes = rows(arc.db, `SELECT * FROM edges WHERE NOT (${REPLY})`);
    arc.db
      .prepare("UPDATE claim_rows SET confidence = 0.4, alt_stance = 'asks', alt_p = 0.3 WHERE id = ?")
      .run(c.id);
    t.setStance(c.id, 'supports', 'record says so', 'supports');
    assert.deepEqual(
      row(
        arc.db,
        'SELECT stance, stance_reason, stance_source, confidence, alt_stance, alt_p FROM claim_rows WHERE id = ?',
        c.id,
      ),
      {
        stance: 'supports',
        stance_reason: 'record says so',
        stance_source: 'record',
        confidence: 1,
        alt_stance: null,
        alt_p: null,
      },
    );
    assert.deepEqual(
      rows<{ r: string }>(
        arc.db,
        `SELECT relation AS r FROM edges WHERE src_claim_id = ? AND ${REPLY}`,
        c.id,
      ).map((e) => e.r),
      t.targets(c.id).map(() => 'supports'),
    );
    assert.deepEqual(
      rows(arc.db, `SELECT * FROM edges WHERE NOT (${REPLY})`),
      supersedes,
      'version edges untouched',
    );
  });

  it('confirms a machine stance without changing it', () => {
    const t = new RecordTables(arc.db);
    const c = t.paragraphs(idOf(V4))[0]!;
    arc.db
      .prepare("UPDATE claim_rows SET confidence = 0.5, alt_stance = 'asks', alt_p = 0.2 WHERE id = ?")
      .run(c.id);
    t.confirm(c.id);
    assert.deepEqual(
      row(arc.db, 'SELECT stance, confidence, alt_stance, alt_p FROM claim_rows WHERE id = ?', c.id),
      { stance: c.stance, confidence: 1, alt_stance: null, alt_p: null },
    );
  });
});
