import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSubject } from '../../src/mail/subject.ts';

// Real subjects from the cgroups archive and the memory.reclaim story; expectations written by hand.
const CASES: [string, Partial<ReturnType<typeof parseSubject>>][] = [
  [
    '[PATCH] memcg: introduce per-memcg reclaim interface',
    {
      isPatch: true,
      revision: 1,
      revisionInferred: true,
      counter: 1,
      expected: 1,
      counterInferred: true,
      title: 'memcg: introduce per-memcg reclaim interface',
    },
  ],
  [
    '[PATCH resend] memcg: introduce per-memcg reclaim interface',
    {
      isPatch: true,
      isResend: true,
      revision: 1,
      revisionInferred: true,
      title: 'memcg: introduce per-memcg reclaim interface',
    },
  ],
  [
    '[PATCH v5 1/4] memcg: introduce per-memcg reclaim interface',
    { isPatch: true, revision: 5, revisionInferred: false, counter: 1, expected: 4, counterInferred: false },
  ],
  [
    'Re: [PATCH v3 2/7] mm: add nodes= arg to memory.reclaim',
    {
      isReply: true,
      isPatch: true,
      revision: 3,
      counter: 2,
      expected: 7,
      title: 'mm: add nodes= arg to memory.reclaim',
    },
  ],
  [
    '[RFC PATCH v2] mm: Add nodes= arg to memory.reclaim',
    { isRfc: true, isPatch: true, revision: 2, counterInferred: true },
  ],
  ['[PATCHv2] mm: memcontrol: asynchronous reclaim', { isPatch: true, revision: 2, revisionInferred: false }],
  ['[PATCH v6,19/24] mm: whatever', { isPatch: true, revision: 6, counter: 19, expected: 24 }],
  [
    '[PATCH REBASED] mm: Throttle allocators when failing reclaim over memory.high',
    {
      isPatch: true,
      prefixes: ['REBASED'],
      title: 'mm: Throttle allocators when failing reclaim over memory.high',
    },
  ],
  [
    '[PATCH 0/1] Add swappiness argument to memory.reclaim',
    { isPatch: true, counter: 0, expected: 1, counterInferred: false },
  ],
  [
    'Re: [External] Re: [RFC PATCH 0/2] Add disable_unmap_file arg to memory.reclaim',
    {
      isReply: true,
      isRfc: true,
      isPatch: true,
      counter: 0,
      expected: 2,
      prefixes: ['EXTERNAL'],
      title: 'Add disable_unmap_file arg to memory.reclaim',
    },
  ],
  [
    'RE: [PATCH net-next 1/2] net: Keep sk->sk_forward_alloc as a proper',
    { isReply: true, prefixes: ['NET-NEXT'], counter: 1, expected: 2 },
  ],
  [
    'Re: [-next v2 1/4] cpuset: remove redundant CS_ONLINE flag',
    { isReply: true, isPatch: true, revision: 2, counter: 1, expected: 4, prefixes: ['-NEXT'] },
  ],
  [
    'Re: [RFC v3 7/8] binder: use __kernel_pid_t',
    { isRfc: true, isPatch: true, revision: 3, counter: 7, expected: 8 },
  ],
  [
    'Re: [GIT PULL] cgroup changes for v5.19-rc1',
    { isReply: true, isPatch: false, prefixes: ['GIT', 'PULL'], title: 'cgroup changes for v5.19-rc1' },
  ],
  [
    'Re: Re: Re: [PATCH net-next v5 2/3] sock: Always take memcg pressure',
    { isReply: true, revision: 5, counter: 2, expected: 3 },
  ],
  [
    '[PATCH [v2] 1/2] nested brackets',
    { isPatch: true, revision: 2, counter: 1, expected: 2, title: 'nested brackets' },
  ],
  [
    '[PATCH 5.10 12/45] mm: a stable backport',
    { isPatch: true, revision: 1, revisionInferred: true, prefixes: ['5.10'], counter: 12, expected: 45 },
  ],
  [
    'cpu.stat in core or cpu controller (was Re: [RFC PATCH v2] cgroup:',
    {
      isReply: false,
      isPatch: false,
      title: 'cpu.stat in core or cpu controller (was Re: [RFC PATCH v2] cgroup:',
    },
  ],
  ['Aw: Re: [PATCH] x', { isReply: true, isPatch: true, title: 'x' }],
  ['Fwd: [PATCH] y', { isForward: true, isReply: false, isPatch: true }],
  ['', { title: '', isPatch: false }],
  ['[unbalanced bracket subject', { title: '[unbalanced bracket subject', isPatch: false }],
];

describe('patch subjects (b4-style, with inferred flags)', () => {
  for (const [subject, want] of CASES) {
    it(JSON.stringify(subject), () => {
      const got = parseSubject(subject);
      for (const [k, v] of Object.entries(want))
        assert.deepEqual(got[k as keyof typeof got], v, `${k} of ${subject}`);
    });
  }

  it('normalises titles for grouping (case, spacing, "(was: …)")', () => {
    assert.equal(parseSubject('Re: [PATCH v2]  Memcg:  Foo  (was: bar)').normalised, 'memcg: foo');
    assert.equal(
      parseSubject('[PATCH v5 1/4] memcg: introduce per-memcg reclaim interface').normalised,
      parseSubject('Re: [PATCH] memcg: introduce per-memcg reclaim interface').normalised,
    );
  });

  it('survives hostile input without blowing up', () => {
    const long = '[' + 'a['.repeat(5000) + ' x';
    assert.equal(typeof parseSubject(long).title, 'string');
    assert.equal(parseSubject('Re: '.repeat(10_000) + 'x').title.length > 0, true);
  });
});
