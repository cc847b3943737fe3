// The ranking rules of src/search/rank.ts: which words are optional, how many a partial match may
// miss, the substance and discussion priors, and which decision records answer a query (over the
// real records in data/decisions/, expectations read off their front matter by hand).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { parseQuery, type Term } from '../../src/search/query.ts';
import {
  allowedMisses,
  discussion,
  FULL_WEIGHT_WORDS,
  matchRecords,
  requiredClauses,
  substance,
  wordCount,
} from '../../src/search/rank.ts';
import { readRecords } from '../../src/decisions/record.ts';

const texts = (cs: { alternatives: unknown[] }[]): string[] =>
  cs.map((c) => (c.alternatives[0] as Term).text);
const RECORDS = readRecords(resolve(import.meta.dirname, '..', '..', 'data', 'decisions'));

describe('requiredClauses', () => {
  it('makes the stop words of a question optional and keeps the rest required', () => {
    const r = requiredClauses(parseQuery('why was memory.reclaim merged'));
    assert.deepEqual(texts(r.required), ['memory.reclaim', 'merged']);
    assert.deepEqual(texts(r.optional), ['why', 'was']);
  });

  it('keeps every word when the query is nothing but stop words, and a stop word with a field', () => {
    assert.deepEqual(texts(requiredClauses(parseQuery('why not')).required), ['why', 'not']);
    const r = requiredClauses(parseQuery('b:why memory.high'));
    assert.deepEqual(texts(r.required), ['why', 'memory.high']);
    assert.equal(r.optional.length, 0);
  });

  it('never counts a negated word as required or optional', () => {
    const r = requiredClauses(parseQuery('memory.high -the'));
    assert.deepEqual(texts(r.required), ['memory.high']);
    assert.equal(r.optional.length, 0);
  });
});

describe('allowedMisses', () => {
  it('lets one plain word go missing from three or more, never an operator', () => {
    const miss = (q: string): number => allowedMisses(requiredClauses(parseQuery(q)).required);
    assert.equal(miss('memory.high throttling'), 0);
    assert.equal(miss('async memory.high reclaim'), 1);
    assert.equal(miss('f:hocko s:reclaim memory.high'), 0); // one plain word, two operators
    assert.equal(miss('why was async memory.high reclaim not merged'), 1); // 4 after stop words
  });
});

describe('priors', () => {
  it('substance grows with own text, from well below 1 for an empty message to 1', () => {
    assert.ok(substance(0) < 0.15);
    assert.equal(substance(FULL_WEIGHT_WORDS - 1), 1);
    assert.equal(substance(10 * FULL_WEIGHT_WORDS), 1);
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return substance(lo) <= substance(hi) && substance(lo) > 0;
      }),
    );
  });

  it('discussion is 1 for an unanswered message and grows by doublings of replies', () => {
    assert.equal(discussion(0), 1);
    assert.ok(Math.abs(discussion(3) - discussion(1) - (discussion(7) - discussion(3))) < 1e-9);
    assert.ok(discussion(100) > discussion(10));
  });

  it('wordCount counts what a whitespace split counts, quote markers aside', () => {
    assert.equal(wordCount('Thanks.'), 1);
    assert.equal(wordCount('  +1 \n'), 1);
    assert.equal(wordCount('> quoted\n>> twice\nmine'), 3);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        // A regular-expression split is the naive oracle; control characters are separators here.
        // eslint-disable-next-line no-control-regex
        const naive = s.split(/[\u0000-\u0020>]+/).filter(Boolean).length;
        return wordCount(s) === naive;
      }),
    );
  });
});

describe('matchRecords', () => {
  const slugs = (q: string): string[] => matchRecords(parseQuery(q), RECORDS).map((r) => r.slug);

  it('puts the record whose title starts with the word first', () => {
    // All three memory.reclaim records name it in their titles; only one opens with it.
    assert.deepEqual(slugs('memory.reclaim'), [
      'memory-reclaim',
      'memory-reclaim-nodes',
      'memory-reclaim-swappiness',
    ]);
  });

  it('needs every required word in title, summary or status', () => {
    assert.deepEqual(slugs('swappiness memory.reclaim'), ['memory-reclaim-swappiness']);
    assert.deepEqual(slugs('nodes= revert'), ['memory-reclaim-nodes']); // "reverted" in the title
    // Status "merged" reads with the title, so both merged records come before the one whose
    // title says "merged and reverted"; memory-reclaim opens its title with the word.
    assert.deepEqual(slugs('why was memory.reclaim merged'), [
      'memory-reclaim',
      'memory-reclaim-swappiness',
      'memory-reclaim-nodes',
    ]);
    assert.deepEqual(slugs('zswap writeback'), []);
  });

  it('matches nothing for operator, facet or date queries, which are about messages', () => {
    assert.deepEqual(slugs('f:hocko memory.reclaim'), []);
    assert.deepEqual(slugs('type:objection memory.reclaim'), []);
    assert.deepEqual(slugs('memory.reclaim d:2022'), []);
  });
});
