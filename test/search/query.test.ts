// The query syntax shared by `argmap search` and the site: lore/notmuch operators, argument facets,
// dates, and hostile input that must never throw.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  inRange,
  isExact,
  isFacet,
  parseDateRange,
  parseQuery,
  relativeDay,
  words,
  type Term,
} from '../../src/search/query.ts';

function terms(q: string): (string | [string, string])[][] {
  return parseQuery(q).clauses.map((c) =>
    c.alternatives.map((a) =>
      isFacet(a)
        ? [a.field, a.value]
        : isExact(a)
          ? `${c.negate ? '-' : ''}${a.field}=${a.id}`
          : `${c.negate ? '-' : ''}${a.field}:${a.text}${a.prefix ? '*' : ''}`,
    ),
  );
}

/** Field, text and phrase flag of each clause's first alternative (a word or phrase term). */
function firstTerms(q: string): [string, string, boolean][] {
  return parseQuery(q)
    .clauses.map((c) => c.alternatives[0] as Term)
    .map((t) => [t.field, t.text, t.phrase]);
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
    assert.deepEqual(terms('f:hocko from:shakeel s:reclaim subject:memcg b:zswap body:kswapd nq:uswapd'), [
      ['author:hocko'],
      ['author:shakeel'],
      ['subject:reclaim'],
      ['subject:memcg'],
      ['b:zswap'],
      ['b:kswapd'],
      ['nq:uswapd'],
    ]);
  });

  it("knows lore's quoted-text, whole-body and diff operators, phrases included", () => {
    assert.deepEqual(
      terms('q:futile bs:psi dfn:mm/memcontrol.c dfa:css_put dfb:psi_memstall_enter dfhh:high_work_func'),
      [
        ['q:futile'],
        ['bs:psi'],
        ['dfn:mm/memcontrol.c'],
        ['dfa:css_put'],
        ['dfb:psi_memstall_enter'],
        ['dfhh:high_work_func'],
      ],
    );
    assert.deepEqual(
      firstTerms('q:"reclaim is futile" dfhh:"static ssize_t" dfb:"psi_memstall_enter(&pflags)"'),
      [
        ['q', 'reclaim is futile', true],
        ['dfhh', 'static ssize_t', true],
        ['dfb', 'psi_memstall_enter pflags', true],
      ],
    );
  });

  it('knows the recipient operators and keeps an address one phrase', () => {
    assert.deepEqual(terms('t:hannes c:tj tc:akpm a:guro'), [
      ['t:hannes'],
      ['c:tj'],
      ['tc:akpm'],
      ['a:guro'],
    ]);
    assert.deepEqual(firstTerms('c:mhocko@kernel.org f:Chris.Down@chrisdown.name'), [
      ['c', 'mhocko kernel.org', true],
      ['author', 'chris.down chrisdown.name', true],
    ]);
  });

  it('takes m: / mid: as one exact Message-ID, brackets optional, and patchid: lower-cased', () => {
    assert.deepEqual(terms('m:<20190507084419.GM31017@dhcp22.suse.cz> -mid:a.B@c'), [
      ['mid=20190507084419.GM31017@dhcp22.suse.cz'],
      ['-mid=a.B@c'],
    ]);
    assert.deepEqual(terms('patchid:ABCdef0123'), [['patchid=abcdef0123']]);
  });

  it("reports lore's operators that argmap does not answer yet instead of searching their words", () => {
    const q = parseQuery('l:cgroups zswap dfctx:foo');
    assert.deepEqual(terms('l:cgroups zswap dfctx:foo'), [['any:zswap']]);
    assert.equal(q.errors.length, 2);
    assert.match(q.errors[0]!, /^operator l: is not supported yet \(List-Id is not searchable yet\)/);
    assert.match(q.errors[1]!, /^operator dfctx: is not supported yet/);
    // An Object.prototype name is not an operator.
    assert.deepEqual(terms('constructor:x'), [['any:constructor'], ['any:x']]);
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

  it("reads git's relative dates, counted back from now in UTC days", () => {
    const now = new Date('2019-05-10T12:00:00Z');
    const d = (v: string): unknown => parseQuery(`d:${v}`, { now }).date;
    assert.deepEqual(d('2.weeks.ago..'), { from: '2019-04-26' });
    assert.deepEqual(d('2.weeks.ago..1.week.ago'), { from: '2019-04-26', until: '2019-05-04' });
    assert.deepEqual(d('1.month.ago..1.week.ago'), { from: '2019-04-10', until: '2019-05-04' });
    assert.deepEqual(d('yesterday..'), { from: '2019-05-09' });
    assert.deepEqual(d('yesterday'), { from: '2019-05-09', until: '2019-05-10' });
    assert.deepEqual(d('..2.days.ago'), { until: '2019-05-09' });
    assert.deepEqual(d('last.week..today'), { from: '2019-05-03', until: '2019-05-11' });
    assert.deepEqual(d('1.year.ago..2019-01'), { from: '2018-05-10', until: '2019-02-01' });
    assert.deepEqual(parseQuery('d:"3 days ago"', { now }).date, { from: '2019-05-07', until: '2019-05-08' });
    // A month back from the 31st runs on as the calendar does (git: mktime).
    assert.equal(relativeDay('1.month.ago', new Date('2019-03-31T00:00:00Z')), '2019-03-03');
    assert.equal(relativeDay('12.hours', new Date('2019-03-31T06:00:00Z')), '2019-03-30');
    assert.equal(relativeDay('2.fortnights.ago', now), null);
    assert.equal(relativeDay('999999.years.ago', now), null);
    assert.match(parseQuery('d:2.weeks.later..', { now }).errors[0]!, /not a date/);
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
    assert.equal(
      words('(memory.high), mm/vmscan.c; shrink_node() über-Straße.').join(' '),
      'memory.high mm/vmscan.c shrink_node über-straße',
    );
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
