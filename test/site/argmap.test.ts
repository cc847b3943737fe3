// The argument map's layout and SVG (src/site/argmap.ts): text wrapping against a naive oracle,
// the map of a decision drawn left to right (every node a box, every edge an arrow between two
// drawn boxes), escaping, and the node cap that keeps a hostile thread from stalling a build.
// The node titles are those of the test record's map (O1 raised by Michal Hocko, settled 22 Sep).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_NODES, renderMap, wrap, type MapEdge, type MapNode } from '../../src/site/argmap.ts';

const NODES: MapNode[] = [
  {
    id: 'proposal',
    kind: 'proposal',
    title: 'A test record',
    sub: 'proposed by Shakeel Butt, 2020-09-09',
    href: '#proposal',
  },
  {
    id: 'o1',
    kind: 'objection',
    title: 'O1. The latency is a zswap detail',
    sub: 'withdrawn · raised by Michal Hocko',
    status: 'withdrawn',
    href: '#o1',
  },
  { id: 'r1', kind: 'response', title: 'Michal Hocko, 2020-09-22' },
  { id: 'outcome', kind: 'outcome', title: 'merged in Linux 5.19', status: 'merged', href: '#decision' },
];
const EDGES: MapEdge[] = [
  { from: 'proposal', to: 'o1' },
  { from: 'o1', to: 'r1', label: 'settled' },
  { from: 'o1', to: 'outcome', minlen: 2 },
  { from: 'o1', to: 'nowhere' },
  { from: 'r1', to: 'r1' },
];

describe('wrap', () => {
  it('keeps every word, in order, in lines no longer than the limit', () => {
    const word = fc.stringMatching(/^[a-z]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), fc.integer({ min: 12, max: 60 }), (words, max) => {
        const lines = wrap(words.join(' '), max, 1000);
        assert.ok(lines.every((l) => l.length <= max));
        assert.deepEqual(lines.join(' ').split(' ').filter(Boolean), words);
      }),
    );
  });

  it('cuts a long word and marks a text cut at the line limit', () => {
    assert.deepEqual(wrap('memory_reclaim_interface_with_a_very_long_name', 10), ['memory_re…']);
    assert.deepEqual(wrap('one two three four five', 4, 2), ['one', 'two…']);
    assert.deepEqual(wrap('   '), []);
  });
});

describe('renderMap', () => {
  const svg = String(renderMap(NODES, EDGES, 'Argument map: <test>'));

  it('draws each node as a box with its kind and status, linked where it has a link', () => {
    assert.equal(svg.match(/<rect /g)!.length, 4);
    assert.match(
      svg,
      /<g class="node objection st-withdrawn"><a href="#o1"><title>O1\. The latency is a zswap detail withdrawn · raised by Michal Hocko<\/title>/,
    );
    assert.match(svg, /<g class="node response"><rect /, 'a node without a link is not an anchor');
    assert.match(svg, /<tspan class="ntitle"[^>]*>A test record<\/tspan>/);
  });

  it('draws only the edges between two drawn, different nodes, with their labels', () => {
    assert.equal(svg.match(/<g class="edge">/g)!.length, 3);
    assert.match(svg, /<text class="elabel"[^>]*>settled<\/text>/);
  });

  it('lays the map out left to right: proposal, objection, then the response before the outcome', () => {
    const x = (title: string): number => {
      const m = new RegExp(`<text x="([\\d.]+)"[^>]*><tspan class="ntitle"[^>]*>${title}`).exec(svg)!;
      return Number(m[1]);
    };
    assert.ok(x('A test record') < x('O1\\. The latency'));
    assert.ok(x('O1\\. The latency') < x('Michal Hocko, 2020-09-22'));
    assert.ok(x('Michal Hocko, 2020-09-22') < x('merged in Linux 5\\.19'), 'minlen 2 puts the outcome last');
  });

  it('escapes the label and the texts, and is the same picture every time', () => {
    assert.match(svg, /aria-label="Argument map: &lt;test&gt;"/);
    const evil = String(
      renderMap(
        [{ id: 'x', kind: 'claim', title: '<script>alert(1)</script>', href: 'javascript:alert(1)' }],
        [],
        'm',
      ),
    );
    assert.doesNotMatch(evil, /<script>/);
    assert.equal(String(renderMap(NODES, EDGES, 'Argument map: <test>')), svg);
  });

  it(`draws at most ${MAX_NODES} nodes and says how many it left out`, () => {
    const many: MapNode[] = Array.from({ length: MAX_NODES + 25 }, (_, i) => ({
      id: `n${i}`,
      kind: 'claim',
      title: `claim ${i}`,
    }));
    const chain: MapEdge[] = many.slice(1).map((n, i) => ({ from: `n${i}`, to: n.id }));
    const big = String(renderMap(many, chain, 'big'));
    assert.equal(big.match(/<rect /g)!.length, MAX_NODES);
    assert.match(big, new RegExp(`Only the first ${MAX_NODES} of ${MAX_NODES + 25} nodes are drawn\\.`));
  });
});
