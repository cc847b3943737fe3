// What every page function shares (src/site/context.ts): people's page slugs, links to messages
// and paragraphs wherever they live, and finding a person by the name a record writes. On the
// real 2020 memory.reclaim and 2019 throttling threads (authors read off the From lines).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ingestedDb } from '../helpers/archive.ts';
import {
  HOCKO_FIRST,
  RECLAIM_MBOX,
  RECLAIM_ROOT,
  THROTTLE_MBOX,
  THROTTLE_V2,
} from '../helpers/fixture-ids.ts';
import { siteContext } from '../helpers/site.ts';
import {
  authorOf,
  messageLink,
  paragraphLink,
  peopleWithSlugs,
  personByName,
  threadRootOf,
  type SiteContext,
} from '../../src/site/context.ts';
import { urls } from '../../src/site/urls.ts';
import type { AuthorRow } from '../../src/store/site-data.ts';

let ctx: SiteContext;
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([THROTTLE_MBOX, RECLAIM_MBOX]);
  cleanup = f.cleanup;
  ctx = siteContext(f.db);
});
after(() => cleanup());

/** An author row as SiteData.authors gives it. */
function author(id: number, name: string | null, primaryAddr: string | null, messageCount = 1): AuthorRow {
  return { id, name, primaryAddr, messageCount };
}

describe('people slugs', () => {
  it('slug the real authors by name', () => {
    const slugs = [...ctx.people.values()].map((p) => p.slug).sort();
    assert.deepEqual(slugs, [
      'chris-down',
      'johannes-weiner',
      'michal-hocko',
      'seongjae-park',
      'shakeel-butt',
      'yang-shi',
    ]);
  });

  it('number people who share a name in address order, and fall back to the address', () => {
    const p = peopleWithSlugs([
      author(1, 'Wei Xu', 'weixugc@google.com'),
      author(2, 'Wei Xu', 'wei.xu@example.org'),
      author(3, null, 'akpm@linux-foundation.org'),
      author(4, '', null),
      author(5, 'Index', 'x@y.z'),
      author(6, 'Michal Koutný', 'mkoutny@suse.com'),
    ]);
    assert.deepEqual(
      [...p.values()].map((x) => x.slug),
      ['wei-xu', 'wei-xu-2', 'akpm', 'person', 'index-person', 'michal-koutny'],
    );
  });

  it('never gives two people one slug ("Wei Xu", "Wei Xu", "Wei Xu 2" once collided at wei-xu-2)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Wei Xu', 'Wei Xu 2', 'Wei Xu 3', 'wei-xu', 'Wei'), { maxLength: 8 }),
        (names) => {
          const p = peopleWithSlugs(names.map((n, i) => author(i + 1, n, `a${i}@x.org`)));
          const slugs = [...p.values()].map((x) => x.slug);
          assert.equal(new Set(slugs).size, slugs.length, slugs.join(' '));
        },
      ),
    );
  });
});

describe('links', () => {
  it('link a message and a paragraph inside their thread page', () => {
    assert.equal(messageLink(ctx, HOCKO_FIRST), urls.inThread(RECLAIM_ROOT, HOCKO_FIRST));
    assert.equal(paragraphLink(ctx, HOCKO_FIRST, 3), urls.paragraph(RECLAIM_ROOT, HOCKO_FIRST, 3));
    assert.equal(messageLink(ctx, 'nobody@example.invalid'), null);
    assert.equal(paragraphLink(ctx, 'nobody@example.invalid', 1), null);
  });

  it("find a message's thread root, a missing parent included", () => {
    const v3 = ctx.data.message('20190501184104.GA30293@chrisdown.name')!;
    assert.equal(threadRootOf(ctx, v3), THROTTLE_V2);
    assert.equal(threadRootOf(ctx, { threadId: null }), null);
  });

  it("name a message's author and link the person's page", () => {
    const a = authorOf(ctx, ctx.data.message(HOCKO_FIRST)!);
    assert.deepEqual(a, { name: 'Michal Hocko', path: urls.person('michal-hocko') });
    const ghost = authorOf(ctx, ctx.data.message(THROTTLE_V2)!);
    assert.deepEqual(ghost, { name: '(not in the archive)', path: null });
  });
});

describe('personByName', () => {
  it('finds people by the name a record writes, in any case', () => {
    assert.equal(personByName(ctx, 'Michal Hocko')?.slug, 'michal-hocko');
    assert.equal(personByName(ctx, '  johannes weiner ')?.slug, 'johannes-weiner');
    assert.equal(personByName(ctx, 'Linus Torvalds'), undefined);
    assert.equal(personByName(ctx, 'Linus Torvalds'), undefined, 'a miss is remembered too');
  });
});
