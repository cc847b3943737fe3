/**
 * Bounded-memory statistics (src/model/stats.ts): the log-bucket latency histogram (40 buckets per
 * decade, so a quantile is at most 10^(1/40) − 1 ≈ 5.9% above the true value, and never above the
 * exact maximum) and the growable columns of the time series.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Column, LogHistogram } from '../../src/model/stats.ts';

const STEP = 10 ** (1 / 40);

describe('LogHistogram', () => {
  it('is empty until something is added', () => {
    const h = new LogHistogram();
    assert.equal(h.quantile(0.5), 0);
    assert.equal(h.mean(), 0);
    assert.deepEqual(h.cdf(), []);
  });
  it('keeps count, sum, mean and max exactly', () => {
    const h = new LogHistogram();
    for (let v = 1; v <= 100; v++) h.add(v);
    assert.equal(h.count, 100);
    assert.equal(h.sum, 5050);
    assert.equal(h.mean(), 50.5);
    assert.equal(h.max, 100);
  });
  it('answers quantiles within one bucket above the true value, clamped to the maximum', () => {
    const h = new LogHistogram();
    for (let v = 1; v <= 100; v++) h.add(v);
    const median = h.quantile(0.5);
    assert.ok(median >= 50 && median <= 50 * STEP, `median ${median}`);
    const p90 = h.quantile(0.9);
    assert.ok(p90 >= 90 && p90 <= 90 * STEP, `p90 ${p90}`);
    assert.equal(h.quantile(1), 100);
  });
  it('weights count as that many events', () => {
    const h = new LogHistogram();
    h.add(5, 3);
    h.add(1000, 1);
    assert.equal(h.count, 4);
    assert.equal(h.sum, 1015);
    assert.ok(h.quantile(0.75) <= 5 * STEP, 'three of four events are 5 µs');
  });
  it('ignores non-finite values and non-positive weights', () => {
    const h = new LogHistogram();
    h.add(Infinity);
    h.add(NaN);
    h.add(7, 0);
    h.add(7, -1);
    assert.equal(h.count, 0);
  });
  it('its CDF rises to 1 at the maximum', () => {
    const h = new LogHistogram();
    for (const v of [1, 10, 100, 1000]) h.add(v);
    const cdf = h.cdf();
    assert.equal(cdf.length, 4);
    assert.deepEqual(
      cdf.map(([, f]) => f),
      [0.25, 0.5, 0.75, 1],
    );
    assert.equal(cdf.at(-1)?.[0], 1000);
  });
  it('merging two histograms is adding their events', () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    const both = new LogHistogram();
    for (let v = 1; v <= 50; v++) {
      a.add(v);
      both.add(v);
    }
    for (let v = 51; v <= 200; v++) {
      b.add(v * 3);
      both.add(v * 3);
    }
    a.merge(b);
    assert.equal(a.count, both.count);
    assert.equal(a.sum, both.sum);
    assert.equal(a.max, both.max);
    assert.deepEqual([...a.counts], [...both.counts]);
  });
});

describe('Column', () => {
  it('grows past its first 256 slots and reads back what was pushed', () => {
    const c = new Column();
    for (let i = 0; i < 1000; i++) c.push(i / 2);
    assert.equal(c.length, 1000);
    assert.equal(c.get(999), 499.5);
    assert.equal(c.get(0), 0);
  });
  it('rounds for output and writes a non-finite value (a "max" limit) as null', () => {
    const c = new Column();
    c.push(1 / 3);
    c.push(Infinity);
    c.push(2.0005);
    assert.deepEqual(c.toArray(3), [0.333, null, 2.001]);
    assert.deepEqual(c.toArray(0), [0, null, 2]);
  });
});
