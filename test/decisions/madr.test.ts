// Decision records as MADR 4.0 (src/decisions/madr.ts): citations become public links and the
// bundled memory.reclaim record keeps MADR's sections. The record test moved here unchanged from
// test/decisions/check.test.ts (it needs no archive).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { assertGolden } from '../helpers/golden.ts';
import { testRecord } from '../helpers/records.ts';
import { tempDir } from '../helpers/archive.ts';
import { writeFileSync } from 'node:fs';
import { citationsToLinks, toMadr } from '../../src/decisions/madr.ts';
import { readRecord } from '../../src/decisions/record.ts';

const DATA = resolve(import.meta.dirname, '..', '..', 'data');

describe('citation links', () => {
  it('point messages at lore, commits at git.kernel.org, and leave scenarios as text', () => {
    assertGolden(
      [
        [
          'see [msg:20200921163055.GQ12990@dhcp22.suse.cz#p3].',
          'see [[msg, ¶3]](https://lore.kernel.org/r/20200921163055.GQ12990@dhcp22.suse.cz).',
        ],
        [
          '[claim:CALvZod43VXKZ3StaGXK_EZG_fKcW3v3=cEYOWFwp4HNJpOOf8g@mail.gmail.com#p6]',
          '[[msg, ¶6]](https://lore.kernel.org/r/CALvZod43VXKZ3StaGXK_EZG_fKcW3v3%3DcEYOWFwp4HNJpOOf8g@mail.gmail.com)',
        ],
        [
          '[commit:94968384dde15d48263bfc59d280cd71b1259d8c]',
          '[[commit 94968384dde1]](https://git.kernel.org/torvalds/c/94968384dde15d48263bfc59d280cd71b1259d8c)',
        ],
        ['[model:S2]', '(reference-model scenario S2)'],
        ['[msg: not a citation] [link:x]', '[msg: not a citation] [link:x]'],
      ],
      citationsToLinks,
    );
  });

  it('encode what a URL path cannot hold', () => {
    assert.equal(citationsToLinks('[msg:a/b?c@d]'), '[[msg]](https://lore.kernel.org/r/a%2Fb%3Fc@d)');
  });
});

describe('toMadr', () => {
  it("maps our statuses onto MADR's", () => {
    const t = tempDir();
    try {
      const f = join(t.dir, 'test-record.md');
      const statusOf = (status: string): string => {
        writeFileSync(
          f,
          testRecord((s) => s.replace('status: merged', `status: ${status}`)),
        );
        return /^---\nstatus: (.*)\n/.exec(toMadr(readRecord(f)))![1]!;
      };
      assertGolden(
        [
          ['merged', 'accepted'],
          ['accepted', 'accepted'],
          ['reverted', 'deprecated'],
          ['withdrawn', 'rejected'],
          ['superseded', 'superseded by ?'],
          ['proposed', 'proposed'],
          ['rejected', 'rejected'],
        ],
        statusOf,
      );
    } finally {
      t.cleanup();
    }
  });
});

describe('MADR export', () => {
  it('turns a bundled record into MADR 4.0 with lore and git.kernel.org links and no argmap citations', () => {
    const md = toMadr(readRecord(join(DATA, 'decisions', 'memory-reclaim.md')));
    assert.match(md, /^---\nstatus: accepted\ndate: 2022-04-25\n/);
    assert.match(md, /\n# memory\.reclaim: a stateless proactive-reclaim file/);
    for (const h of [
      '## Context and Problem Statement',
      '## Considered Options',
      '## Decision Outcome',
      '### Consequences',
      '## More Information',
    ])
      assert.ok(md.includes(h), h);
    assert.ok(md.includes('](https://git.kernel.org/torvalds/c/94968384dde1)'));
    assert.ok(md.includes('](https://lore.kernel.org/r/20200909215752.1725525-1-shakeelb@google.com)'));
    assert.doesNotMatch(md, /\[(msg|commit|claim|model):/);
    assert.doesNotMatch(md, /<!--/);
  });
});
