// The lean index builder computes what lunr.Builder computes: same terms, same term indexes, same
// BM25 field vectors. lunr.Builder is the oracle, run over the own text of every bundled message;
// the builder's shards, merged back, must equal lunr's own serialized index, and rank the same.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FIELDS,
  FIELD_BOOST,
  IndexBuilder,
  fieldTerms,
  decodeDays,
  decodeThreads,
  encodeDays,
  encodeThreads,
  type SearchDoc,
} from '../../src/search/index-build.ts';
import { docRef, mergeShards } from '../../src/search/engine.ts';
import { lunr, PIPELINE_LABELS, queryTerm, registerLunr } from '../../src/search/lunr-setup.ts';
import { searchDocs } from '../helpers/search-docs.ts';
import { bundledDb } from '../site/bundled.ts';
import type { Db } from '../../src/store/db.ts';

let db: Db;
let cleanup: () => void;
let docs: SearchDoc[];
before(async () => {
  ({ db, cleanup } = await bundledDb());
  // Subjects are shared across threads ("Re: [PATCH] …"), so pages are told apart by thread id.
  docs = searchDocs(db, (thread) => `t/${thread}.html`);
});
after(() => cleanup());

function withLunrBuilder(ds: SearchDoc[], boosts?: number[]): lunr.Index {
  registerLunr();
  const b = new lunr.Builder();
  b.ref('ref');
  for (const f of FIELDS)
    b.field(f, {
      boost: FIELD_BOOST[f],
      extractor: (d: object) => fieldTerms(f, d as SearchDoc) as unknown as string,
    });
  b.metadataWhitelist = [];
  b.pipeline.reset();
  b.searchPipeline.reset();
  b.tokenizer = ((terms: string[]) =>
    terms.map((t) => new lunr.Token(t, {}))) as unknown as typeof b.tokenizer;
  ds.forEach((d, i) => b.add({ ...d, ref: docRef(i) }, boosts ? { boost: boosts[i]! } : undefined));
  return b.build();
}

