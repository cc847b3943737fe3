// Word hashes, shingles and the integer map (src/mail/shingle.ts). Quote matching rests on one
// promise: a quote re-wrapped, re-marked (`>`, `> >`) or re-cased has the same words as its source.
// Held on the real reclaim-2020 mail (Michal Hocko quoting the patch's change log) and against
// naive oracles: a regex word split, and a JavaScript Map for IntMap.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bodyOf } from '../helpers/mail.ts';
import { HOCKO_FIRST, RECLAIM_MBOX, RECLAIM_ROOT } from '../helpers/fixture-ids.ts';
import { IntMap, SHINGLE_WORDS, shingleAt, shingles, wordHashes } from '../../src/mail/shingle.ts';

let patch: string;
let reply: string;
before(async () => {
  patch = await bodyOf(RECLAIM_MBOX, RECLAIM_ROOT);
  reply = await bodyOf(RECLAIM_MBOX, HOCKO_FIRST);
});

/** Words as a person would split ASCII text: runs of letters, digits and underscores, any case. */
const naiveWords = (t: string): string[] =>
  t
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .filter(Boolean);
const asciiText = fc.stringMatching(/^[A-Za-z0-9_ .,;:!?()'"\n>-]{0,200}$/);

describe('wordHashes', () => {
  it('hashes the words a regex split finds, equal words to equal hashes', () => {
    fc.assert(
      fc.property(asciiText, (t) => {
        const words = naiveWords(t);
        const h = wordHashes(t);
        assert.equal(h.length, words.length);
        for (let i = 0; i < words.length; i++)
          for (let j = i + 1; j < words.length; j++) if (words[i] === words[j]) assert.equal(h[i], h[j]);
      }),
      { numRuns: 300 },
    );
  });

  it("gives Michal Hocko's quote the words of the change log it quotes", () => {
    const quoted = reply
      .split('\n')
      .filter((l) => l.startsWith('> '))
      .join('\n');
    const para = 'Usually applications consists of combination of latency sensitive and';
    assert.ok(quoted.includes(para) && patch.includes(para));
    const from = patch.indexOf('Introduce an memcg interface');
    const to = patch.indexOf('reclaim.', patch.indexOf('non-latency sensitive thread')) + 'reclaim.'.length;
    assert.deepEqual(wordHashes(quoted), wordHashes(patch.slice(from, to)));
  });

  it('ignores case, quote markers, punctuation and line breaks, and reads a range', () => {
    assert.deepEqual(
      wordHashes('> > Memory.High, per-memcg\n> reclaim'),
      wordHashes('memory high per memcg reclaim'),
    );
    const t = 'xx memory reclaim yy';
    assert.deepEqual(wordHashes(t, 3, 17), wordHashes('memory reclaim'));
    assert.deepEqual(wordHashes(''), new Int32Array(0));
    assert.equal(wordHashes('Koutný').length, 1, 'letters beyond ASCII are word characters');
    assert.equal(wordHashes('a\u2026b\u00a0c').length, 3, 'an ellipsis and a no-break space separate words');
  });
});

describe('shingles', () => {
  it('has one shingle per window of four words, one for a shorter text, none for no words', () => {
    assert.equal(SHINGLE_WORDS, 4);
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 40 }), (ws) => {
        const words = Int32Array.from(ws);
        const s = shingles(words);
        assert.equal(s.length, ws.length === 0 ? 0 : Math.max(1, ws.length - 3));
        assert.ok(
          s.every((x) => x !== 0),
          'a shingle is never 0 (0 is the empty key of IntMap)',
        );
        for (let i = 0; i + 4 <= ws.length; i++) assert.equal(s[i], shingleAt(words, i));
      }),
    );
  });

  it('shares shingles between a quote and its source, and few with other text', () => {
    const src = new Set(shingles(wordHashes(patch)));
    const quoted = reply
      .split('\n')
      .filter((l) => l.startsWith('> '))
      .join('\n');
    const q = [...shingles(wordHashes(quoted))];
    assert.ok(
      q.every((x) => src.has(x)),
      'every shingle of the quote is in the patch',
    );
    const own = [
      ...shingles(
        wordHashes(
          reply
            .split('\n')
            .filter((l) => !l.startsWith('>'))
            .join('\n'),
        ),
      ),
    ];
    assert.ok(own.filter((x) => src.has(x)).length < own.length / 10, "Hocko's own words are mostly new");
  });
});

describe('IntMap', () => {
  it('behaves as a Map of non-zero keys, keeping the first value unless told to overwrite', () => {
    const op = fc.record({
      key: fc.integer({ min: -50, max: 50 }).filter((k) => k !== 0),
      value: fc.integer(),
      overwrite: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const m = new IntMap(1);
        const oracle = new Map<number, number>();
        for (const o of ops) {
          const fresh = !oracle.has(o.key);
          if (fresh || o.overwrite) oracle.set(o.key, o.value);
          assert.equal(m.set(o.key, o.value, o.overwrite), fresh);
        }
        assert.equal(m.size, oracle.size);
        for (let k = -50; k <= 50; k++) if (k) assert.equal(m.get(k), oracle.get(k) ?? -1);
        assert.equal(m.get(7, -9), oracle.get(7) ?? -9);
      }),
    );
  });

  it('grows to hold a thread’s worth of shingles', () => {
    const m = new IntMap();
    const s = shingles(wordHashes(patch));
    s.forEach((x, i) => m.set(x, i));
    assert.equal(m.size, new Set(s).size);
    assert.ok(m.bytes >= m.size * 8 * 2, 'at most half full');
  });
});
