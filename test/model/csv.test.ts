/**
 * The CSV of a run's time series (src/model/csv.ts): one header of the series names, then one row
 * per arm and sample in arm order; null cells are empty and text with commas or quotes is quoted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from '../../src/model/csv.ts';
import { SERIES } from '../../src/model/series.ts';
import type { Series } from '../../src/model/arm.ts';

/** A series table of `n` samples: t_s counts up, usage_mib is 10·i, every other series is null. */
function series(n: number): Series {
  const out: Series = {};
  for (const s of SERIES) out[s.key] = Array.from({ length: n }, () => null);
  out.t_s = Array.from({ length: n }, (_, i) => (i + 1) / 10);
  out.usage_mib = Array.from({ length: n }, (_, i) => 10 * i);
  return out;
}

describe('toCsv', () => {
  it('writes the header, then one row per arm and sample', () => {
    const lines = toCsv([
      { name: 'A', series: series(2) },
      { name: 'B', series: series(1) },
    ]).split('\n');
    assert.equal(lines[0], ['arm', ...SERIES.map((s) => s.key)].join(','));
    assert.equal(lines.length, 1 + 3 + 1, 'three rows and a final newline');
    assert.equal(lines.at(-1), '');
    const empties = ','.repeat(SERIES.length - 2);
    assert.equal(lines[1], `A,0.1,0${empties}`);
    assert.equal(lines[2], `A,0.2,10${empties}`);
    assert.equal(lines[3], `B,0.1,0${empties}`);
  });
  it('quotes a cell holding a comma, a quote or a newline, doubling the quotes', () => {
    const out = toCsv([{ name: 'a,"b"', series: series(1) }]);
    assert.ok(out.split('\n')[1]?.startsWith('"a,""b""",0.1,'), out);
  });
  it('an arm without samples adds no rows', () => {
    assert.equal(toCsv([{ name: 'A', series: {} }]).split('\n').length, 2);
  });
});
