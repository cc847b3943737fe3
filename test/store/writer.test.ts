// The archive writer (src/store/writer.ts), driven directly with messages the real parser prepared
// from real mail: reclaim-2020.mbox (28 messages, every In-Reply-To inside the file) and the
// oddities (test/fixtures/mbox/oddities.tsv: messages 8 and 9 reuse one Message-ID for two
// different mails, 10 and 11 are one mail delivered twice). Expected outcomes follow from the
// headers, read by hand.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, freshDb, ingestPaths, row, rows } from '../helpers/archive.ts';
import { oracleMessages } from '../helpers/mbox-oracle.ts';
import { preparedMessages, type FixtureMessage } from '../helpers/mail.ts';
import { parseCorpusCommit } from '../../src/ingest/commits.ts';
import { ArchiveWriter, type StoreOutcome } from '../../src/store/writer.ts';
import { SourceTables } from '../../src/store/source-tables.ts';
import { getRaw } from '../../src/store/raw.ts';
import { RECLAIM_MBOX as RECLAIM, RECLAIM_ROOT as ROOT, SJ_REVIEW as SJ } from '../helpers/fixture-ids.ts';

type Item = FixtureMessage;

let reclaim: Item[];
let odd: Item[];
before(async () => {
  reclaim = await preparedMessages(RECLAIM);
  odd = await preparedMessages(fixture('mbox', 'oddities.mbox'));
});

/** A fresh archive with one source row, and a writer on it. */
function setup(): { w: ArchiveWriter; src: number; f: ReturnType<typeof freshDb> } {
  const f = freshDb();
  const src = new SourceTables(f.db).add('mbox', 'test.mbox', 'x'.repeat(64), null);
  return { w: new ArchiveWriter(f.db), src, f };
}
let open: ReturnType<typeof setup>[] = [];
function archive(): ReturnType<typeof setup> {
  const a = setup();
  open.push(a);
  return a;
}
after(() => {
  for (const a of open) a.f.cleanup();
  open = [];
});

const store = (a: ReturnType<typeof setup>, x: Item): { outcome: StoreOutcome; id: number } =>
  a.w.transaction(() => a.w.storeMessage(x.p, x.raw, { sourceId: a.src, offset: x.offset }));

