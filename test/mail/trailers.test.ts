// Trailer lines (src/mail/trailers.ts): the trailer lines of the fixture mail as golden pairs
// (SeongJae Park's Reviewed-by in reclaim-2020.mbox, Johannes Weiner's Acked-by in
// throttle-2019.mbox, Chris Down's sign-off and Cc lines), and lines that only look like trailers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertGolden } from '../helpers/golden.ts';
import { isApproval, parseTrailerLine, TRAILER_NAMES, type Trailer } from '../../src/mail/trailers.ts';

/** A parsed trailer: name, value, and the person's name and address when the value gives them. */
function t(name: Trailer['name'], value: string, personName: string | null, addr: string | null): Trailer {
  return { name, value, personName, addr };
}

describe('parseTrailerLine', () => {
  it('reads the person trailers of the fixture mail', () => {
    assertGolden(
      [
        [
          'Reviewed-by: SeongJae Park <sjpark@amazon.de>',
          t('Reviewed-by', 'SeongJae Park <sjpark@amazon.de>', 'SeongJae Park', 'sjpark@amazon.de'),
        ],
        [
          'Acked-by: Johannes Weiner <hannes@cmpxchg.org>',
          t('Acked-by', 'Johannes Weiner <hannes@cmpxchg.org>', 'Johannes Weiner', 'hannes@cmpxchg.org'),
        ],
        [
          'Signed-off-by: Chris Down <chris@chrisdown.name>',
          t('Signed-off-by', 'Chris Down <chris@chrisdown.name>', 'Chris Down', 'chris@chrisdown.name'),
        ],
        ['Cc: linux-mm@kvack.org', t('Cc', 'linux-mm@kvack.org', null, 'linux-mm@kvack.org')],
      ],
      parseTrailerLine,
    );
  });

  it('takes names in any case, quoted names and upper-case addresses', () => {
    assertGolden(
      [
        [
          'acked-BY: "Hocko, Michal" <MHocko@Suse.com>',
          t('Acked-by', '"Hocko, Michal" <MHocko@Suse.com>', 'Hocko, Michal', 'mhocko@suse.com'),
        ],
        ['Tested-by: Yosry Ahmed', t('Tested-by', 'Yosry Ahmed', 'Yosry Ahmed', null)],
        [
          'Reviewed-by:\tRoman Gushchin <guro@fb.com>  ',
          t('Reviewed-by', 'Roman Gushchin <guro@fb.com>', 'Roman Gushchin', 'guro@fb.com'),
        ],
      ],
      parseTrailerLine,
    );
  });

  it('reads the address of a stable Cc with a version comment (it once became a person named by the address)', () => {
    const got = parseTrailerLine('Cc: stable@vger.kernel.org # 5.19');
    assert.deepEqual([got?.personName, got?.addr], [null, 'stable@vger.kernel.org']);
  });

  it('keeps links and Fixes as values, without a person', () => {
    assertGolden(
      [
        [
          'Link: https://lkml.kernel.org/r/20220425190040.2475377-2-yosryahmed@google.com',
          t('Link', 'https://lkml.kernel.org/r/20220425190040.2475377-2-yosryahmed@google.com', null, null),
        ],
        [
          'Fixes: 94968384dde1 ("memcg: introduce per-memcg reclaim interface")',
          t('Fixes', '94968384dde1 ("memcg: introduce per-memcg reclaim interface")', null, null),
        ],
      ],
      parseTrailerLine,
    );
  });

  it('is not fooled by prose, headers or quoted trailers', () => {
    for (const line of [
      'Subject: Re: [PATCH] memcg: introduce per-memcg reclaim interface',
      'Note: this is not a trailer',
      '> Acked-by: Johannes Weiner <hannes@cmpxchg.org>',
      ' Acked-by: Johannes Weiner <hannes@cmpxchg.org>',
      'Acked-by:',
      'Acked-by:   ',
      'Acked by: Johannes Weiner',
      '',
    ])
      assert.equal(parseTrailerLine(line), null, JSON.stringify(line));
  });

  it('finds the address even after stray "<" in the name, but gives up after four', () => {
    assert.equal(parseTrailerLine('Acked-by: a < b <x@y.z>')?.addr, 'x@y.z');
    assert.equal(parseTrailerLine('Acked-by: < < < < < <x@y.z>')?.addr, null);
  });

  it('knows every canonical name, and which ones approve', () => {
    for (const n of TRAILER_NAMES) assert.equal(parseTrailerLine(`${n}: Some One <a@b.c>`)?.name, n);
    assert.deepEqual(TRAILER_NAMES.filter(isApproval), [
      'Acked-by',
      'Reviewed-by',
      'Tested-by',
      'Reported-and-tested-by',
    ]);
  });
});
