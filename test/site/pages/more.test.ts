// Topic, series, search and model pages and the Atom feed (src/site/pages/more.ts), on two real
// threads: Chris Down's 2019 memory.high throttling patch, posted as v3 (1 May) and v4 (23 Jul,
// as a reply to v3, under a v2 the file lacks), and the 2020 memory.reclaim patch (28 messages).
// What the pages must say was read off the subjects and dates of the mail.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, ingestedDb } from '../../helpers/archive.ts';
import { pageText, siteContext } from '../../helpers/site.ts';
import { testRecord } from '../../helpers/records.ts';
import { feed, modelPage, searchPage, seriesPages, topicPages } from '../../../src/site/pages/more.ts';
import { loadSeries } from '../../../src/site/series.ts';
import type { SiteContext } from '../../../src/site/context.ts';
import { urls } from '../../../src/site/urls.ts';
import type { Db } from '../../../src/store/db.ts';
import { readRecord } from '../../../src/decisions/record.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECLAIM_ROOT as ROOT, THROTTLE_V2 as V2, THROTTLE_V3 as V3 } from '../../helpers/fixture-ids.ts';

let db: Db;
let dir: string;
let ctx: SiteContext;
let cleanup: () => void;
before(async () => {
  ({ db, dir, cleanup } = await ingestedDb([
    fixture('mbox', 'throttle-2019.mbox'),
    fixture('mbox', 'reclaim-2020.mbox'),
  ]));
  ctx = siteContext(db);
});
after(() => cleanup());

const threadId = (root: string): number => ctx.data.threads().find((t) => t.rootMessageId === root)!.id;

describe('series pages', () => {
  it('give a page only to the series posted more than once', () => {
    const all = loadSeries(ctx.data);
    assert.equal(all.length, 2);
    const pages = seriesPages(ctx, all);
    assert.deepEqual(
      pages.map((p) => p.path),
      [urls.seriesList(), urls.json(urls.seriesList()), urls.series(V3), urls.json(urls.series(V3))],
    );
    const list = pageText(pages, urls.seriesList());
    assert.match(
      list,
      /mm: Throttle allocators when failing reclaim over memory\.high<\/a> <span class="muted">v3, v4 · 2019-05-01 – 2019-07-23/,
    );
  });

  it('set the versions side by side, with their review and what changed', () => {
    const h = pageText(seriesPages(ctx, loadSeries(ctx.data)), urls.series(V3));
    assert.match(h, /<h1>Series: mm: Throttle allocators when failing reclaim over memory\.high<\/h1>/);
    assert.match(h, /2 postings, 2019-05-01 – 2019-07-23 · by Chris Down/);
    assert.ok(
      h.includes(`<a href="../${urls.thread(V2)}">v3</a>`),
      'both versions are in the thread under v2',
    );
    assert.ok(h.includes(`<a href="../${urls.thread(V2)}">v4</a>`));
    const m = /patch 1: v3 → v4 — (\d+) lines changed/.exec(h);
    assert.ok(m && Number(m[1]) > 0, 'v4 changed v3');
  });
});

describe('topic pages', () => {
  it('list topics by message count then name, and each topic’s threads by count', () => {
    const throttle = threadId(V2);
    const reclaim = threadId(ROOT);
    const pages = topicPages(ctx, [
      { topic: 'zswap', messages: 3, threads: new Map([[reclaim, 3]]) },
      {
        topic: 'memory.high',
        messages: 5,
        threads: new Map([
          [reclaim, 1],
          [throttle, 4],
        ]),
      },
      { topic: 'psi', messages: 3, threads: new Map([[reclaim, 3]]) },
    ]);
    const j = JSON.parse(pageText(pages, urls.json(urls.topics()))) as {
      topics: { topic: string; threads: number }[];
    };
    assert.deepEqual(
      j.topics.map((t) => [t.topic, t.threads]),
      [
        ['memory.high', 2],
        ['psi', 1],
        ['zswap', 1],
      ],
    );
    const tj = JSON.parse(pageText(pages, urls.json(urls.topic('memory.high')))) as {
      threads: { url: string; messages: number }[];
    };
    assert.deepEqual(tj.threads, [
      { url: urls.thread(V2), messages: 4 },
      { url: urls.thread(ROOT), messages: 1 },
    ]);
  });
});

