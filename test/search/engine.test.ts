// The search engine scores exactly as lunr.Index.query does on the same (merged) index: lunr is
// the oracle for every query shape the syntax produces (single words, several required words,
// prefixes, fields, facets), over the own text of every bundled message. Phrases: hand-checked
// golden pairs on small documents, and the CLI's FTS5 phrases as the oracle on the bundled data.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIELDS,
  IndexBuilder,
  type Manifest,
  type SearchDoc,
  type ShardTerm,
  type StoredDoc,
} from '../../src/search/index-build.ts';
import { searchFts } from '../../src/search/fts.ts';
import { lookupsOf, markTerms, refNumber, SearchEngine, snippet } from '../../src/search/engine.ts';
import { lunr, PIPELINE_LABELS } from '../../src/search/lunr-setup.ts';
import { parseQuery } from '../../src/search/query.ts';
import { searchDocs } from '../helpers/search-docs.ts';
import { encodeDays, encodeThreads } from '../../src/search/index-build.ts';
import { bundledDb } from '../site/bundled.ts';
import type { Db } from '../../src/store/db.ts';

let db: Db;
let cleanup: () => void;
let engine: SearchEngine;
let idx: lunr.Index;
let docs: SearchDoc[];

/** An engine over documents, as the site builds it (positions included unless `positions` is false). */
function engineOf(ds: SearchDoc[], positions = true): SearchEngine {
  const b = new IndexBuilder();
  for (const d of ds) b.add(d);
  const built = b.finish();
  const shards: ShardTerm[][] = built.shards.map((s) => s.terms);
  const manifest: Manifest = {
    version: 1,
    docCount: ds.length,
    fields: built.fields,
    pipeline: PIPELINE_LABELS,
    shards: built.shards.map((s, i) => ({
      first: s.first,
      file: String(i),
      terms: s.terms.length,
      bytes: 0,
      ...(positions ? { positions: `p${i}` } : {}),
    })),
    chunkSize: 32,
    chunks: [],
    days: encodeDays(built.days),
    threads: encodeThreads(built.threads),
    builtAt: '',
  };
  return new SearchEngine(manifest, {
    shard: (i) => Promise.resolve(shards[i]!),
    chunk: () => Promise.resolve([] as StoredDoc[]),
    positions: (i) => Promise.resolve(b.positions(i)),
  });
}

before(async () => {
  ({ db, cleanup } = await bundledDb());
  docs = searchDocs(db, () => '');
  engine = engineOf(docs);
  const built = { shards: engine.manifest.shards };
  // Load every shard, then take lunr's view of the same data.
  await engine.search(
    parseQuery(
      built.shards
        .map((s) => s.first)
        .filter(Boolean)
        .join(' OR '),
    ),
  );
  idx = engine.lunrIndex();
});
after(() => cleanup());

