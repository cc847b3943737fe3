// How objections end (src/graph/lifecycle.ts), on the real 2020 memory.reclaim thread (one
// posting, so no later version addresses anything and only the replies decide). Held against a
// naive reading of the rules in docs/graph.md ("Objection status") over the graph's edges, and one
// case read by hand: SeongJae Park asked whether the retry condition should use '||' (10 Sep,
// #p1), Shakeel Butt answered that he copied memory_high_write(), and SeongJae replied "Thanks,
// understood your intention and agreed on the point" and his Reviewed-by (the last word, an ack):
// rebutted, then withdrawn by the objector.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, ingestedDb, row, rows } from '../helpers/archive.ts';
import { RECLAIM_MBOX, SJ_REVIEW } from '../helpers/fixture-ids.ts';
import { decideObjections, decideObjectionsByThreads, OBJECTION_STANCES } from '../../src/graph/lifecycle.ts';
import { SERIES_THREADS } from '../helpers/series-fixtures.ts';
import type { Db } from '../../src/store/db.ts';

let db: Db;
let cleanup: () => void;
let counts: Record<string, number>;
before(async () => {
  ({ db, cleanup } = await ingestedDb([RECLAIM_MBOX]));
  counts = decideObjections(db);
});
after(() => cleanup());

interface C {
  id: number;
  author: number | null;
  stance: string;
  date: string;
}
/** The rules as docs/graph.md states them, read straight off the edges. */
function oracleStatus(o: C): string {
  const repliesTo = (claim: number): (C & { id: number })[] =>
    rows<C>(
      db,
      `SELECT s.id, s.author_id AS author, s.stance, m.date FROM edges e JOIN claim_rows s ON s.id = e.src_claim_id
       JOIN messages m ON m.id = s.message_id
       WHERE e.dst_claim_id = ? AND e.relation NOT IN ('supersedes', 'implements') ORDER BY m.date, s.id`,
      claim,
    );
  const party = new Set(
    rows<{ a: number }>(
      db,
      `SELECT d.author_id AS a FROM edges e JOIN claim_rows d ON d.id = e.dst_claim_id
       WHERE e.src_claim_id = ? AND e.relation NOT IN ('supersedes', 'implements') AND d.author_id IS NOT NULL`,
      o.id,
    ).map((r) => r.a),
  );
  let status = 'open';
  for (const r of repliesTo(o.id)) {
    if (r.author === o.author) continue;
    const byParty = r.author !== null && party.has(r.author);
    if (r.stance === 'concedes' || (byParty && ['supports', 'acks'].includes(r.stance))) status = 'conceded';
    else if (['objects-to', 'answers', 'nacks'].includes(r.stance)) {
      status = 'rebutted';
      for (const w of repliesTo(r.id)) {
        if (w.author !== o.author) continue;
        if (['concedes', 'supports', 'acks'].includes(w.stance)) status = 'withdrawn';
        else if (['objects-to', 'nacks'].includes(w.stance)) status = 'open';
      }
    }
  }
  return status;
}

const objectionClaims = (): C[] =>
  rows<C>(
    db,
    `SELECT c.id, c.author_id AS author, c.stance, m.date FROM claim_rows c JOIN messages m ON m.id = c.message_id
     WHERE c.stance IN (${OBJECTION_STANCES.map(() => '?').join(',')})`,
    ...OBJECTION_STANCES,
  );

