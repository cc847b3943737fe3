// Page identity's parts against naive oracles: the clock fit against a search over every
// quarter-hour offset and every second of delay, the text similarity against its defining
// properties, and both linear on 1 MB hostile input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compareTexts,
  fitWallClock,
  identityWords,
  MAX_CLOCK_SKEW_MS,
  MAX_RECEIPT_DELAY_MS,
  wordSimilarity,
} from '../../src/thread/identity.ts';
import { runHostile } from '../helpers/hostile.ts';

/** Every (offset, delay) pair under which a wall clock fits a UTC time, by brute force. */
function naiveFits(
  wall: number,
  utc: number,
  label: number | null,
): { rule: string; offset: number; delay: number }[] {
  const out: { rule: string; offset: number; delay: number }[] = [];
  if (label !== null)
    for (let d = -MAX_CLOCK_SKEW_MS; d <= MAX_RECEIPT_DELAY_MS; d += 1000)
      if (wall - label * 60_000 - utc === d)
        out.push({ rule: 'receipt-delay', offset: label, delay: d / 1000 });
  for (let off = -720; off <= 840; off += 15)
    if (wall - off * 60_000 === utc) out.push({ rule: 'exact-offset', offset: off, delay: 0 });
  return out;
}

describe('fitWallClock', () => {
  it('agrees with a brute-force search over offsets and delays', () => {
    const base = Date.UTC(2022, 3, 6, 20, 16, 27);
    fc.assert(
      fc.property(
        fc.integer({ min: -20 * 3600, max: 20 * 3600 }),
        fc.constantFrom(-240, -300, null, 60),
        (deltaS, label) => {
          const wall = base + deltaS * 1000;
          const got = fitWallClock(wall, base, label);
          const all = naiveFits(wall, base, label);
          if (!all.length) return got === null;
          // The label's receipt delay is preferred; otherwise the (unique) exact offset.
          const want = all.find((f) => f.rule === 'receipt-delay') ?? all[0]!;
          return (
            got !== null &&
            got.rule === want.rule &&
            got.offsetMinutes === want.offset &&
            got.delaySeconds === want.delay
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('fits the seed page: 14:10:38 EST (daylight time) is 21 s after 11:10:17 -0700', () => {
    const wall = Date.UTC(2020, 8, 22, 14, 10, 38);
    assert.deepEqual(fitWallClock(wall, Date.UTC(2020, 8, 22, 18, 10, 17), -240), {
      rule: 'receipt-delay',
      offsetMinutes: -240,
      delaySeconds: 21,
    });
    // 12:56 EST is not 20:14:35 UTC under any reading: 3 h 18 m before it under the label's
    // offset, and no whole quarter hour.
    assert.equal(fitWallClock(Date.UTC(2022, 3, 6, 12, 56, 0), Date.UTC(2022, 3, 6, 20, 14, 35), -240), null);
  });
});

describe('text similarity', () => {
  const words = fc.array(
    fc.constantFrom('memory', 'high', 'reclaim', 'the', 'a', 'limit', 'zswap', 'is', 'not'),
    {
      minLength: 0,
      maxLength: 300,
    },
  );
  it('is symmetric, 1 on equal texts, in [0, 1]', () => {
    fc.assert(
      fc.property(words, words, (a, b) => {
        const s = wordSimilarity(a, b);
        return s === wordSimilarity(b, a) && s >= 0 && s <= 1 && wordSimilarity(a, a) === 1;
      }),
    );
  });
  it('stays above the merge threshold for one changed word in 200, and falls far below for another reply', () => {
    const a = Array.from({ length: 200 }, (_, i) => `w${i}`);
    const b = [...a];
    b[100] = 'changed';
    assert.ok(wordSimilarity(a, b) > 0.98);
    assert.ok(wordSimilarity(a, a.slice(0, 100)) < 0.7);
  });
  it('reads an obfuscated address as the same words as the real one', () => {
    assert.deepEqual(
      identityWords('Cc: Michal Hocko <mhocko@suse.com>'),
      identityWords('Cc: Michal Hocko <mhocko@xxxxxxxx>'),
    );
    assert.deepEqual(identityWords('mhocko_at_[hidden]'), identityWords('mhocko@kernel.org'));
  });
  it('tells two replies that quote the same text apart by their own text', () => {
    const quote = Array.from(
      { length: 30 },
      (_, i) => `> quoted line ${i} about memory.high and reclaim`,
    ).join('\n');
    const one = `${quote}\n\nI think memory.reclaim is the better interface for proactive reclaim.\n`;
    const two = `${quote}\n\nThat would still leave the high limit behind after the write completes.\n`;
    assert.equal(compareTexts(one, two).same, false);
    assert.equal(compareTexts(one, one.replace(/\n(?!>)/g, ' \n')).same, true);
  });
  it('needs the whole body to agree when the own text is a short ack', () => {
    const a = '> patch 1 text\n\nAcked-by: Michal Hocko <mhocko@suse.com>\n';
    const b = '> patch 2 text, quite different\n\nAcked-by: Michal Hocko <mhocko@suse.com>\n';
    assert.equal(compareTexts(a, b).same, false);
    assert.equal(compareTexts(a, a).same, true);
  });
});

it('identity and evidence are linear on 1 MB hostile bodies', async () => {
  const SIZE = 1_000_000;
  const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length));
  const calls = [
    { module: 'src/thread/identity.ts', fn: 'identityWords', input: fill('a@') },
    { module: 'src/thread/identity.ts', fn: 'identityWords', input: fill('x_at_') },
    { module: 'src/thread/evidence.ts', fn: 'replyEvidence', input: fill('> On a, b wrote:\n') },
    { module: 'src/thread/evidence.ts', fn: 'replyEvidence', input: fill('On a\n') },
    { module: 'src/thread/evidence.ts', fn: 'quoteShingles', input: fill('word ') },
  ];
  assert.equal((await runHostile(calls)).length, calls.length);
});
