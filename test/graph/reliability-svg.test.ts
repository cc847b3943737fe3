// reliabilitySvg (src/graph/reliability-svg.ts) on hand-made bins: a well-formed SVG (parsed by
// counting its elements), one bar, dot and count per non-empty bin, placed where the plot's scale
// puts them (x = 50 + 320p, y = 360 - 320p, written out by hand below), and an escaped title.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reliabilitySvg } from '../../src/graph/reliability-svg.ts';

const BINS = [
  { lo: 0.3, hi: 0.4, n: 0, meanP: 0, accuracy: 0 },
  { lo: 0.5, hi: 0.6, n: 12, meanP: 0.55, accuracy: 0.5 },
  { lo: 0.9, hi: 1, n: 40, meanP: 0.95, accuracy: 1 },
];

describe('reliabilitySvg', () => {
  const svg = reliabilitySvg(BINS, 'ECE 0.12 -> 0.03 <after> & before');
  const count = (re: RegExp): number => (svg.match(re) ?? []).length;

  it('is one standalone SVG document', () => {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="420" height="420"/);
    assert.ok(svg.endsWith('</svg>\n'));
    assert.equal(count(/<svg /g), 1);
    assert.equal(count(/<text[ >]/g), count(/<\/text>/g), 'every text element is closed');
  });

  it('escapes the title', () => {
    assert.match(
      svg,
      /<text x="50" y="22" font-size="13">ECE 0\.12 -> 0\.03 &lt;after> &amp; before<\/text>/,
    );
  });

  it('draws a bar, a mean dot and a count for each non-empty bin only', () => {
    const bars = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#4a7bb7"/g),
    ];
    // bin 0.5–0.6 at 50% correct: x = 50 + 160 + 2, top y = 360 - 160, height 160; width 32 - 4
    // bin 0.9–1.0 at 100%: x = 50 + 288 + 2, top y = 40, height 320
    assert.deepEqual(
      bars.map((m) => m.slice(1).map(Number)),
      [
        [212, 200, 28, 160],
        [340, 40, 28, 320],
      ],
    );
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    assert.deepEqual(dots, [
      [50 + 0.55 * 320, 360 - 0.55 * 320],
      [50 + 0.95 * 320, 360 - 0.95 * 320],
    ]);
    assert.match(svg, /font-size="10">12<\/text>/);
    assert.match(svg, /font-size="10">40<\/text>/);
  });

  it('labels both axes 0.0 to 1.0 and draws the diagonal', () => {
    for (const v of ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'])
      assert.equal(count(new RegExp(`>${v}</text>`, 'g')), 2, v);
    assert.match(svg, /<line x1="50" y1="360" x2="370" y2="40"/);
  });
});
