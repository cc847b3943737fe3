// Topics of a claim (src/graph/topics.ts): the bundled lexicon (data/lexicon.tsv) on sentences of
// the real 2020 memory.reclaim thread, read by hand for what they are about, and lexicon files
// with the mistakes a curator makes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertGolden } from '../helpers/golden.ts';
import { lexicon, MAX_TOPIC_CHARS, parseLexicon, topicsOf } from '../../src/graph/topics.ts';

describe('the bundled lexicon on real sentences', () => {
  it('finds what each sentence is about', () => {
    assertGolden(
      [
        // Shakeel Butt's patch, 9 Sep 2020
        // "interface" is an alias of interface design; "memory reclaim" alone is no topic
        ['Introduce an memcg interface to trigger memory reclaim on a memory cgroup.', ['interface design']],
        ['1) Per-memcg uswapd:', ['background reclaim']],
        // Michal Hocko, 22 Sep 2020
        [
          'One idea would be to schedule a background worker (which work on behalf on the memcg) to do the high limit reclaim',
          ['memory.high', 'background reclaim'],
        ],
        // Shakeel Butt, 22 Sep 2020: "100s of usecs ... we use zswap"
        ['Most of our jobs are anon-only and we use zswap.', ['zswap']],
        ['It is also much well defined than drop_caches/force_empty', ['drop_caches']],
      ],
      (t) => topicsOf(t),
    );
  });

  it('matches across line breaks and case, not inside longer words', () => {
    assert.deepEqual(topicsOf('the MEMORY.HIGH\nlimit'), ['memory.high']);
    assert.deepEqual(topicsOf('proactive\n   reclaim'), ['proactive reclaim']);
    assert.deepEqual(topicsOf('psiche zswapped'), []);
  });

  it('reads only the first MAX_TOPIC_CHARS characters of a long paragraph', () => {
    const pad = 'x '.repeat(MAX_TOPIC_CHARS);
    assert.deepEqual(topicsOf(pad + ' zswap'), []);
    assert.deepEqual(topicsOf('zswap ' + pad), ['zswap']);
  });

  it('has unique topic names, each with a pattern', () => {
    const names = lexicon().map((t) => t.topic);
    assert.equal(new Set(names).size, names.length);
    assert.ok(lexicon().every((t) => t.re || t.extra));
  });
});

describe('parseLexicon', () => {
  it('skips comments, the header and incomplete rows; splits aliases on " | "', () => {
    const ts = parseLexicon(
      [
        '# a comment',
        'topic\taliases\tdescription',
        '',
        'zswap\tzswap | compressed  swap\tcompressed swap',
        'no-aliases\t\tnothing to match',
        'nodes=\tnodes= | re:\\bnodes\\s*=',
      ].join('\n'),
    );
    assert.deepEqual(
      ts.map((t) => [t.topic, t.aliases, t.description]),
      [
        ['zswap', ['zswap', 'compressed  swap'], 'compressed swap'],
        ['nodes=', ['nodes=', 're:\\bnodes\\s*='], ''],
      ],
    );
    assert.deepEqual(topicsOf('compressed swap', ts), ['zswap'], 'white space in an alias matches any run');
    assert.deepEqual(topicsOf('nodes =0,1', ts), ['nodes=']);
  });

  it('takes regex characters in a literal alias literally, and drops a runaway alias', () => {
    const ts = parseLexicon(`oom\t(oom)+ | ${'a'.repeat(201)}\tx`);
    assert.deepEqual(ts[0]!.aliases, ['(oom)+']);
    assert.deepEqual(topicsOf('an (oom)+ case', ts), ['oom']);
    assert.deepEqual(topicsOf('oomoom', ts), []);
  });
});