describe('the feed', () => {
  it('lists the threads newest first, with the first own paragraph and the count', () => {
    const x = String(feed(ctx).content);
    const entries = x.split('<entry>').slice(1);
    assert.equal(entries.length, 2);
    assert.match(entries[0]!, /<title>\[PATCH\] memcg: introduce per-memcg reclaim interface<\/title>/);
    assert.match(
      entries[0]!,
      /<summary type="text">Introduce an memcg interface to trigger memory reclaim on a memory cgroup\.\s*\(28 messages\)<\/summary>/,
    );
    assert.match(entries[0]!, /<author><name>Shakeel Butt<\/name><\/author>/);
    assert.match(entries[0]!, /<published>2020-09-09T21:57:52Z<\/published>/);
    // the 2019 root is the missing v2: the entry speaks for the thread's first archived mail, v3
    assert.match(entries[1]!, /<author><name>Chris Down<\/name><\/author>/);
    assert.match(
      entries[1]!,
      /<summary type="text">We(?:'|&apos;|&#39;)re trying to use memory\.high to limit workloads, but have found that\s+containment can frequently fail completely[^<]*\(4 messages\)<\/summary>/,
    );
    assert.match(
      x,
      /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/,
    );
    assert.match(x, /<updated>2020-10-08T21:09:17Z<\/updated>\n<generator>/);
  });

  it('honours the limit and an absolute base', () => {
    const x = String(feed({ ...ctx, baseUrl: 'https://example.org/argmap' }, 1).content);
    assert.equal(x.split('<entry>').length - 1, 1);
    assert.ok(x.includes(`href="https://example.org/argmap/${urls.thread(ROOT)}"`));
    assert.ok(x.includes('<link rel="self" href="https://example.org/argmap/feed.atom"/>'));
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    db.prepare('UPDATE threads SET subject = ? WHERE id = ?').run(
      'a <b> & "c" \u0001\u0008 d',
      threadId(ROOT),
    );
    try {
      const x = String(feed(siteContext(db)).content);
      assert.ok(x.includes('<title>a &lt;b&gt; &amp; &quot;c&quot; '));
      // eslint-disable-next-line no-control-regex -- what must not be in XML
      assert.doesNotMatch(x, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    } finally {
      db.prepare('UPDATE threads SET subject = ? WHERE id = ?').run(
        '[PATCH] memcg: introduce per-memcg reclaim interface',
        threadId(ROOT),
      );
    }
  });
});

describe('search and model pages', () => {
  it('gives the search page its form and script', () => {
    const [p] = searchPage();
    assert.equal(p!.path, 'search.html');
    const h = String(p!.content);
    assert.match(h, /<form id="search-form"[^>]*action="search\.html" method="get">/);
    assert.match(h, /<script[^>]+src="assets\/search\.js"/);
  });

  it('loads the model only when it is built, and lists the scenarios the records cite', () => {
    const file = join(dir, 'test-record.md');
    writeFileSync(file, testRecord());
    const withRec = { ...ctx, records: [readRecord(file)] };
    const off = String(modelPage(withRec, false, false)[0]!.content);
    assert.match(off, /is not in this build yet/);
    assert.doesNotMatch(off, /model\.js/);
    const on = String(modelPage(withRec, true, true)[0]!.content);
    assert.match(on, /<script[^>]+src="assets\/model\.js"/);
    assert.match(on, /assets\/model\.css/);
    assert.match(on, /<li id="scenario-S2">/);
    assert.match(on, /Cited by <a href="d\/test-record\.html">A test record<\/a>/);
  });
});