describe('storing messages', () => {
  it('adds the 28 messages of the thread with their headers, and no ghost is left', () => {
    const a = archive();
    const out = reclaim.map((x) => store(a, x).outcome);
    assert.deepEqual(new Set(out), new Set(['added']));
    const mail = oracleMessages(RECLAIM);
    const got = rows<{ message_id: string; from_addr: string; is_ghost: number }>(
      a.f.db,
      'SELECT message_id, from_addr, is_ghost FROM messages ORDER BY message_id',
    );
    // References name later messages too, so rows are not in file order: compare by Message-ID
    const byId = (a: string[], b: string[]): number => (a[0]! < b[0]! ? -1 : 1);
    assert.deepEqual(
      got.map((r) => [r.message_id, r.from_addr, String(r.is_ghost)]).sort(byId),
      mail.map((m) => [m.messageId, m.fromAddr, '0']).sort(byId),
    );
    assert.equal(row<{ n: number }>(a.f.db, 'SELECT count(*) AS n FROM people').n, 5);
  });

  it('links each reply to its parent row by In-Reply-To', () => {
    const a = archive();
    for (const x of reclaim) store(a, x);
    const mail = oracleMessages(RECLAIM);
    const got = new Map(
      rows<{ child: string; parent: string }>(
        a.f.db,
        `SELECT c.message_id AS child, p.message_id AS parent FROM message_refs r
         JOIN messages c ON c.id = r.message_id JOIN messages p ON p.id = r.ref_id
         WHERE r.kind = 'in-reply-to' AND r.seq = 0`,
      ).map((r) => [r.child, r.parent]),
    );
    for (const m of mail) assert.equal(got.get(m.messageId), m.inReplyTo ?? undefined, m.messageId);
  });

  it('keeps a ghost for a parent not yet seen, then fills that same row', () => {
    const a = archive();
    const sj = reclaim.find((x) => x.p.parsed.messageId === SJ)!;
    const root = reclaim.find((x) => x.p.parsed.messageId === ROOT)!;
    store(a, sj);
    const ghost = row<{ id: number; is_ghost: number; subject: string | null }>(
      a.f.db,
      'SELECT id, is_ghost, subject FROM messages WHERE message_id = ?',
      ROOT,
    );
    assert.equal(ghost.is_ghost, 1);
    assert.equal(ghost.subject, null);
    assert.deepEqual(store(a, root), { outcome: 'added', id: ghost.id });
    const filled = row<{ is_ghost: number; subject: string }>(
      a.f.db,
      'SELECT is_ghost, subject FROM messages WHERE id = ?',
      ghost.id,
    );
    assert.deepEqual(filled, {
      is_ghost: 0,
      subject: '[PATCH] memcg: introduce per-memcg reclaim interface',
    });
  });

  it('records the same bytes again as a duplicate from the same place', () => {
    const a = archive();
    const first = store(a, reclaim[0]!);
    assert.ok(a.w.hasSourceItem(a.src, reclaim[0]!.offset, reclaim[0]!.p.rawSha));
    assert.equal(a.w.hasSourceItem(a.src, reclaim[0]!.offset + 1, reclaim[0]!.p.rawSha), false);
    assert.equal(a.w.messageWithRaw(reclaim[0]!.p.rawSha), first.id);
    assert.equal(a.w.messageWithRaw('0'.repeat(64)), null);
    assert.deepEqual(store(a, reclaim[0]!), { outcome: 'duplicate', id: first.id });
    assert.equal(row<{ n: number }>(a.f.db, 'SELECT count(*) AS n FROM messages').n, 1);
  });

  it('stores the raw bytes so they read back exactly', () => {
    const a = archive();
    const ids = reclaim.map((x) => store(a, x).id);
    ids.forEach((id, i) => assert.ok(getRaw(a.f.db, id)!.raw.equals(reclaim[i]!.raw), `message ${i + 1}`));
  });

  it('keeps both mails that reuse one Message-ID, warning about the second', () => {
    const a = archive();
    const [first, second] = [odd[7]!, odd[8]!];
    assert.equal(first.p.parsed.messageId, second.p.parsed.messageId, 'the fixture reuses the id');
    const s1 = store(a, first);
    const s2 = store(a, second);
    assert.equal(s1.outcome, 'added');
    assert.equal(s2.outcome, 'reused-id');
    assert.notEqual(s1.id, s2.id);
    const r = row<{ message_id: string; header_message_id: string; id_kind: string }>(
      a.f.db,
      'SELECT message_id, header_message_id, id_kind FROM messages WHERE id = ?',
      s2.id,
    );
    assert.equal(r.id_kind, 'reused');
    assert.equal(r.header_message_id, first.p.parsed.messageId);
    assert.notEqual(r.message_id, first.p.parsed.messageId);
    const probs = rows<{ code: string; message_id: number }>(
      a.f.db,
      "SELECT code, message_id FROM ingest_problems WHERE code = 'reused-message-id'",
    );
    assert.deepEqual(probs, [{ code: 'reused-message-id', message_id: s2.id }]);
    assert.equal(
      store(a, second).outcome,
      'duplicate',
      'the second mail again is a duplicate of its own row',
    );
  });

  it('stores one message for a double delivery, with both places recorded', () => {
    const a = archive();
    const [first, second] = [odd[9]!, odd[10]!];
    const s1 = store(a, first);
    const s2 = store(a, second);
    assert.deepEqual([s1.outcome, s2.outcome], ['added', 'duplicate']);
    assert.equal(s2.id, s1.id);
    const places = rows<{ offset: number }>(
      a.f.db,
      'SELECT "offset" FROM message_sources WHERE message_id = ? ORDER BY "offset"',
      s1.id,
    ).map((r) => r.offset);
    assert.deepEqual(places, [first.offset, second.offset]);
  });

  it('counts problems across calls', () => {
    const a = archive();
    const n0 = a.w.problemCount();
    a.w.problem(a.src, 0, null, 'skipped', 'test-code', 'a detail');
    assert.equal(a.w.problemCount(), n0 + 1);
  });

  it('rolls back a transaction that throws, leaving no half message', () => {
    const a = archive();
    assert.throws(() =>
      a.w.transaction(() => {
        a.w.storeMessage(reclaim[0]!.p, reclaim[0]!.raw, { sourceId: a.src, offset: 0 });
        throw new Error('killed');
      }),
    );
    assert.equal(row<{ n: number }>(a.f.db, 'SELECT count(*) AS n FROM messages').n, 0);
    assert.equal(row<{ n: number }>(a.f.db, 'SELECT count(*) AS n FROM message_raw').n, 0);
  });
});