describe('SearchEngine', () => {
  it('scores every query shape exactly as lunr.Index.query', () => {
    const queries = [
      'zswap',
      'reclaim',
      'memory.high throttling',
      'proactive reclaim',
      'f:hocko',
      's:swappiness',
      'b:kswapd',
      'reclai*',
      'memcg*',
      'type:objection',
      'topic:memory.high',
      'zswap latency sensitive',
      '"memory high"',
      'not',
      'über',
    ];
    let compared = 0;
    for (const q of queries) {
      for (const c of parseQuery(q).clauses) {
        for (const alt of c.alternatives) {
          for (const group of lookupsOf(alt) ?? []) {
            const mine = [...engine.scoreGroup(group)]
              .map(([d, s]) => [d, s.toFixed(9)])
              .sort((a, b) => Number(a[0]) - Number(b[0]));
            const theirs = idx
              .query((x) => {
                for (const l of group)
                  x.term(l.term, {
                    fields: [...l.fields],
                    usePipeline: false,
                    presence: lunr.Query.presence.REQUIRED,
                    wildcard: l.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
                  });
              })
              .map((r) => [refNumber(r.ref), r.score.toFixed(9)])
              .sort((a, b) => Number(a[0]) - Number(b[0]));
            assert.deepEqual(mine, theirs, q);
            compared += mine.length;
          }
        }
      }
    }
    assert.ok(compared > 1000, `${compared} scores compared`);
  });

  it('ANDs clauses, ORs alternatives, subtracts exclusions', async () => {
    const ids = async (q: string): Promise<Set<number>> =>
      new Set((await engine.search(parseQuery(q))).hits.map((h) => h.ref));
    const a = await ids('zswap');
    const b = await ids('latency');
    const and = await ids('zswap latency');
    assert.deepEqual([...and].sort(), [...a].filter((x) => b.has(x)).sort());
    const or = await ids('zswap OR latency');
    assert.equal(or.size, new Set([...a, ...b]).size);
    const minus = await ids('zswap -latency');
    assert.deepEqual([...minus].sort(), [...a].filter((x) => !b.has(x)).sort());
    assert.equal((await ids('-zswap')).size, 0);
  });

  it('says which operators only `argmap search` answers instead of ignoring them silently', async () => {
    const run = (q: string): ReturnType<SearchEngine['search']> => engine.search(parseQuery(q));
    const zswap = (await run('zswap')).hits.map((h) => h.ref);
    for (const op of [
      'q:futile',
      'dfn:mm/vmscan.c',
      'dfa:x',
      'dfb:x',
      'dfhh:shrink_node',
      'm:a@b',
      'patchid:ab',
    ]) {
      const r = await run(`zswap ${op}`);
      const name = op.slice(0, op.indexOf(':') + 1);
      assert.deepEqual(r.errors, [`operator ${name} only in \`argmap search\` for now (left out here)`], op);
      assert.deepEqual(
        r.hits.map((h) => h.ref),
        zswap,
        `${op} is left out, not matched against own text`,
      );
    }
    // Only CLI operators: no hits, and the note is the whole answer.
    const only = await run('dfn:mm/vmscan.c');
    assert.deepEqual([only.hits.length, only.errors.length], [0, 1]);
    // nq: and b: are answered from own text, and say that the rest is only in the CLI.
    const b = await run('b:kswapd');
    assert.ok(b.hits.length > 0);
    assert.match(
      b.errors.join(),
      /operator b: searches own text only here; quoted text and the patch part only in `argmap search`/,
    );
    assert.deepEqual(
      (await run('nq:kswapd')).hits.map((h) => h.ref),
      b.hits.map((h) => h.ref),
    );
    assert.match((await run('l:cgroups zswap')).errors.join(), /operator l: is not supported yet/);
  });
});

/** A document with only the fields a phrase test needs. */
function doc(messageId: string, body: string, subject = ''): SearchDoc {
  const facets = Object.fromEntries(FIELDS.slice(3).map((f) => [f, []])) as unknown as SearchDoc['facets'];
  return {
    url: '',
    subject,
    author: 'A Writer a@example.org',
    body,
    facets,
    date: '2020-01-01',
    thread: '',
    threadUrl: messageId,
    messageId,
  };
}

