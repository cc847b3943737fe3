// toArgdown (src/graph/export-argdown.ts) on a hand-written graph (test/helpers/small-graph.ts):
// the expected document was written by hand from the Argdown syntax (argdown.org/syntax).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toArgdown } from '../../src/graph/export-argdown.ts';
import { SMALL_GRAPH } from '../helpers/small-graph.ts';

describe('toArgdown', () => {
  it('writes a statement per claim with its replies as + / - relations, the rest as comments', () => {
    assert.equal(
      toArgdown(SMALL_GRAPH),
      [
        '===',
        'title: "argmap: [PATCH] mm: throttle"',
        '===',
        '',
        '// exported by argmap from the thread 7; claim keys are MESSAGE-ID#pN',
        '',
        '// 2019-05-01 Chris Down <a@x>',
        '[a@x#p1]: Throttle allocators over memory.high. #(proposes) #(memory.high)',
        '  - [b@x#p1]',
        '  // asks: [b@x#p2]',
        '',
        '// 2019-05-07 Michal Hocko <b@x>',
        // a leading "- " would read as a relation: dropped
        '[b@x#p1]: This is wrong #(objects-to) #(status: open)',
        '  + [b@x#p2]',
        '',
        // same message: no new comment line, even though this claim has no author or date
        '[b@x#p2]: Why [now]? #(asks)',
        '',
      ].join('\n'),
    );
  });

  it('titles an unnamed scope by kind and id, and strips brackets from keys and parentheses from tags', () => {
    const g = {
      ...SMALL_GRAPH,
      scope: { kind: 'archive' as const, id: 'all', title: null },
      claims: [{ ...SMALL_GRAPH.claims[0]!, key: 'a[1]@x#p1', topics: ['f(x)'] }],
      edges: [],
    };
    const out = toArgdown(g);
    assert.match(out, /^===\ntitle: "argmap: archive all"\n===/);
    assert.match(out, /^\[a1@x#p1\]: Throttle allocators over memory\.high\. #\(proposes\) #\(fx\)$/m);
  });
});
