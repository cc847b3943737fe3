// mulberry32 (src/util/rng.ts): a seed fixes the sequence (the site's and the trainer's shuffles
// depend on it), values lie in [0, 1), and they spread evenly (a chi-square test over 10 bins).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../src/util/rng.ts';

const take = (seed: number, n: number): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, () => r());
};

describe('rng', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    assert.deepEqual(take(42, 100), take(42, 100));
    assert.notDeepEqual(take(42, 100), take(43, 100));
    // the seed is taken as an unsigned 32-bit integer
    assert.deepEqual(take(-1, 10), take(0xffffffff, 10));
    assert.deepEqual(take(2 ** 32 + 5, 10), take(5, 10));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const xs = take(7, 20_000);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const bins = new Array<number>(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]!++;
    const e = xs.length / 10;
    const chi2 = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    // 9 degrees of freedom: p = 0.001 at 27.88
    assert.ok(chi2 < 27.88, `chi-square ${chi2.toFixed(2)} over ${bins.join(' ')}`);
    assert.equal(new Set(xs).size, xs.length, 'no repeats in 20,000 draws');
  });
});