describe('SearchEngine phrases', () => {
  it('keeps a phrase to its words in order, next to each other, in one field (hand-checked)', async () => {
    const small = [
      doc('A', 'the memory high limit was hit'),
      doc('B', 'memory is high'),
      doc('C', 'we set memory.high to 1G'),
      doc('D', 'high memory usage'),
      doc('E', 'nothing here', 'Re: memory high'),
      doc('F', 'memory of the cgroup'),
      doc('G', 'memory in cgroup'),
      doc('H', 'reclaiming memory'),
      doc('I', 'memory', 'high'),
      doc('J', 'memory foo bar cgroup'),
      doc('K', 'memory_high_write() is called'),
    ];
    const e = engineOf(small);
    const ids = async (q: string): Promise<string[]> =>
      (await e.search(parseQuery(q))).hits.map((h) => small[h.ref]!.messageId).sort();
    // By hand: which texts hold the words as FTS5 reads the phrase (it splits at `.` and `_`).
    assert.deepEqual(await ids('"memory high"'), ['A', 'C', 'E', 'K']);
    assert.deepEqual(await ids('memory high'), ['A', 'B', 'C', 'D', 'E', 'I', 'K']);
    assert.deepEqual(await ids('s:"memory high"'), ['E']);
    assert.deepEqual(await ids('"high memory"'), ['D']);
    assert.deepEqual(await ids('"memory.high limit"'), ['A']);
    assert.deepEqual(await ids('"memory high write"'), ['K']);
    // Stop words keep their place: "memory of the cgroup" is not "memory in cgroup". The site has
    // no positions for stop words, so inside a phrase one stands for any word (J; FTS5: F only).
    assert.deepEqual(await ids('"memory of the cgroup"'), ['F', 'J']);
    assert.deepEqual(await ids('"memory in cgroup"'), ['G']);
    // Stems match as words do ("reclaiming" is "reclaim").
    assert.deepEqual(await ids('"reclaim memory"'), ['H']);
    assert.deepEqual(await ids('-"memory high" memory'), ['B', 'D', 'F', 'G', 'H', 'I', 'J']);
    assert.deepEqual(await ids('"high limit" OR "memory usage"'), ['A', 'D']);
    // A site built without positions: a phrase is all its words, and the page says so.
    const old = engineOf(small, false);
    const r = await old.search(parseQuery('"memory high"'));
    assert.equal(r.hits.length, 7);
    assert.match(r.errors.join(), /without positions/);
  });

  it('keeps fewer hits for a phrase than for its words, with the same scores as the words in one group', async () => {
    const words = new Map(
      (await engine.search(parseQuery('"proactive reclaim" OR "reclaim proactive"'))).hits.map((h) => [
        h.ref,
        h.score,
      ]),
    );
    const allWords = await engine.search(parseQuery('proactive reclaim'));
    const phrase = (await engine.search(parseQuery('"proactive reclaim"'))).hits;
    assert.ok(
      phrase.length > 10 && phrase.length < allWords.hits.length,
      `${phrase.length} of ${allWords.hits.length}`,
    );
    for (const h of phrase) assert.ok(words.has(h.ref));
    // The phrase's score is lunr's score of its words as one query (checked against lunr above).
    const group = lookupsOf(parseQuery('"proactive reclaim"').clauses[0]!.alternatives[0]!)![0]!;
    const scores = engine.scoreGroup(group);
    for (const h of phrase) assert.equal(h.score, scores.get(h.ref));
  });

  it("finds what the CLI's FTS5 phrases find on the bundled data", async () => {
    // Differences that tokenisation explains, and nothing else: the CLI reads the first
    // FTS_TEXT_CAP characters of own text and the site all of it, so a message only the site
    // finds must have the phrase past the CLI's cap; and the site has no positions for stop
    // words, so in a phrase with one inside ("reclaim is futile") it stands for any word, and a
    // phrase of stop words but one ("we should not") is that one word: there the site may find
    // more than the CLI, never less.
    const cliCap = 20_000;
    const exact = [
      '"memory high"',
      '"proactive reclaim"',
      '"memory.reclaim interface"',
      '"high limit"',
      '"user space"',
      '"page cache"',
      's:"proactive reclaim"',
      's:"memory reclaim"',
      'f:"michal hocko"',
      '"memory high write"',
      '"cgroup v2"',
      // unquoted compound words are phrases of their parts, as FTS5 reads them
      'memory.reclaim',
      'memory.high',
      'memory_high',
      'memory.reclaim f:shakeel',
    ];
    const gapped = ['"we should not"', '"reclaim is futile"', '"out of memory"', '"the memory high"'];
    const byMid = new Map(docs.map((d) => [d.messageId, d]));
    let compared = 0;
    let extra = 0;
    for (const q of [...exact, ...gapped]) {
      const site = new Set((await engine.search(parseQuery(q))).hits.map((h) => docs[h.ref]!.messageId));
      const r = searchFts(db, parseQuery(q), { limit: 1_000_000 });
      const cli = new Set(r.hits.filter((h) => !h.partial).map((h) => h.messageId));
      assert.equal(cli.size, r.total, q);
      if (!gapped.includes(q)) assert.ok(cli.size > 0, q);
      assert.deepEqual(
        [...cli].filter((m) => !site.has(m)),
        [],
        `${q}: found by the CLI only`,
      );
      for (const m of [...site].filter((x) => !cli.has(x))) {
        extra++;
        if (gapped.includes(q)) continue;
        const d = byMid.get(m)!;
        assert.ok(
          d.body.length > cliCap,
          `${q}: ${m} found by the site only, own text ${d.body.length} chars`,
        );
      }
      compared += cli.size;
    }
    assert.ok(compared > 200, `${compared} CLI hits compared (${extra} more on the site)`);
  });

  it('starts a snippet at the phrase, not at the first of its words', () => {
    const text = `Proactive work first. ${'filler words here '.repeat(40)}Then memory.high and proactive reclaiming.`;
    const at = (q: string): string =>
      snippet(text, markTerms(parseQuery(q)))
        .map((p) => (p.mark ? `[${p.text}]` : p.text))
        .join('');
    assert.match(at('"proactive reclaim"'), /\[proactive\] \[reclaiming\]/);
    assert.match(at('proactive reclaim'), /^\[Proactive\] work first/);
    assert.match(at('"memory high"'), /\[memory\]\.\[high\]/);
    assert.match(at('memory'), /\[memory\]\.high/);
  });
});

