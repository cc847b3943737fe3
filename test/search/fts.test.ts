// `argmap search` over SQLite FTS5, run in process on the bundled archive: the same syntax as the
// site, own text only (a word that appears only in quotes or diffs is not found there), facets,
// dates, exclusions, phrases, JSON output, and the index kept current by ingest.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { parseQuery } from '../../src/search/query.ts';
import {
  ftsTerm,
  MAX_DROPPED_WORD_SCORE,
  refreshSearchIndex,
  scoreAllOf,
  scoringWords,
  searchFts,
  searchIndexReady,
} from '../../src/search/fts.ts';
import { POSTING_WEIGHTS, REPLY_WEIGHTS } from '../../src/search/rank.ts';
import { SearchTables } from '../../src/store/search-tables.ts';
import type { Term } from '../../src/search/query.ts';
import { ownText } from '../../src/mail/owntext.ts';
import type { Db } from '../../src/store/db.ts';
import { fixture, ingestedDb, ingestPaths } from '../helpers/archive.ts';
import { bundledDb, SEED } from '../site/bundled.ts';

let db: Db;
let file: string;
let cleanup: () => void;
before(async () => {
  ({ db, file, cleanup } = await bundledDb());
});
after(() => cleanup());

/** `argmap search --db <the test archive> ARGV…`, in process. */
const cli = (...argv: string[]): ReturnType<typeof runCli> => runCli(['search', '--db', file, ...argv]);

function ids(q: string, limit = 10_000): string[] {
  return searchFts(db, parseQuery(q), { limit }).hits.map((h) => h.messageId);
}