describe('IndexBuilder', () => {
  it('equals lunr.Builder over the bundled messages', () => {
    const mine = new IndexBuilder();
    for (const d of docs) mine.add(d);
    const built = mine.finish();
    assert.ok(built.shards.length >= 1);
    const merged = mergeShards(
      built.shards.map((s) => s.terms),
      PIPELINE_LABELS,
    );
    // JSON round trip: lunr builds null-prototype objects; the serialized form is what matters.
    const oracle = JSON.parse(JSON.stringify(withLunrBuilder(docs))) as typeof merged;
    assert.equal(merged.invertedIndex.length, oracle.invertedIndex.length);
    assert.deepEqual(merged.invertedIndex, oracle.invertedIndex);
    // lunr also keeps empty vectors for fields a document does not have; they never score.
    const oracleVectors = new Map(oracle.fieldVectors.filter(([, v]) => v.length));
    assert.equal(merged.fieldVectors.length, oracleVectors.size);
    for (const [ref, v] of merged.fieldVectors) assert.deepEqual(v, oracleVectors.get(ref), ref);
  });

  it('ranks queries exactly as the unsharded lunr index does', () => {
    const mine = new IndexBuilder();
    for (const d of docs) mine.add(d);
    const idx = lunr.Index.load(
      mergeShards(
        mine.finish().shards.map((s) => s.terms),
        [],
      ),
    );
    const oracle = withLunrBuilder(docs);
    for (const words of [['zswap'], ['memory.high', 'throttl'], ['proactive', 'reclaim'], ['swappiness']]) {
      const q = (x: lunr.Query): void => {
        for (const w of words)
          x.term(queryTerm(w)!, {
            usePipeline: false,
            presence: lunr.Query.presence.REQUIRED,
            wildcard: w === 'throttl' ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
          });
      };
      const a = idx.query(q).map((r) => [r.ref, r.score.toFixed(9)]);
      const b = oracle.query(q).map((r) => [r.ref, r.score.toFixed(9)]);
      assert.ok(a.length > 0, words.join(' '));
      assert.deepEqual(a, b, words.join(' '));
    }
  });

  it("bakes in the CLI's ranking: a document boost scales all its scores, a reply's subject weighs 0.5 not 3", () => {
    // lunr.Builder with the same document boosts is the oracle; it has no per-document field
    // boost, so its subject entries of replies are scaled by hand (0.5 / 3).
    const boosts = docs.map((_, i) => 0.3 + (i % 7) / 10);
    const reply = docs.map((_, i) => i % 3 === 0);
    const mine = new IndexBuilder();
    docs.forEach((d, i) => mine.add({ ...d, boost: boosts[i], reply: reply[i] }));
    const merged = mergeShards(
      mine.finish().shards.map((s) => s.terms),
      PIPELINE_LABELS,
    );
    const oracle = JSON.parse(JSON.stringify(withLunrBuilder(docs, boosts))) as typeof merged;
    const oracleVectors = new Map(oracle.fieldVectors.filter(([, v]) => v.length));
    let scaled = 0;
    for (const [ref, v] of merged.fieldVectors) {
      const want = oracleVectors.get(ref)!;
      const [field, d] = ref.split('/') as [string, string];
      const k = field === 'subject' && reply[Number(d.slice(1))] ? 0.5 / 3 : 1;
      assert.equal(v.length, want.length, ref);
      for (let j = 0; j < v.length; j += 2) {
        assert.equal(v[j], want[j], ref);
        // both sides round to 3 decimals, ours after the scaling
        assert.ok(
          Math.abs(v[j + 1]! - want[j + 1]! * k) <= 0.0011,
          `${ref}: ${v[j + 1]} vs ${want[j + 1]! * k}`,
        );
      }
      if (k !== 1) scaled++;
    }
    assert.ok(scaled > 50, `${scaled} reply subjects checked`);
  });

  it('splits a large index into shards that partition the sorted terms', () => {
    const mine = new IndexBuilder();
    // Several copies of the bundled docs make an index big enough to need several shards.
    for (let k = 0; k < 3; k++) for (const d of docs) mine.add(d);
    const { shards } = mine.finish();
    assert.ok(shards.length > 1, `${shards.length} shards`);
    const all = shards.flatMap((s) => s.terms.map((t) => t[0]));
    assert.deepEqual(
      all,
      [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    assert.equal(new Set(all).size, all.length);
    for (const s of shards) assert.equal(s.first, s.terms[0]![0]);
  });
});

describe('day encoding', () => {
  it('round-trips, undated documents included', () => {
    const days = [-1, 18000, 18000, 18001, -1, 19000, 20000];
    assert.deepEqual(decodeDays(encodeDays(days)), days);
  });
});

describe('thread encoding', () => {
  it('round-trips any sequence numbered by first appearance, and stays small when threads are recent', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 300 }), (picks) => {
        // Documents pick a thread among those started so far, or start the next one.
        const threads: number[] = [];
        let started = 0;
        for (const p of picks) threads.push(p % (started + 1) === started ? started++ : p % (started + 1));
        const enc = encodeThreads(threads);
        assert.deepEqual(decodeThreads(enc), threads);
        assert.ok(enc.every((e) => e >= 0));
      }),
    );
    // Hand-worked: threads 0, 0, 1, 0, 2, 1 → new, 1 back, new, 2 back, new, 2 back.
    assert.deepEqual(encodeThreads([0, 0, 1, 0, 2, 1]), [0, 1, 0, 2, 0, 2]);
  });

  it('numbers the threads of the bundled documents by their thread page', () => {
    const b = new IndexBuilder();
    for (const d of docs) b.add(d);
    const { threads } = b.finish();
    const pageOf = new Map<number, string>();
    docs.forEach((d, i) => {
      const t = threads[i]!;
      const seen = pageOf.get(t);
      if (seen === undefined) pageOf.set(t, d.threadUrl);
      else assert.equal(seen, d.threadUrl);
    });
    assert.equal(pageOf.size, new Set(docs.map((d) => d.threadUrl)).size);
  });
});
