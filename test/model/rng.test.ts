/**
 * The deterministic generator (src/model/rng.ts): the same seed gives the same stream, the
 * distributions have the means and spreads they claim (checked over fixed-seed samples large
 * enough that the tolerances are several standard errors wide), and hashUnit is stable per index.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, hashUnit } from '../../src/model/rng.ts';

const N = 20000;

function sample(f: () => number, n = N): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const x = f();
    sum += x;
    sq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sq / n - mean * mean };
}

describe('Rng', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.u32());
    assert.deepEqual(
      sa,
      Array.from({ length: 8 }, () => b.u32()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 8 }, () => c.u32()),
    );
  });
  it('gives 32-bit integers, floats in [0, 1) and ints in [0, n)', () => {
    const r = new Rng(1);
    for (let i = 0; i < 2000; i++) {
      const u = r.u32();
      assert.ok(Number.isInteger(u) && u >= 0 && u < 2 ** 32);
      const f = r.float();
      assert.ok(f >= 0 && f < 1);
      const k = r.int(7);
      assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
    }
  });
  it('floats are uniform: mean 1/2, variance 1/12', () => {
    const r = new Rng(7);
    const s = sample(() => r.float());
    assert.ok(Math.abs(s.mean - 0.5) < 0.01, `${s.mean}`);
    assert.ok(Math.abs(s.variance - 1 / 12) < 0.003, `${s.variance}`);
  });
  it('exp(m) has mean m', () => {
    const r = new Rng(3);
    const s = sample(() => r.exp(5));
    assert.ok(Math.abs(s.mean - 5) < 0.15, `${s.mean}`);
  });
  it('poisson(m) has mean and variance m, exactly below 30 and by the normal approximation above', () => {
    const r = new Rng(11);
    const small = sample(() => r.poisson(3));
    assert.ok(Math.abs(small.mean - 3) < 0.06 && Math.abs(small.variance - 3) < 0.2, JSON.stringify(small));
    const large = sample(() => r.poisson(100));
    assert.ok(Math.abs(large.mean - 100) < 0.5 && Math.abs(large.variance - 100) < 5, JSON.stringify(large));
    assert.equal(r.poisson(0), 0);
    assert.equal(r.poisson(-1), 0);
    assert.equal(r.poisson(NaN), 0);
  });
  it('gauss() is standard normal', () => {
    const r = new Rng(5);
    const s = sample(() => r.gauss());
    assert.ok(Math.abs(s.mean) < 0.03 && Math.abs(s.variance - 1) < 0.05, JSON.stringify(s));
  });
});

describe('hashUnit', () => {
  it('is stable per (seed, index), in [0, 1), and spreads over the interval', () => {
    assert.equal(hashUnit(1, 12345), hashUnit(1, 12345));
    assert.notEqual(hashUnit(1, 12345), hashUnit(2, 12345));
    const s = sample(
      (() => {
        let i = 0;
        return () => hashUnit(9, i++);
      })(),
    );
    assert.ok(Math.abs(s.mean - 0.5) < 0.01 && Math.abs(s.variance - 1 / 12) < 0.003, JSON.stringify(s));
    for (let i = 0; i < 1000; i++) {
      const h = hashUnit(3, i);
      assert.ok(h >= 0 && h < 1);
    }
  });
});
