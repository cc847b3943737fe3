// The search index's statements (src/store/search-tables.ts) on the throttle thread and the nodes=
// revert thread, indexed by the real ingest. Dates, subjects, reply links and the own Acked-by
// lines (throttle-2019.mbox line 1400, nodes-revert-2022.mbox line 1157) were read off the mboxes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { ownText } from '../../src/mail/owntext.ts';
import { FTS_TEXT_CAP } from '../../src/search/fts.ts';
import { wordCount } from '../../src/search/rank.ts';
import {
  SEARCH_TOKENIZER,
  SearchTables,
  messageRowIds,
  messagesWithOwnReviewTrailer,
  messagesWithSubjectKind,
  ownReviewTrailers,
  subjectFacetRows,
} from '../../src/store/search-tables.ts';

const arc = sharedArchive([
  fixture('mbox', 'throttle-2019.mbox'),
  'data/corpus/threads/nodes-revert-2022.mbox',
]);
const V3 = '20190501184104.GA30293@chrisdown.name';
const HOCKO = '20190507084419.GM31017@dhcp22.suse.cz';
const V4 = '20190723180700.GA29459@chrisdown.name';
const ACK = '20190723205026.GB30522@cmpxchg.org';
const REVERT = 'Y5xASNe1x8cusiTx@dhcp22.suse.cz';
const BAGAS = '85f627d5-7572-1fc7-db1f-bc1337767a68@gmail.com';
const idOf = (mid: string): number =>
  row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE message_id = ?', mid).id;
const ids = (...mids: string[]): number[] => mids.map(idOf).sort((a, b) => a - b);
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const ghostId = (): number =>
  row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE is_ghost = 1 LIMIT 1').id;

describe('SearchTables: message reads', () => {
  it('pages through the real messages for indexing, by row id', () => {
    const t = new SearchTables(arc.db);
    const real = rows<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE is_ghost = 0 ORDER BY id').map(
      (r) => r.id,
    );
    assert.equal(real.length, 12, 'four throttle mails and eight of the revert thread');
    const page1 = t.sourcesAfter(0, 5);
    assert.deepEqual(
      page1.map((s) => s.id),
      real.slice(0, 5),
    );
    assert.deepEqual(
      t.sourcesAfter(page1.at(-1)!.id, 100).map((s) => s.id),
      real.slice(5),
    );
    const v3 = t.source(idOf(V3))!;
    assert.equal(v3.name, 'Chris Down');
    assert.equal(v3.addr, 'chris@chrisdown.name');
    assert.equal(t.source(ghostId()), undefined);
  });

  it('finds messages by Message-ID, patch-id and date range', () => {
    const t = new SearchTables(arc.db);
    assert.equal(t.idByMessageId(V4), idOf(V4));
    const ghost = row<{ mid: string }>(
      arc.db,
      'SELECT message_id AS mid FROM messages WHERE id = ?',
      ghostId(),
    ).mid;
    assert.equal(t.idByMessageId(ghost), undefined);
    assert.equal(messageRowIds(arc.db)(ghost), ghostId(), 'messageRowIds resolves ghosts too');
    const pid = row<{ p: string }>(
      arc.db,
      'SELECT patch_id AS p FROM patches WHERE message_id = ?',
      idOf(REVERT),
    ).p;
    assert.deepEqual(t.idsByPatchId(pid), [idOf(REVERT)]);
    assert.deepEqual(t.idsByPatchId('nope'), []);
    // July 2019: v4 (23 Jul 18:07Z) and Johannes Weiner's ack (23 Jul 20:50Z); the end is open
    assert.deepEqual(sorted(t.idsInDateRange('2019-07-01', '2019-08-01')), ids(V4, ACK));
    assert.deepEqual(sorted(t.idsInDateRange(undefined, '2019-07-23T18:07:00Z')), ids(V3, HOCKO));
    assert.equal(t.idsInDateRange('2022-12-01', undefined).length, 8);
    assert.equal(t.idsInDateRange(undefined, undefined).length, 12);
    assert.equal(t.dateOf(idOf(V3)), '2019-05-01T18:41:04Z');
    assert.equal(t.dateOf(ghostId()), undefined);
  });

  it('reads what a hit shows and how it sits in its thread', () => {
    const t = new SearchTables(arc.db);
    const h = t.hit(idOf(ACK));
    assert.equal(h.messageId, ACK);
    assert.equal(h.from, 'Johannes Weiner');
    assert.equal(h.threadSubject, '[PATCH v3] mm: Throttle allocators when failing reclaim over memory.high');
    assert.equal(t.threadOf(idOf(ACK)), t.threadOf(idOf(V3)));
    assert.equal(t.isReply(idOf(ACK)), true);
    assert.equal(t.isReply(idOf(V4)), false);
    assert.equal(t.replies(idOf(V4)), 1, "only Johannes Weiner's ack answers v4");
    assert.equal(t.replies(idOf(ACK)), 0);
    assert.match(t.body(idOf(ACK)) ?? '', /Acked-by: Johannes Weiner <hannes@cmpxchg.org>/);
    assert.equal(t.body(999999), null);
  });
});