describe('storing commits and documents', () => {
  const text = readFileSync(
    fixture('commits', '03-94968384dde1-memcg-introduce-per-memcg-reclaim-interface.txt'),
    'utf8',
  );

  it('lets a full hash replace an abbreviation, and never lets a partial text replace a complete one', () => {
    const a = archive();
    const c = parseCorpusCommit(text)!;
    assert.equal(c.hash, '94968384dde15d48263bfc59d280cd71b1259d8c');
    assert.equal(c.complete, false);
    const short = a.w.storeCommit({ ...c, hash: '94968384dde1' }, a.src, 0);
    assert.equal(short.outcome, 'added');
    const full = a.w.storeCommit(c, a.src, 1);
    assert.deepEqual(full, { outcome: 'updated', id: short.id });
    const hash = (): string => row<{ hash: string }>(a.f.db, 'SELECT hash FROM commits').hash;
    assert.equal(hash(), c.hash);
    assert.deepEqual(a.w.storeCommit(c, a.src, 2), { outcome: 'duplicate', id: short.id });
    const complete = a.w.storeCommit({ ...c, complete: true, body: 'the whole message' }, a.src, 3);
    assert.equal(complete.outcome, 'updated');
    assert.equal(a.w.storeCommit({ ...c, body: 'a shorter excerpt' }, a.src, 4).outcome, 'duplicate');
    assert.deepEqual(row(a.f.db, 'SELECT body, complete FROM commits'), {
      body: 'the whole message',
      complete: 1,
    });
    assert.equal(a.w.storeCommit({ ...c, hash: '94968384' }, a.src, 5).outcome, 'duplicate');
    assert.equal(hash(), c.hash, 'an abbreviation never shortens a full hash');
  });

  it('stores a document once per text', () => {
    const a = archive();
    assert.equal(a.w.storeDocument(a.src, 'notes', null, 'some text'), 'added');
    assert.equal(a.w.storeDocument(a.src, 'notes again', 'https://x.invalid', 'some text'), 'duplicate');
    assert.equal(a.w.storeDocument(a.src, 'notes', null, 'other text'), 'added');
  });
});

describe('promoting an archive page to its raw mail', () => {
  // The hypermail page of Shakeel Butt's 2020 reply (its Message-ID in the page comments), then the
  // thread's mbox with the raw mail. The page's trailers and attachments are whatever its text gave;
  // the rows are planted here as the page's own (a page saved from a client that showed an
  // attachment inline, say), so that keeping them would show.
  it('replaces the page’s trailers and attachments with the mail’s', async () => {
    const parts = (db: ReturnType<typeof freshDb>['db'], id: number): unknown[] => [
      rows(db, 'SELECT seq, name, value, addr FROM trailers WHERE message_id = ? ORDER BY seq', id),
      rows(
        db,
        'SELECT seq, filename, content_type, size FROM attachments WHERE message_id = ? ORDER BY seq',
        id,
      ),
    ];
    const oracle = freshDb();
    const a = freshDb();
    try {
      await ingestPaths(a.db, [fixture('pages', 'seed-hypermail.html')]);
      const page = row<{ id: number; message_id: string }>(
        a.db,
        "SELECT id, message_id FROM messages WHERE is_ghost = 0 AND id_kind = 'header'",
      );
      a.db
        .prepare(
          "INSERT INTO trailers VALUES (?, 0, 'Acked-by', 'Someone <s@example.org>', NULL, 's@example.org')",
        )
        .run(page.id);
      a.db.prepare("INSERT INTO attachments VALUES (?, 0, 'page.txt', 'text/plain', 4, 'page')").run(page.id);
      await ingestPaths(a.db, [fixture('mbox', 'reclaim-2020.mbox')]);
      await ingestPaths(oracle.db, [fixture('mbox', 'reclaim-2020.mbox')]);
      const fresh = row<{ id: number }>(
        oracle.db,
        'SELECT id FROM messages WHERE message_id = ?',
        page.message_id,
      );
      assert.deepEqual(parts(a.db, page.id), parts(oracle.db, fresh.id));
      assert.deepEqual(
        parts(a.db, page.id),
        [[], []],
        'this reply has no trailers or attachments of its own',
      );
    } finally {
      a.cleanup();
      oracle.cleanup();
    }
  });
});
