// The version-edge and carried-trailer statements (src/store/series-edge-tables.ts) on the
// throttle v3 → v4 series (one thread), the swappiness= v5 → v6 series (two threads) and the nodes=
// revert thread. Versions, dates and the reply trailers were read off the mboxes; claim lists are
// checked against plain SQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { CarriedTrailerTables, VersionEdgeTables } from '../../src/store/series-edge-tables.ts';
import { GraphScopeTables } from '../../src/store/graph-scope-tables.ts';

const arc = sharedArchive([
  fixture('mbox', 'throttle-2019.mbox'),
  'data/corpus/threads/swappiness-2023.mbox',
  'data/corpus/threads/swappiness-v6-2024.mbox',
  'data/corpus/threads/nodes-revert-2022.mbox',
]);
const V3 = '20190501184104.GA30293@chrisdown.name';
const V4 = '20190723180700.GA29459@chrisdown.name';
const ACK = '20190723205026.GB30522@cmpxchg.org';
const BAGAS = '85f627d5-7572-1fc7-db1f-bc1337767a68@gmail.com';
const idOf = (mid: string): number =>
  row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE message_id = ?', mid).id;
const seriesOf = (mid: string): number =>
  row<{ s: number }>(arc.db, 'SELECT series_id AS s FROM patches WHERE message_id = ?', idOf(mid)).s;
const personOf = (addr: string): number =>
  row<{ p: number }>(arc.db, 'SELECT person_id AS p FROM person_addresses WHERE addr = ?', addr).p;