describe('SearchTables: FTS5 statistics for ranking', () => {
  it('tokenizes with the tokenizer search_fts was made with', () => {
    const sql = row<{ sql: string }>(arc.db, "SELECT sql FROM sqlite_master WHERE name = 'search_fts'").sql;
    assert.ok(sql.includes(`tokenize = '${SEARCH_TOKENIZER}'`), sql);
  });

  it('counts the rows holding a word in its columns as FTS5 matches them, stemmed', () => {
    const t = new SearchTables(arc.db);
    const count = (expr: string): number =>
      row<{ c: number }>(arc.db, 'SELECT COUNT(*) AS c FROM search_fts WHERE search_fts MATCH ?', expr).c;
    // "throttling" is stemmed to "throttl"; asked as "throttled" it is the same token.
    assert.equal(t.docsInColumns('throttled', ['subject']), count('subject : throttled'));
    assert.ok(count('subject : throttled') > 0);
    assert.equal(
      t.docsInColumns('the', ['subject', 'body']),
      Math.max(count('subject : the'), count('body : the')),
    );
    assert.equal(t.docsInColumns('memory.high', ['body']), null, 'two tokens: not one word');
    assert.equal(t.docsInColumns('zzzunheard', ['body']), 0);
  });
});

describe('SearchTables: the index', () => {
  it('matches FTS5 expressions and rejects one it cannot parse', () => {
    const t = new SearchTables(arc.db);
    // every throttle mail has "allocators" in its subject; none of the revert thread does
    assert.deepEqual(sorted(t.matching('subject:allocators')), ids(V3, HOCKO, V4, ACK));
    assert.throws(() => t.matching('"unclosed'));
  });

  it('scores matches with reply flags and dates in one read', () => {
    const t = new SearchTables(arc.db);
    const r = t.bm25Rows('subject:allocators', '1,1,1,1,1,1,1,1,1,1', '10,1,1,1,1,1,1,1,1,1');
    assert.deepEqual(sorted(r.map((x) => x.id)), ids(V3, HOCKO, V4, ACK));
    for (const x of r) {
      assert.equal(x.reply, t.isReply(x.id));
      assert.equal(x.date, t.dateOf(x.id));
      assert.ok(x.a < 0 && x.b < x.a, 'BM25 is negative, and a heavier subject weight scores lower');
    }
    const pair = [...t.bm25Pair('subject:allocators', '1,1,1,1,1,1,1,1,1,1', '10,1,1,1,1,1,1,1,1,1')];
    assert.deepEqual(
      pair.sort((a, b) => a.id - b.id),
      r.map(({ id, a, b }) => ({ id, a, b })).sort((a, b) => a.id - b.id),
    );
  });

  it('keeps one word count per indexed row, the own text counted as ranking counts it', () => {
    const t = new SearchTables(arc.db);
    const indexed = rows<{ id: number }>(arc.db, 'SELECT rowid AS id FROM search_fts_docsize').map(
      (r) => r.id,
    );
    assert.equal(indexed.length, 12);
    const { words, replies } = t.priorInputs(indexed);
    assert.deepEqual(sorted([...words.keys()]), sorted(indexed));
    for (const id of indexed)
      assert.equal(words.get(id), wordCount(ownText(t.body(id) ?? '', FTS_TEXT_CAP)), `${id}`);
    assert.ok(
      [...words.values()].some((n) => n > 50),
      'real own text, not zeros',
    );
    for (const id of indexed) assert.equal(replies.get(id) ?? 0, t.replies(id), `${id}`);
    assert.ok(
      [...replies.values()].some((n) => n >= 2),
      'some message has several replies',
    );
  });

  it('removes and puts one row, and keeps the index version in meta', () => {
    const t = new SearchTables(arc.db);
    assert.ok(t.indexVersion(), 'the ingest recorded the version it indexed with');
    const w = t.writer();
    w.remove(idOf(V3));
    assert.equal(t.priorInputs([idOf(V3)]).words.size, 0, 'its word count goes with the row');
    assert.deepEqual(sorted(t.matching('subject:allocators')), ids(HOCKO, V4, ACK));
    w.put(idOf(V3), {
      subject: 'zebra',
      author: '',
      body: '',
      quoted: '',
      dfn: '',
      dfa: '',
      dfb: '',
      dfhh: '',
      rcptTo: '',
      rcptCc: '',
      ownWords: 7,
    });
    assert.deepEqual(t.matching('subject:zebra'), [idOf(V3)]);
    assert.equal(t.priorInputs([idOf(V3)]).words.get(idOf(V3)), 7);
    t.setIndexVersion('test-version');
    assert.equal(t.indexVersion(), 'test-version');
    t.forgetIndexVersion();
    assert.equal(t.indexVersion(), null);
    t.clear();
    assert.deepEqual(t.matching('subject:zebra OR subject:allocators'), []);
    assert.equal(row<{ c: number }>(arc.db, 'SELECT COUNT(*) AS c FROM search_words').c, 0);
  });
});

describe('subject and trailer facets', () => {
  it('classes subjects as patch, revert, reply, cover', () => {
    const kind = (k: Parameters<typeof messagesWithSubjectKind>[1]): number[] =>
      sorted(messagesWithSubjectKind(arc.db, k).map((r) => r.m));
    assert.deepEqual(kind('patch'), ids(V3, V4, REVERT));
    assert.deepEqual(kind('revert'), ids(REVERT));
    assert.deepEqual(kind('cover'), []);
    assert.deepEqual(kind('rfc'), []);
    assert.equal(kind('reply').length, 12 - 3);
    assert.equal(subjectFacetRows(arc.db).length, 12, 'one subject row per real message');
  });

  it("finds the messages that carry their own writer's review trailer", () => {
    assert.deepEqual(sorted(messagesWithOwnReviewTrailer(arc.db, 'acked-by')), ids(ACK, BAGAS));
    assert.deepEqual(messagesWithOwnReviewTrailer(arc.db, 'reviewed-by'), []);
    assert.deepEqual(
      ownReviewTrailers(arc.db).sort((a, b) => a.m - b.m),
      ids(ACK, BAGAS).map((m) => ({ m, name: 'acked-by' })),
    );
  });
});