describe('argmap search', () => {
  it('--threads: each thread once, at its best match, with how many of the matches it holds', async () => {
    const q = parseQuery('memory.reclaim');
    const all = searchFts(db, q, { limit: 10_000 });
    const grouped = searchFts(db, q, { limit: 10_000, byThread: true });
    // Oracle: the ungrouped ranking, grouped by thread root in rank order.
    const want = new Map<string, { id: string; count: number }>();
    for (const h of all.hits) {
      const key = h.threadRoot ?? h.messageId;
      const w = want.get(key);
      if (w) w.count++;
      else want.set(key, { id: h.messageId, count: 1 });
    }
    assert.ok(want.size > 5 && want.size < all.total, `${all.total} in ${want.size}`);
    assert.deepEqual(
      grouped.hits.map((h) => [h.messageId, h.threadHits]),
      [...want.values()].map((w) => [w.id, w.count]),
    );
    assert.equal(grouped.total, all.total);
    assert.equal(grouped.threads, want.size);
    const r = await cli('--threads', '--json', '--limit', '3', 'memory.reclaim');
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as {
      total: number;
      threads: number;
      results: { messageId: string; threadHits: number }[];
    };
    assert.deepEqual([j.total, j.threads], [all.total, want.size]);
    assert.deepEqual(
      j.results.map((x) => [x.messageId, x.threadHits]),
      [...want.values()].slice(0, 3).map((w) => [w.id, w.count]),
    );
    const text = await cli('--threads', '--limit', '2', 'memory.reclaim');
    assert.match(
      text.out,
      new RegExp(`${all.total} matches in ${want.size} threads, showing 2 \\(--limit\\)\\n$`),
    );
  });

  it('finds the seed message for zswap by Shakeel in September 2020, and prints where', async () => {
    const r = await cli('zswap', 'f:shakeel', 'd:2020-09');
    assert.equal(r.code, 0);
    assert.ok(r.out.includes(`<${SEED}>`));
    assert.match(
      r.out,
      /2020-09-22 {2}Shakeel Butt {2}Re: \[PATCH\] memcg: introduce per-memcg reclaim interface/,
    );
    assert.match(r.out, /\[zswap\]/, 'the hit is marked in the snippet');
  });

  it('matches every word, in own text only', () => {
    const hits = ids('zswap');
    assert.ok(hits.length > 20);
    const body = db.prepare('SELECT subject, from_name, from_addr, body FROM messages WHERE message_id = ?');
    for (const id of hits) {
      const m = body.get(id) as { subject: string; from_name: string; from_addr: string; body: string };
      assert.match(`${m.subject} ${m.from_name} ${m.from_addr} ${ownText(m.body)}`, /zswap/i, id);
    }
    // "usecs" is in the seed only as quoted text, so the seed is not a hit for it.
    assert.ok(!ids('usecs').includes(SEED));
    assert.ok(ids('usecs').length > 0);
  });

  it('ranks what people wrote above bare acks and quote-only replies', () => {
    // On the bundled archive the BM25-only ranking put an empty reply, "+1" and "Thanks." in the
    // top five for memory.reclaim (their subjects carry the word); none of those may lead now.
    const own = db.prepare('SELECT body FROM messages WHERE message_id = ?').pluck();
    const top = ids('memory.reclaim', 5);
    assert.equal(top.length, 5);
    for (const id of top) {
      const words = ownText((own.get(id) as string) ?? '')
        .split(/\s+/)
        .filter(Boolean).length;
      assert.ok(words >= 20, `${id} has ${words} words of own text`);
    }
  });

  it('treats the stop words of a question as optional and fills with partial matches, marked', () => {
    const q = searchFts(db, parseQuery('why not memory.high'), { limit: 50 });
    assert.ok(q.total > 0 && q.total === searchFts(db, parseQuery('memory.high'), { limit: 1 }).total);
    // Three plain words, one that no message holds: no full match, partial ones hold the other two.
    const r = searchFts(db, parseQuery('memory.high throttling zqxjkv'), { limit: 10 });
    assert.equal(r.total, 0);
    assert.equal(r.hits.length, 10);
    const text = db.prepare('SELECT subject, from_name, from_addr, body FROM messages WHERE message_id = ?');
    for (const h of r.hits) {
      assert.equal(h.partial, true);
      const m = text.get(h.messageId) as {
        subject: string;
        from_name: string;
        from_addr: string;
        body: string;
      };
      const all = `${m.subject} ${m.from_name} ${m.from_addr} ${ownText(m.body)}`.toLowerCase();
      assert.ok(all.includes('memory.high') && /throttl/.test(all), h.messageId);
    }
    // Full matches come first and are never marked.
    const f = searchFts(db, parseQuery('memory.high throttling penalty'), { limit: 10_000 });
    const firstPartial = f.hits.findIndex((h) => h.partial);
    assert.ok(f.total > 0);
    if (firstPartial >= 0) assert.equal(firstPartial, f.total);
    // Two words: both required, no partial fill.
    assert.ok(searchFts(db, parseQuery('memory.high zqxjkv'), { limit: 10 }).hits.length === 0);
  });

  it('leads with the decision record that answers a plain-word query, in --json and text', async () => {
    const j = JSON.parse((await cli('--json', 'swappiness', 'memory.reclaim')).out) as {
      records: { decision: string; url: string }[];
    };
    assert.deepEqual(
      j.records.map((r) => [r.decision, r.url]),
      [['memory-reclaim-swappiness', 'd/memory-reclaim-swappiness.html']],
    );
    const t = (await cli('swappiness', 'memory.reclaim')).out;
    assert.match(t.split('\n')[0]!, /^decision record \(merged\): swappiness= for memory\.reclaim/);
    const none = JSON.parse((await cli('--json', 'f:hocko', 'swappiness')).out) as { records: unknown[] };
    assert.deepEqual(none.records, []);
  });

  it('applies OR, exclusion, phrases, prefixes, fields and dates', () => {
    const a = new Set(ids('zswap'));
    const b = new Set(ids('zram'));
    const either = new Set(ids('zswap OR zram'));
    assert.equal(either.size, new Set([...a, ...b]).size);
    const notShakeel = ids('zswap -f:shakeel');
    assert.ok(notShakeel.length > 0 && notShakeel.length < a.size);
    assert.ok(!notShakeel.includes(SEED));
    const phrase = ids('"proactive reclaim"');
    const words = ids('proactive reclaim');
    assert.ok(phrase.length > 0 && phrase.length <= words.length);
    assert.ok(ids('reclai*').length >= ids('reclaim').length);
    for (const h of searchFts(db, parseQuery('d:2022-04'), { limit: 1000 }).hits)
      assert.match(h.date ?? '', /^2022-04-/);
    for (const h of searchFts(db, parseQuery('s:swappiness'), { limit: 1000 }).hits)
      assert.match(h.subject ?? '', /swappiness/i);
  });

  it('filters by argument facets', () => {
    const open = searchFts(db, parseQuery('type:objection status:open'), { limit: 5 });
    assert.ok(open.total > 0);
    assert.equal(searchFts(db, parseQuery('type:nosuchtype'), {}).total, 0);
  });

  it('--min-confidence: stance facets count only sure claims, the same set as a direct count', () => {
    const q = parseQuery('stance:objects-to');
    const all = searchFts(db, q, { limit: 10_000 }).total;
    const sure = searchFts(db, q, { limit: 10_000, minConfidence: 0.95 }).total;
    const expected = db
      .prepare(
        "SELECT COUNT(DISTINCT message_id) FROM claim_rows WHERE stance = 'objects-to' AND confidence >= 0.95",
      )
      .pluck()
      .get() as number;
    assert.equal(sure, expected);
    assert.ok(sure < all, `${sure} of ${all}`);
    assert.equal(searchFts(db, q, { limit: 10_000, minConfidence: 0 }).total, all);
  });

  it('prints JSON with --json and fails clearly without a query or an index', async () => {
    const r = await cli('--json', 'zswap', 'f:shakeel', 'd:2020-09-22');
    const j = JSON.parse(r.out) as {
      total: number;
      results: { messageId: string; snippet: string; url: string }[];
    };
    assert.equal(j.results[0]!.messageId, SEED);
    assert.match(
      j.results[0]!.url,
      /^t\/20200909215752\.1725525-1-shakeelb@google\.com\.html#m[0-9a-f]{10}$/,
    );
    const none = await cli();
    assert.equal(none.code, 2);
    assert.match(none.err, /no query given/);
  });

  it('keeps the index current when new mail is ingested', async () => {
    assert.ok(searchIndexReady(db));
    const before = ids('xssneedle').length;
    await ingestPaths(db, [fixture('xss', 'xss.mbox')]);
    assert.equal(before, 0);
    assert.ok(ids('xssneedle').length >= 5);
    // A rebuild from scratch finds the same.
    db.prepare("DELETE FROM meta WHERE key = 'search_index_version'").run();
    const r = refreshSearchIndex(db, []);
    assert.equal(r.rebuilt, true);
    assert.ok(ids('xssneedle').length >= 5);
  });
});