describe('VersionEdgeTables', () => {
  it('reads the patches of series with more than one posting, by series, posting and part', () => {
    const t = new VersionEdgeTables(arc.db);
    const got = t.versionedPatches();
    const throttle = got.filter((p) => p.series_id === seriesOf(V3));
    assert.deepEqual(
      throttle.map((p) => [p.message_id, p.posting, p.version, p.date]),
      [
        [idOf(V3), 1, 3, '2019-05-01T18:41:04Z'],
        [idOf(V4), 2, 4, '2019-07-23T18:07:00Z'],
      ],
    );
    assert.equal(throttle[0]!.normalised, 'mm: throttle allocators when failing reclaim over memory.high');
    const multi = new Set(
      rows<{ id: number }>(arc.db, 'SELECT id FROM series WHERE postings > 1').map((s) => s.id),
    );
    const want = rows<{ m: number; s: number; posting: number; part: number }>(
      arc.db,
      'SELECT message_id AS m, series_id AS s, posting, part FROM patches',
    )
      .filter((p) => multi.has(p.s))
      .sort((a, b) => a.s - b.s || a.posting - b.posting || a.part - b.part);
    assert.deepEqual(
      got.map((p) => p.message_id),
      want.map((p) => p.m),
    );
    assert.ok(new Set(got.map((p) => p.series_id)).size >= 2, 'throttle and swappiness=');
  });

  it("reads a message's paragraphs, head claim, body and changelog notes", () => {
    const t = new VersionEdgeTables(arc.db);
    const m = idOf(V4);
    const want = rows<{ id: number }>(
      arc.db,
      "SELECT id FROM claim_rows WHERE message_id = ? AND kind = 'para' ORDER BY n",
      m,
    ).map((r) => r.id);
    assert.deepEqual(
      t.paragraphClaims(m).map((c) => c.id),
      want,
    );
    assert.equal(t.headClaim(m), want[0]);
    assert.equal(t.headClaim(999999), undefined);
    assert.match(t.body(m) ?? '', /\[v4: Rebased and fixed theoretical/);
    assert.equal(t.body(999999), null);
    const notes = rows<{ text: string }>(
      arc.db,
      "SELECT text FROM segments WHERE message_id = ? AND kind = 'changelog' AND para IS NULL ORDER BY seq",
      m,
    ).map((r) => r.text);
    assert.deepEqual(t.changelogNotes(m), notes);
    // the note after the diffstat, mbox line 1005
    assert.deepEqual(notes, ['[v4: Rebased and fixed theoretical (but somewhat unlikely) divide by zero]']);
    assert.equal(t.personName(personOf('chris@chrisdown.name')), 'Chris Down');
    assert.equal(t.personName(999999), null);
  });

  it("reads a thread's review claims through the thread's messages, not the stance index", () => {
    const t = new VersionEdgeTables(arc.db);
    const th = row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE id = ?', idOf(V3)).t;
    const want = rows<{ id: number; mid: number; n: number }>(
      arc.db,
      `SELECT c.id, c.message_id AS mid, c.n FROM claim_rows c JOIN messages m ON m.id = c.message_id
       WHERE m.thread_id = ? AND c.kind = 'para' AND c.stance IN ('objects-to', 'proposes-alternative', 'asks', 'nacks')`,
      th,
    ).sort((a, b) => a.mid - b.mid || a.n - b.n);
    assert.ok(want.length > 0, "Michal Hocko's review of v3 objects");
    assert.deepEqual(
      t.reviewClaims(th).map((c) => c.id),
      want.map((c) => c.id),
    );
    const src = (t as unknown as { s: Record<string, { source: string }> }).s.reviewClaims!.source;
    const plan = (arc.db.prepare(`EXPLAIN QUERY PLAN ${src}`).all(th) as { detail: string }[]).map(
      (r) => r.detail,
    );
    assert.ok(
      plan.some((d) => d.includes('messages_thread')),
      plan.join('; '),
    );
  });

  it('inserts an edge once', () => {
    const t = new VersionEdgeTables(arc.db);
    const [a, b] = t.paragraphClaims(idOf(V4));
    assert.ok(a && b);
    assert.equal(t.insertEdge(b.id, a.id, 'supersedes', 'test'), 1);
    assert.equal(t.insertEdge(b.id, a.id, 'supersedes', 'again'), 0);
  });

  it('keeps to the stored scope when scoped', () => {
    new GraphScopeTables(arc.db).store([], [seriesOf(V3)]);
    const t = new VersionEdgeTables(arc.db, true);
    assert.deepEqual([...new Set(t.versionedPatches().map((p) => p.series_id))], [seriesOf(V3)]);
  });
});

describe('CarriedTrailerTables', () => {
  it('reads the review trailers given in replies, by date', () => {
    const t = new CarriedTrailerTables(arc.db);
    const got = [...t.givenTrailers()];
    const hannes = got.find((g) => g.mid === ACK);
    assert.deepEqual(hannes, {
      person: personOf('hannes@cmpxchg.org'),
      name: 'Acked-by',
      thread: row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE id = ?', idOf(ACK)).t,
      date: '2019-07-23T20:50:26Z',
      mid: ACK,
    });
    assert.ok(got.some((g) => g.mid === BAGAS && g.name === 'Acked-by'));
    const dates = got.map((g) => g.date);
    assert.deepEqual(dates, [...dates].sort());
    assert.ok(
      got.every((g) => !g.mid.startsWith(V3) && g.mid !== V4),
      'a posting is not a reply',
    );
  });

  it("reads patch mails' series and threads by posting, and acks/nacks trailer claims in patches", () => {
    const t = new CarriedTrailerTables(arc.db);
    const st = [...t.seriesThreads()];
    assert.equal(st.length, rows(arc.db, 'SELECT message_id FROM patches').length);
    const swap = st.filter(
      (r) =>
        r.series ===
        row<{ s: number }>(
          arc.db,
          "SELECT p.series_id AS s FROM patches p JOIN messages m ON m.id = p.message_id WHERE m.message_id = '20240103164841.2800183-1-schatzberg.dan@gmail.com'",
        ).s,
    );
    assert.equal(new Set(swap.map((r) => r.thread)).size, 2, 'swappiness= v5 and v6 are two threads');
    const claims = t.trailerClaims();
    const want = rows<{ id: number }>(
      arc.db,
      `SELECT c.id FROM claim_rows c WHERE c.kind = 'trailer' AND c.stance IN ('acks', 'nacks')
       AND c.message_id IN (SELECT message_id FROM patches)`,
    ).map((r) => r.id);
    assert.deepEqual(
      claims.map((c) => c.claim).sort((a, b) => a - b),
      want.sort((a, b) => a - b),
    );
    assert.ok(claims.length > 0, 'the swappiness= v6 patches carry acks');
    for (const c of claims) assert.match(c.text, /^(Acked|Nacked|Reviewed|Tested)-by:/i);
  });

  it('reads paragraph texts and people by address', () => {
    const t = new CarriedTrailerTables(arc.db);
    const p = t.paragraphs(idOf(V4));
    assert.ok(p.length > 1);
    assert.ok(
      p.some((x) => x.text.includes('This patch expands on earlier work by Johannes Weiner. Thanks!')),
    );
    assert.equal(t.personByAddress('hannes@cmpxchg.org'), personOf('hannes@cmpxchg.org'));
    assert.equal(t.personByAddress('nobody@example.org'), undefined);
    const [a, b] = p;
    assert.equal(t.insertEdge(b!.id, a!.id, 'acks', 'carried test'), 1);
    assert.equal(t.insertEdge(b!.id, a!.id, 'acks', 'carried test'), 0);
  });
});
