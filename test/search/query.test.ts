// The query syntax shared by `argmap search` and the site: lore/notmuch operators, argument facets,
// dates, and hostile input that must never throw.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inRange, isFacet, parseDateRange, parseQuery, words, type Term } from '../../src/search/query.ts';

function terms(q: string): (string | [string, string])[][] {
  return parseQuery(q).clauses.map((c) =>
    c.alternatives.map((a) =>
      isFacet(a) ? [a.field, a.value] : `${c.negate ? '-' : ''}${a.field}:${a.text}${a.prefix ? '*' : ''}`,
    ),
  );
}

describe('parseQuery', () => {
  it('treats bare words as AND clauses searched in subject, author and own text', () => {
    assert.deepEqual(terms('zswap latency'), [['any:zswap'], ['any:latency']]);
  });

  it('joins OR alternatives into one clause', () => {
    assert.deepEqual(terms('zswap OR zram latency'), [['any:zswap', 'any:zram'], ['any:latency']]);
  });

  it('excludes with a leading minus and with NOT', () => {
    assert.deepEqual(terms('reclaim -drop_caches NOT uswapd'), [
      ['any:reclaim'],
      ['-any:drop_caches'],
      ['-any:uswapd'],
    ]);
  });

  it('knows the lore/notmuch field prefixes', () => {
    assert.deepEqual(terms('f:hocko from:shakeel s:reclaim subject:memcg b:zswap nq:kswapd'), [
      ['author:hocko'],
      ['author:shakeel'],
      ['subject:reclaim'],
      ['subject:memcg'],
      ['body:zswap'],
      ['body:kswapd'],
    ]);
  });

  it('keeps phrases and prefixes', () => {
    const q = parseQuery('"Memory High" reclai* s:"per-memcg reclaim"');
    const t = q.clauses.map((c) => c.alternatives[0] as Term);
    assert.deepEqual(
      t.map((x) => [x.field, x.text, x.phrase, x.prefix]),
      [
        ['any', 'memory high', true, false],
        ['any', 'reclai', false, true],
        ['subject', 'per-memcg reclaim', true, false],
      ],
    );
  });

  it('parses argument facets as exact values', () => {
    assert.deepEqual(terms('type:objection status:open topic:memory.high stance:objects-to'), [
      [['type', 'objection']],
      [['status', 'open']],
      [['topic', 'memory.high']],
      [['stance', 'objects-to']],
    ]);
    assert.deepEqual(terms('topic:"proactive reclaim"'), [[['topic', 'proactive reclaim']]]);
  });

  it('reads d: ranges the way lore and notmuch users write them', () => {
    assert.deepEqual(parseQuery('d:2022-03..2022-06').date, { from: '2022-03-01', until: '2022-07-01' });
    assert.deepEqual(parseQuery('d:2020').date, { from: '2020-01-01', until: '2021-01-01' });
    assert.deepEqual(parseQuery('date:2020-09-22').date, { from: '2020-09-22', until: '2020-09-23' });
    assert.deepEqual(parseQuery('d:20220301..20220601').date, { from: '2022-03-01', until: '2022-06-02' });
    assert.deepEqual(parseQuery('d:..2021-01').date, { until: '2021-02-01' });
    assert.deepEqual(parseQuery('d:2024-02..').date, { from: '2024-02-01' });
    assert.deepEqual(parseQuery('d:2024-02-28..2024-02-29').date, {
      from: '2024-02-28',
      until: '2024-03-01',
    });
    // Two d: terms narrow each other.
    assert.deepEqual(parseQuery('d:2022 d:2022-04..').date, { from: '2022-04-01', until: '2023-01-01' });
  });

  it('reports a bad date and still runs the rest', () => {
    const q = parseQuery('d:2022-13 zswap');
    assert.equal(q.date, undefined);
    assert.equal(q.errors.length, 1);
    assert.match(q.errors[0]!, /not a date/);
    assert.deepEqual(terms('d:2022-13 zswap'), [['any:zswap']]);
    assert.equal(parseDateRange('2023-02-29'), null);
    assert.equal(parseDateRange('2022-06..2022-03'), null);
  });

  it('searches `Re: fix` as words (lunr would throw on the colon)', () => {
    assert.deepEqual(terms('Re: fix the memory.high throttling'), [
      ['any:fix'],
      ['any:the'],
      ['any:memory.high'],
      ['any:throttling'],
    ]);
    assert.deepEqual(terms('mm/vmscan.c:123'), [['any:mm/vmscan.c'], ['any:123']]);
  });

  it('never throws, on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const q = parseQuery(s);
        assert.ok(Array.isArray(q.clauses));
        for (const c of q.clauses) assert.ok(c.alternatives.length > 0);
      }),
      { numRuns: 2000 },
    );
    for (const s of [
      '"',
      '-',
      'f:',
      'd:..',
      ':::',
      'OR',
      'NOT',
      '-"',
      'type:',
      '*',
      '\u202e\u0000',
      'a'.repeat(5000),
    ])
      parseQuery(s);
  });
});

describe('words', () => {
  it('keeps identifiers and paths whole and drops surrounding punctuation', () => {
    assert.deepEqual(words('(memory.high), mm/vmscan.c; shrink_node() über-Straße.'), [
      'memory.high',
      'mm/vmscan.c',
      'shrink_node',
      'über-straße',
    ]);
  });
});

describe('inRange', () => {
  it('compares UTC days, upper bound exclusive', () => {
    const r = { from: '2020-09-22', until: '2020-09-23' };
    assert.equal(inRange('2020-09-22T23:59:59Z', r), true);
    assert.equal(inRange('2020-09-23T00:00:00Z', r), false);
    assert.equal(inRange(null, r), false);
    assert.equal(inRange(null, undefined), true);
  });
});