// lore's operators over a real SQLite archive made from two fixture threads (the 2019 memory.high
// throttling patches and the 2020 memory.reclaim thread). Every expected Message-ID was read off
// the mail in test/fixtures/mbox by hand; the patch ids are what `git patch-id --stable` prints
// for each patch mail.
describe("argmap search: lore's operators", () => {
  const RECLAIM = '20200909215752.1725525-1-shakeelb@google.com';
  const V3 = '20190501184104.GA30293@chrisdown.name';
  const V4 = '20190723180700.GA29459@chrisdown.name';
  /** Michal Hocko's reply to v3: quotes v3's changelog and its patch. */
  const HOCKO = '20190507084419.GM31017@dhcp22.suse.cz';
  /** Johannes Weiner's reply to v4: quotes v4's changelog. */
  const JW = '20190723205026.GB30522@cmpxchg.org';
  let ops: Awaited<ReturnType<typeof ingestedDb>>;
  before(async () => {
    ops = await ingestedDb([fixture('mbox', 'throttle-2019.mbox'), fixture('mbox', 'reclaim-2020.mbox')]);
  });
  after(() => ops.cleanup());
  const find = (q: string, now?: Date): string[] =>
    searchFts(ops.db, parseQuery(q, now ? { now } : {}), { limit: 1000 })
      .hits.map((h) => h.messageId)
      .sort();
  const set = (...ids: string[]): string[] => [...ids].sort();

  it('dfn: finds the patches that change a file, by whole path components', () => {
    assert.deepEqual(find('dfn:mm/memcontrol.c'), set(RECLAIM, V3, V4));
    assert.deepEqual(find('dfn:memcontrol.c'), set(RECLAIM, V3, V4));
    assert.deepEqual(find('dfn:admin-guide/cgroup-v2.rst'), [RECLAIM]);
    assert.deepEqual(find('dfn:control.c'), [], 'a part of a component is not a component');
    assert.deepEqual(find('dfn:memcontrol.h'), []);
    // Replies that quote the patch change no file.
    assert.deepEqual(find('dfn:mm/memcontrol.c f:hocko'), []);
  });

  it('dfa: is the removed lines and dfb: the added ones, as in lore', () => {
    assert.deepEqual(find('dfa:css_put'), set(V3, V4));
    assert.deepEqual(find('dfa:psi_memstall_enter'), [], 'only added, never removed');
    assert.deepEqual(find('dfb:psi_memstall_enter'), set(V3, V4));
    assert.deepEqual(find('dfb:memory_reclaim'), [RECLAIM]);
  });

  it('dfhh: matches the function named in a hunk header', () => {
    assert.deepEqual(find('dfhh:mem_cgroup_handle_over_high'), set(V3, V4));
    assert.deepEqual(find('dfhh:"static ssize_t memory_oom_group_write"'), [RECLAIM]);
  });

  it('q: is quoted text, nq: and plain words what the writer wrote, b: both', () => {
    // "since reclaim is futile" is in the v3 and v4 changelogs; Hocko quotes v3's, Weiner v4's.
    assert.deepEqual(find('q:"reclaim is futile"'), set(HOCKO, JW));
    assert.deepEqual(find('nq:"reclaim is futile"'), set(V3, V4));
    assert.deepEqual(find('"reclaim is futile"'), set(V3, V4));
    assert.deepEqual(find('b:"reclaim is futile"'), set(V3, V4, HOCKO, JW));
    // Hocko quotes v3's added psi_memstall_enter line: quoted text, not a diff of his.
    assert.deepEqual(find('q:psi_memstall_enter'), [HOCKO]);
    // nq: holds the patch too (lore's nq: does), so the patches themselves are found.
    assert.deepEqual(find('nq:psi_memstall_enter'), set(V3, V4));
  });

  it('phrases keep word order in every field', () => {
    assert.deepEqual(find('q:"futile is reclaim"'), []);
    assert.deepEqual(find('dfhh:"memory_oom_group_write ssize_t"'), []);
    assert.deepEqual(find('dfb:"schedule_timeout_killable(penalty_jiffies)"'), set(V3, V4));
    assert.deepEqual(find('s:"per-memcg reclaim interface" dfn:mm/memcontrol.c'), [RECLAIM]);
  });

  it('m: finds exactly one message by Message-ID, with or without brackets', () => {
    assert.deepEqual(find(`m:<${HOCKO}>`), [HOCKO]);
    assert.deepEqual(find(`m:${HOCKO}`), [HOCKO]);
    assert.deepEqual(find(`mid:${HOCKO} q:futile`), [HOCKO]);
    assert.deepEqual(find(`dfn:mm/memcontrol.c -m:${V3}`), set(RECLAIM, V4));
    assert.deepEqual(find('m:20190410153449.GA14915@chrisdown.name'), [], 'a ghost is no hit');
    assert.deepEqual(find(`m:${HOCKO.toUpperCase()}`), [], 'Message-IDs are compared as written');
  });

  it('patchid: finds the patch with that `git patch-id --stable`', () => {
    assert.deepEqual(find('patchid:24be5628c08f62235b463d7510ca1e15c2fc3e0d'), [RECLAIM]);
    assert.deepEqual(find('patchid:1DB85976B749163BC05F72F7FE9CE7FB111DB036'), [V3]);
    assert.deepEqual(find('patchid:55d3297546d86de027229b9eea19e41a44966596'), [V4]);
    assert.deepEqual(find('patchid:0000000000000000000000000000000000000000'), []);
  });

  it("d: takes git's relative dates", () => {
    // v3 was sent on 1 May 2019; Hocko replied on 7 May; v4 and Weiner's reply came on 23 July.
    assert.deepEqual(find('d:2.weeks.ago..1.week.ago', new Date('2019-05-10T12:00:00Z')), [V3]);
    assert.deepEqual(find('d:1.week.ago.. d:..2019-06', new Date('2019-05-10T12:00:00Z')), [HOCKO]);
    assert.deepEqual(find('d:yesterday', new Date('2019-07-24T10:00:00Z')), set(V4, JW));
    assert.deepEqual(find('d:1.month.ago..1.week.ago', new Date('2019-08-01T00:00:00Z')), set(V4, JW));
  });

  it('answers the operators on the command line', async () => {
    const r = await runCli(['search', '--db', ops.file, '--json', 'dfn:mm/memcontrol.c', 'dfa:css_put']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { total: number; results: { messageId: string }[] };
    assert.deepEqual(j.results.map((x) => x.messageId).sort(), set(V3, V4));
    // Weiner's reply is an ack under a quote: its snippet comes from the quoted text q: matched.
    const q = await runCli(['search', '--db', ops.file, '--json', `m:${JW}`, 'q:futile']);
    const jq = JSON.parse(q.out) as { results: { snippet: string }[] };
    assert.match(jq.results[0]!.snippet, /since reclaim is \[futile\]/);
    const t = await runCli(['search', '--db', ops.file, 'l:cgroups', 'dfn:mm/memcontrol.c']);
    assert.match(t.out + t.err, /operator l: is not supported yet/);
  });

  it('t: c: tc: a: search To, Cc, both, and both with From', () => {
    // The 2019 thread's headers: v3 and v4 go To Andrew Morton, Cc Johannes Weiner, Michal Hocko
    // (kernel.org) and others; Hocko's reply goes To Chris Down, Cc Andrew, Johannes and the rest
    // (not himself); Weiner's reply goes To Chris, Cc Andrew, Michal Hocko and the rest (not himself).
    assert.deepEqual(find('t:chris@chrisdown.name d:2019'), set(HOCKO, JW));
    assert.deepEqual(find('t:"Chris Down" d:2019'), set(HOCKO, JW), 'From is not To');
    assert.deepEqual(find('c:chris@chrisdown.name d:2019'), []);
    assert.deepEqual(find('t:akpm d:2019'), set(V3, V4));
    assert.deepEqual(find('c:akpm d:2019'), set(HOCKO, JW));
    assert.deepEqual(find('tc:akpm@linux-foundation.org d:2019'), set(V3, V4, HOCKO, JW));
    assert.deepEqual(find('c:hannes d:2019'), set(V3, V4, HOCKO));
    assert.deepEqual(find('a:hannes d:2019'), set(V3, V4, HOCKO, JW));
    assert.deepEqual(find('c:mhocko@kernel.org d:2019'), set(V3, V4, JW));
  });

  it('reads To and Cc of an archive ingested before they were stored from the raw copies', async () => {
    const all = ops.db.prepare('SELECT id, to_addrs, cc_addrs FROM messages WHERE is_ghost = 0 ORDER BY id');
    const stored = all.all() as { id: number; to_addrs: string; cc_addrs: string }[];
    assert.equal(stored.length, 32);
    const hocko = ops.db
      .prepare('SELECT to_addrs, cc_addrs FROM messages WHERE message_id = ?')
      .get(HOCKO) as { to_addrs: string; cc_addrs: string };
    assert.deepEqual(hocko, {
      to_addrs: 'Chris Down <chris@chrisdown.name>',
      cc_addrs:
        'Andrew Morton <akpm@linux-foundation.org>, Johannes Weiner <hannes@cmpxchg.org>, ' +
        'Tejun Heo <tj@kernel.org>, Roman Gushchin <guro@fb.com>, linux-kernel@vger.kernel.org, ' +
        'cgroups@vger.kernel.org, linux-mm@kvack.org, kernel-team@fb.com',
    });
    // As an archive migrated to schema 6 looks: nothing read yet (and never said to be complete).
    ops.db.prepare('UPDATE messages SET to_addrs = NULL, cc_addrs = NULL').run();
    ops.db.prepare("DELETE FROM meta WHERE key = 'recipients_complete'").run();
    const r = await ingestPaths(ops.db, [fixture('mbox', 'throttle-2019.mbox')]);
    assert.equal(r.added, 0);
    assert.deepEqual(all.all(), stored);
    assert.deepEqual(find('c:mhocko@kernel.org d:2019'), set(V3, V4, JW));
  });
});

describe('scoreAllOf: BM25 of the words a message must hold, plus its stop words', () => {
  // Oracle: FTS5's own BM25 of the OR of every word (each word as the search writes it, own text,
  // subject and author), the query the ranking used to run, read straight from SQL; for each
  // message that holds all the required words, the scores must agree.
  const oracle = (words: string[], weights: string): Map<number, number> =>
    new Map(
      (
        db
          .prepare(
            `SELECT rowid AS id, bm25(search_fts, ${weights}) AS s FROM search_fts WHERE search_fts MATCH ?`,
          )
          .all(words.map((w) => ftsTerm(term(w))).join(' OR ')) as { id: number; s: number }[]
      ).map((r) => [r.id, r.s]),
    );
  const reply = (id: number): unknown =>
    db.prepare('SELECT is_reply FROM subjects WHERE message_id = ?').pluck().get(id);
  const term = (text: string): Term => ({ field: 'any', text, prefix: false, phrase: false }) as Term;
  const cases: [string[], string[]][] = [
    [
      ['memory', 'reclaim'],
      ['why', 'not', 'the'],
    ],
    [
      ['zswap', 'writeback'],
      ['how', 'to', 'for', 'a'],
    ],
    [['cgroup'], ['is', 'it']],
    [['proactive', 'reclaim', 'interface'], []],
  ];
  for (const [required, optional] of cases)
    it(`${required.join(' ')} + ${optional.join(' ') || 'no stop words'}`, () => {
      const all = [...required, ...optional];
      const a = oracle(all, POSTING_WEIGHTS);
      const b = oracle(all, REPLY_WEIGHTS);
      const holdsAll = new Set(
        db
          .prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ?')
          .pluck()
          .all(required.map((w) => ftsTerm(term(w))).join(' AND ')) as number[],
      );
      const got = scoreAllOf(
        new SearchTables(db),
        required.map((w) => ftsTerm(term(w))),
        optional.map(term),
      );
      assert.ok(holdsAll.size > 0, 'the case matches something');
      assert.deepEqual(new Set(got.rows), holdsAll);
      // A word left out as too common moves a score by at most MAX_DROPPED_WORD_SCORE.
      const slack = got.dropped.length * MAX_DROPPED_WORD_SCORE;
      for (const id of got.rows) {
        const want = reply(id) === 1 ? b.get(id)! : a.get(id)!;
        assert.ok(
          Math.abs(got.score.get(id)! - want) <= 1e-9 * Math.max(1, Math.abs(want)) + slack,
          `${id}: ${got.score.get(id)} vs ${want}`,
        );
      }
    });
  it('leaves out some of these stop words on the bundled archive (so the slack above is used)', () => {
    const dropped = cases.flatMap(([req, opt]) =>
      scoreAllOf(
        new SearchTables(db),
        req.map((w) => ftsTerm(term(w))),
        opt.map(term),
      ).dropped.map((w) => w.text),
    );
    assert.ok(dropped.length > 0 && dropped.length < 9, dropped.join(' '));
  });
});

describe('scoringWords: only stop words that FTS5 scores (almost) nothing', () => {
  const STOP = 'to the a is it of and in for that this not on be with we if as but no at so was'.split(' ');
  const term = (text: string): Term => ({ field: 'any', text, prefix: false, phrase: false }) as Term;
  // Oracle: FTS5's BM25 of the word alone, on every row that holds it. A dropped word must score
  // at most MAX_DROPPED_WORD_SCORE on each; a kept word that does score more somewhere proves the
  // check can tell the two apart.
  const decide = (d: Db, label: string): { dropped: string[]; scored: string[] } => {
    const { dropped } = scoringWords(new SearchTables(d), STOP.map(term));
    const scored: string[] = [];
    for (const w of STOP) {
      const scores = d
        .prepare('SELECT bm25(search_fts) FROM search_fts WHERE search_fts MATCH ?')
        .pluck()
        .all(ftsTerm(term(w))) as number[];
      const most = Math.max(0, ...scores.map(Math.abs));
      if (dropped.some((x) => x.text === w))
        assert.ok(most <= MAX_DROPPED_WORD_SCORE, `${label}: "${w}" dropped but scores ${most}`);
      else if (most > MAX_DROPPED_WORD_SCORE) scored.push(w);
    }
    return { dropped: dropped.map((x) => x.text), scored };
  };
  it('on a new index, and after re-indexing, where FTS5 still counts the deleted rows in its N', async () => {
    const { db: d, cleanup: done } = await ingestedDb([
      fixture('mbox', 'throttle-2019.mbox'),
      'data/corpus/threads/nodes-revert-2022.mbox',
    ]);
    try {
      const fresh = decide(d, 'new index');
      assert.ok(fresh.dropped.length > 0 && fresh.scored.length > 0, JSON.stringify(fresh));
      const t = new SearchTables(d);
      const live = d.prepare('SELECT COUNT(*) FROM search_fts_docsize').pluck().get() as number;
      assert.equal(t.bm25RowCount(), live);
      const all = d.prepare('SELECT id FROM messages WHERE is_ghost = 0').pluck().all() as number[];
      refreshSearchIndex(d, all);
      assert.equal(d.prepare('SELECT COUNT(*) FROM search_fts_docsize').pluck().get(), live);
      assert.equal(t.bm25RowCount(), 2 * live, 'N counts every row ever inserted');
      // With N doubled, words held by a half to all of the rows are no longer too common: a count
      // of the live rows would still drop them, and the oracle would catch it.
      const again = decide(d, 're-indexed');
      assert.ok(again.dropped.length < fresh.dropped.length, JSON.stringify({ fresh, again }));
    } finally {
      done();
    }
  });
});