describe('SearchEngine decision records', () => {
  it('leads with the records the CLI leads with, from the manifest the site build writes', async () => {
    const { generateSite } = await import('../../src/site/build.ts');
    const { readRecords } = await import('../../src/decisions/record.ts');
    let manifest: Manifest | null = null;
    for await (const page of generateSite(db, { minify: false }))
      if (page.path === 'search/manifest.js') {
        const window: { ARGMAP_DATA?: [string, number, Manifest][] } = {};
        new Function('window', String(page.content))(window);
        manifest = window.ARGMAP_DATA![0]![2];
        break;
      }
    assert.ok(manifest?.records?.length, 'the manifest carries the records');
    const site = new SearchEngine(manifest, {
      shard: () => Promise.resolve([]),
      chunk: () => Promise.resolve([]),
    });
    const records = readRecords('data/decisions');
    let matched = 0;
    for (const q of [
      'memory.reclaim',
      'why was memory.reclaim merged',
      'memory.high throttling',
      'swappiness',
      'nodes revert',
      'zswap',
    ]) {
      const cli = searchFts(db, parseQuery(q), { limit: 5, records }).records.map((r) => r.slug);
      const got = site.records(parseQuery(q));
      assert.deepEqual(
        got.map((r) => r.slug),
        cli,
        q,
      );
      for (const r of got) assert.equal(r.url, `d/${r.slug}.html`); // the decision page, as the server links it
      matched += got.length;
    }
    assert.ok(matched >= 4, `${matched} records matched`);
  });
});

describe('SearchEngine stop words', () => {
  it("reads a question's stop words as optional, as the CLI does, and answers a query of stop words alone with a note", async () => {
    const refs = async (q: string): Promise<number[]> =>
      (await engine.search(parseQuery(q))).hits.map((h) => h.ref).sort((a, b) => a - b);
    const words = await refs('memory.reclaim merged');
    assert.ok(words.length > 0);
    assert.deepEqual(await refs('why was memory.reclaim merged'), words);
    const cli = searchFts(db, parseQuery('why was memory.reclaim merged'), { limit: 1000 });
    assert.equal(words.length, cli.total, 'the same count as the CLI');
    const only = await engine.search(parseQuery('why was it'));
    assert.equal(only.hits.length, 0);
    assert.match(only.errors.join(' '), /too common to be indexed/);
  });
});

describe('SearchEngine partial matches', () => {
  it('follows the full matches with the messages that miss one plain word, the ones the CLI finds', async () => {
    let partials = 0;
    for (const q of [
      'zswap writeback throttling',
      'proactive reclaim interface',
      'swappiness anon file balance',
    ]) {
      const r = await engine.search(parseQuery(q), { limit: 1_000_000 });
      const full = r.hits.filter((h) => !h.partial).map((h) => docs[h.ref]!.messageId);
      const partial = r.hits.filter((h) => h.partial).map((h) => docs[h.ref]!.messageId);
      // every full match ranks before every partial one
      assert.ok(
        r.hits.findIndex((h) => h.partial) === -1 || r.hits.slice(full.length).every((h) => h.partial),
        q,
      );
      const cli = searchFts(db, parseQuery(q), { limit: 1_000_000 });
      const sorted = (xs: string[]): string[] => [...xs].sort();
      assert.deepEqual(
        sorted(full),
        sorted(cli.hits.filter((h) => !h.partial).map((h) => h.messageId)),
        `${q}: full`,
      );
      assert.deepEqual(
        sorted(partial),
        sorted(cli.hits.filter((h) => h.partial).map((h) => h.messageId)),
        `${q}: partial`,
      );
      partials += partial.length;
    }
    assert.ok(partials > 100, `${partials} partial matches compared`);
    // two words: no partial matches, as in the CLI
    assert.ok(
      (await engine.search(parseQuery('zswap writeback'), { limit: 1_000_000 })).hits.every(
        (h) => !h.partial,
      ),
    );
  });
});