describe('decideObjections', () => {
  it('decides every objection once, and counts what it decided', () => {
    const objs = objectionClaims();
    assert.ok(objs.length > 10);
    const stored = rows<{ status: string }>(db, 'SELECT status FROM objections');
    assert.equal(stored.length, objs.length);
    const byStatus: Record<string, number> = {};
    for (const s of stored) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
    assert.deepEqual(counts, byStatus);
  });

  it('gives each objection the status the documented rules give', () => {
    const got = new Map(
      rows<{ id: number; status: string }>(db, 'SELECT claim_id AS id, status FROM objections').map((r) => [
        r.id,
        r.status,
      ]),
    );
    const wrong = objectionClaims()
      .map((o) => [o.id, got.get(o.id), oracleStatus(o)])
      .filter(([, g, w]) => g !== w);
    assert.deepEqual(wrong, []);
  });

  it("has SeongJae Park withdraw his '||' question after Shakeel Butt's answer", () => {
    const o = row<{ status: string; evidence: string; ev: string }>(
      db,
      `SELECT o.status, o.evidence, em.message_id AS ev FROM objections o JOIN claim_rows c ON c.id = o.claim_id
       JOIN messages m ON m.id = c.message_id LEFT JOIN messages em ON em.id = o.evidence_message_id
       WHERE m.message_id = ? AND c.kind = 'para' AND c.n = 1`,
      SJ_REVIEW,
    );
    assert.deepEqual(o, {
      status: 'withdrawn',
      evidence: 'objector acks after the rebuttal',
      ev: '20200910163433.29792-1-sjpark@amazon.com',
    });
  });

  it('says why an unanswered objection is open', () => {
    const open = rows<{ evidence: string; n: number }>(
      db,
      `SELECT o.evidence, (SELECT count(*) FROM edges e JOIN claim_rows s ON s.id = e.src_claim_id
         WHERE e.dst_claim_id = o.claim_id AND s.author_id IS NOT c.author_id) AS n
       FROM objections o JOIN claim_rows c ON c.id = o.claim_id WHERE o.status = 'open'`,
    );
    for (const r of open) if (r.n === 0) assert.equal(r.evidence, 'no reply quotes it');
  });

  it("lets a decision record's verdict win, keeping the rules' reading in the evidence", () => {
    const id = row<{ id: number }>(
      db,
      "SELECT c.id FROM claim_rows c JOIN messages m ON m.id = c.message_id WHERE m.message_id = ? AND c.kind = 'para' AND c.n = 1",
      SJ_REVIEW,
    ).id;
    const c = decideObjections(
      db,
      new Map(),
      new Map([
        [
          id,
          {
            status: 'rebutted',
            recordStatus: 'rebutted',
            ref: 'memory-reclaim#O16',
            evidenceClaimId: null,
            evidenceMessageId: null,
            evidence: 'record memory-reclaim O16',
          },
        ],
      ]),
    );
    const o = row<{ status: string; source: string; record: string; evidence: string }>(
      db,
      'SELECT status, source, record, evidence FROM objections WHERE claim_id = ?',
      id,
    );
    assert.deepEqual(o, {
      status: 'rebutted',
      source: 'record',
      record: 'memory-reclaim#O16',
      evidence: 'record memory-reclaim O16 (rules: withdrawn, objector acks after the rebuttal)',
    });
    assert.equal(c.withdrawn, (counts.withdrawn ?? 0) - 1);
    assert.equal(c.rebutted, (counts.rebutted ?? 0) + 1);
  });
});

describe('decideObjectionsByThreads', () => {
  it('writes, batch by batch of threads, exactly the rows of one pass over the archive', async () => {
    // several threads and versions, so that implements edges cross threads
    const a = await ingestedDb([RECLAIM_MBOX, ...SERIES_THREADS.map((t) => fixture('series', `${t}.mbox`))]);
    try {
      const dump = (): unknown[] => rows(a.db, 'SELECT * FROM objections ORDER BY claim_id');
      const whole = decideObjections(a.db);
      const want = dump();
      const threads = rows<{ id: number }>(a.db, 'SELECT id FROM threads ORDER BY id').map((r) => r.id);
      assert.ok(
        threads.length >= 5 && want.length >= 20,
        `${threads.length} threads, ${want.length} objections`,
      );
      const implementsCrossing = row<{ n: number }>(
        a.db,
        `SELECT COUNT(*) AS n FROM edges e JOIN claim_rows s ON s.id = e.src_claim_id JOIN messages ms ON ms.id = s.message_id
         JOIN claim_rows d ON d.id = e.dst_claim_id JOIN messages md ON md.id = d.message_id
         WHERE e.relation = 'implements' AND ms.thread_id != md.thread_id`,
      ).n;
      assert.ok(implementsCrossing > 0, 'the fixture has implements edges from another thread');
      for (const batch of [1, 2, 1000]) {
        const counts = decideObjectionsByThreads(a.db, threads, new Map(), new Map(), batch);
        assert.deepEqual(dump(), want, `batches of ${batch}`);
        assert.deepEqual(
          Object.fromEntries(Object.entries(counts).sort()),
          Object.fromEntries(Object.entries(whole).sort()),
        );
      }
      assert.equal(row<{ n: number }>(a.db, 'SELECT COUNT(*) AS n FROM temp.graph_scope_msgs').n, 0);
    } finally {
      a.cleanup();
    }
  });
});
