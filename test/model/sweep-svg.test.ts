/**
 * The sweep plot (src/model/sweep-svg.ts): tick steps are 1, 2 or 5 times a power of ten, every
 * point with a slowdown is drawn where its figures put it, and the text is escaped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { niceStep, sweepCoordinates, sweepSvg } from '../../src/model/sweep-svg.ts';
import type { SweepPoint, TreeSweepResult } from '../../src/model/tree-run.ts';

const point = (value: number, savedPct: number, slowdown: number | null): SweepPoint => ({
  value,
  usageMeanMiB: 100 - savedPct,
  savedMiB: savedPct,
  savedPct,
  slowdown,
  psiSomePct: 0,
  refaults: 0,
  controllerWrites: 0,
  controllerReclaimedMiB: 0,
});

const sweep = (points: SweepPoint[]): TreeSweepResult => ({
  key: 'agent.tmoPsiPct',
  cgroup: 'a/b',
  referenceUsageMeanMiB: 100,
  windowS: 10,
  reference: point(NaN, 0, 0),
  points,
  method: '',
});

describe('sweep plot', () => {
  it('picks round tick steps', () => {
    assert.equal(niceStep(2.6), 1);
    assert.equal(niceStep(21.8), 5);
    assert.equal(niceStep(0.4), 0.1);
    assert.equal(niceStep(9), 2);
  });

  it('places each point by its slowdown (x) and saving (y), by hand on a 552 x 296 plot', () => {
    const c = sweepCoordinates(sweep([point(0.1, 5, 0.01), point(1, 10, 0.02), point(10, 20, null)]));
    // x up to 2% (step 0.5), y up to 10% (step 2): the point without a slowdown is left out.
    assert.equal(c.points.length, 2);
    assert.equal(c.xMax, 2);
    assert.equal(c.yMax, 10);
    const [a, b] = c.points;
    assert.ok(a && b);
    assert.ok(Math.abs(a.px - (64 + 552 / 2)) < 1e-9 && Math.abs(a.py - (48 + 296 / 2)) < 1e-9);
    assert.ok(Math.abs(b.px - (64 + 552)) < 1e-9 && Math.abs(b.py - 48) < 1e-9);
  });

  it('writes a standalone SVG with a circle per point and escaped text', () => {
    const svg = sweepSvg(sweep([point(0.1, 5, 0.01), point(1, 10, 0.02)]), 'saved <&> slowdown');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(svg.match(/<circle /g)?.length, 2);
    assert.ok(svg.includes('saved &lt;&amp;&gt; slowdown'));
    assert.ok(!svg.includes('NaN'));
  });
});
