// The thread page and the message page (src/site/pages/thread.ts) of the real 2020
// memory.reclaim thread: 28 messages from 9 September to 8 October 2020 by five people. Michal
// Hocko's first reply (21 Sep) answers the patch and has one reply, Shakeel Butt's of the same day
// (CALvZod43…); those facts come from the mail headers (the mbox oracle), not from the code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ingestedDb } from '../../helpers/archive.ts';
import { oracleMessages, oracleOrder } from '../../helpers/mbox-oracle.ts';
import { pageText, siteContext } from '../../helpers/site.ts';
import type { SiteContext } from '../../../src/site/context.ts';
import { loadThread, type ThreadView } from '../../../src/site/thread.ts';
import { messagePages, threadPages } from '../../../src/site/pages/thread.ts';
import { messageAnchor, urls } from '../../../src/site/urls.ts';
import type { ThreadRow } from '../../../src/store/site-data.ts';
import type { Page } from '../../../src/site/page.ts';
import {
  RECLAIM_MBOX as MBOX,
  RECLAIM_ROOT as ROOT,
  HOCKO_FIRST as HOCKO,
} from '../../helpers/fixture-ids.ts';

const MAIL = oracleMessages(MBOX);

let ctx: SiteContext;
let t: ThreadRow;
let view: ThreadView;
let pages: Page[];
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([MBOX]);
  cleanup = f.cleanup;
  ctx = siteContext(f.db);
  t = ctx.data.threads()[0]!;
  view = loadThread(ctx.data, t.id, t.rootMessageId);
  pages = threadPages(ctx, t, view);
});
after(() => cleanup());

describe('the thread page', () => {
  it('is written with its JSON twin at the root’s path', () => {
    assert.deepEqual(
      pages.map((p) => p.path),
      [urls.thread(ROOT), urls.json(urls.thread(ROOT))],
    );
  });

  it('heads the page with the subject, the count, the dates and the people', () => {
    const h = pageText(pages, urls.thread(ROOT));
    assert.match(h, /<h1>\[PATCH\] memcg: introduce per-memcg reclaim interface<\/h1>/);
    assert.match(h, /28 messages · .*2020.* to .*2020.* · spans 2 months/);
    assert.match(h, /<summary>5 people<\/summary>/);
    for (const name of ['Shakeel Butt', 'Michal Hocko', 'Johannes Weiner', 'SeongJae Park', 'Yang Shi'])
      assert.match(h, new RegExp(`<a href="\\.\\./p/[^"]+\\.html">${name}</a> \\(\\d+\\)`), name);
  });

  it('shows every message in reading order, each at its anchor', () => {
    const h = pageText(pages, urls.thread(ROOT));
    const at = oracleOrder(MAIL).map(({ id }) => h.indexOf(`id="${messageAnchor(id)}"`));
    assert.ok(at.every((i) => i >= 0));
    assert.deepEqual(
      at,
      [...at].sort((a, b) => a - b),
    );
  });

  it('has a JSON twin with every message, its parent and depth', () => {
    const j = JSON.parse(pageText(pages, urls.json(urls.thread(ROOT)))) as {
      kind: string;
      messageCount: number;
      messages: { messageId: string; parent: string | null; depth: number; paragraphs: { n: number }[] }[];
    };
    assert.equal(j.kind, 'thread');
    assert.equal(j.messageCount, 28);
    assert.deepEqual(
      j.messages.map((m) => ({ id: m.messageId, depth: m.depth })),
      oracleOrder(MAIL),
    );
    const parent = new Map(MAIL.map((m) => [m.messageId, m.inReplyTo]));
    for (const m of j.messages) assert.equal(m.parent, parent.get(m.messageId));
    const hocko = j.messages.find((m) => m.messageId === HOCKO)!;
    assert.deepEqual(
      hocko.paragraphs.map((p) => p.n),
      [1, 2, 3],
    );
  });

  it('links neighbouring threads and escapes their subjects', () => {
    const p = threadPages(ctx, t, view, {
      older: { subject: '<b>older</b>', path: 't/older.html' },
      newer: { subject: '', path: 't/newer.html' },
    });
    const h = pageText(p, urls.thread(ROOT));
    assert.match(
      h,
      /<a rel="prev" href="\.\.\/t\/older\.html">← older thread: &lt;b&gt;older&lt;\/b&gt;<\/a>/,
    );
    assert.match(h, /<a rel="next" href="\.\.\/t\/newer\.html">newer thread: \(no subject\) →<\/a>/);
    const j = JSON.parse(pageText(p, urls.json(urls.thread(ROOT)))) as { older: string; newer: string };
    assert.deepEqual([j.older, j.newer], ['t/older.html', 't/newer.html']);
  });
});

describe('the message page', () => {
  const replies = MAIL.filter((m) => m.inReplyTo === HOCKO).map((m) => m.messageId);

  it('shows the headers of Michal Hocko’s first reply', () => {
    const p = messagePages(ctx, view, view.byMessageId.get(HOCKO)!);
    const h = pageText(p, urls.message(HOCKO));
    assert.match(h, /<h1>Re: \[PATCH\] memcg: introduce per-memcg reclaim interface<\/h1>/);
    assert.match(
      h,
      /<a href="\.\.\/p\/[^"]+\.html">Michal Hocko<\/a> <span class="addr">&lt;mhocko@suse\.com&gt;<\/span>/,
    );
    assert.match(h, /<time datetime="2020-09-21T16:30:55Z">/);
    assert.ok(h.includes(`<th>In-Reply-To</th><td><code>&lt;${ROOT}&gt;</code>`));
    assert.match(h, /<th>List-Id<\/th><td>cgroups\.vger\.kernel\.org<\/td>/);
    assert.ok(h.includes(`href="../${urls.raw(HOCKO)}" download>raw message</a>`));
  });

  it('lists its one reply, and says so in its JSON twin', () => {
    assert.equal(replies.length, 1);
    const p = messagePages(ctx, view, view.byMessageId.get(HOCKO)!);
    const h = pageText(p, urls.message(HOCKO));
    assert.ok(h.includes(`<a href="../${urls.message(replies[0]!)}">Shakeel Butt</a>`));
    const j = JSON.parse(pageText(p, urls.json(urls.message(HOCKO)))) as {
      inReplyTo: string;
      replies: string[];
      from: { name: string; addr: string };
      paragraphs: { n: number; text: string }[];
    };
    assert.equal(j.inReplyTo, ROOT);
    assert.deepEqual(j.replies, replies);
    assert.deepEqual(j.from.addr, 'mhocko@suse.com');
    assert.ok(j.paragraphs[2]!.text.startsWith('To the feature itself, I am not yet convinced'));
  });

  it('says when a message has no replies', () => {
    const leaves = MAIL.filter((m) => !MAIL.some((x) => x.inReplyTo === m.messageId));
    const leaf = leaves[0]!.messageId;
    const h = pageText(messagePages(ctx, view, view.byMessageId.get(leaf)!), urls.message(leaf));
    assert.match(h, /No replies in the archive\./);
  });
});
