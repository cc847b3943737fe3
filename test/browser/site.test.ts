// The built site in a real Chromium, opened from file:// (and once from `argmap serve`): search for
// zswap and find the seed message, open its thread, unfold a quote, follow a quoted fragment to its
// source, open the decision page and go to a model scenario. Also: keyboard navigation, dark mode,
// 360 px, the Atom feed, that no request leaves the machine, and that a phrase search is exact and
// a word deep in a long message is found. Screenshots go to test-results/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser } from '../helpers/browser.ts';
import { writeSite } from '../../src/site/build.ts';
import { serveSite } from '../../src/site/serve.ts';
import { serveDb } from '../../src/site/serve-db.ts';
import { openDb } from '../../src/store/db.ts';
import { messageAnchor, urls } from '../../src/site/urls.ts';
import { bundledDb, SEED, SEED_THREAD } from '../site/bundled.ts';
import { searchDocs } from '../helpers/search-docs.ts';
import { searchFts } from '../../src/search/fts.ts';
import { parseQuery } from '../../src/search/query.ts';
import { queryTerm } from '../../src/search/lunr-setup.ts';
import type { SearchDoc } from '../../src/search/index-build.ts';

let browser: Browser;
let site: string;
let dbFile: string;
let cleanup: () => void;
/** The site's search documents and the CLI's phrase hits, from the archive the site was built from. */
let docs: SearchDoc[];
let cliPhrase: Set<string>;
const shots = join(ARTIFACTS_DIR, 'site');

before(async () => {
  const b = await bundledDb();
  cleanup = b.cleanup;
  site = join(b.dir, 'site');
  dbFile = b.file;
  await writeSite(b.db, site);
  docs = searchDocs(b.db, () => '');
  cliPhrase = new Set(
    searchFts(b.db, parseQuery('"proactive reclaim"'), { limit: 100_000 }).hits.map((h) => h.messageId),
  );
  browser = await launchBrowser();
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  cleanup?.();
});

const fileUrl = (p: string): string => pathToFileURL(join(site, p)).href;

/**
 * A page that fails the test on any script error or console error, and records every request
 * so the test can check that nothing left the machine.
 */
async function open(ctx?: BrowserContext): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await (ctx ?? browser).newPage({ viewport: { width: 1100, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, requests, errors };
}

/** Every request went to the site itself (or to a Blob the page made, as the model's worker is). */
function onlyLocal(requests: string[], allowed: RegExp = /^(file:\/\/|blob:)/): void {
  const outside = requests.filter((u) => !allowed.test(u));
  assert.deepEqual(outside, [], 'requests that left the site');
}

describe('the site from file://', () => {
  it('search for zswap finds the seed message; its thread, a quote and the quote’s source follow', async () => {
    const { page, requests, errors } = await open();
    await page.goto(fileUrl('search.html'));
    await page.locator('#search-q').click();
    await page.locator('#search-q').pressSequentially('zswap', { delay: 20 });
    // Wait for the search of the whole word: on a busy machine a pause between two keys can
    // outlast the typing debounce, and a search for "z" finishes first.
    await page.waitForFunction((q) => {
      // runs in the page (the test's tsconfig has no DOM types)
      const w = globalThis as unknown as {
        argmapSearchTimings?: { q: string }[];
        document: { body: { dataset: Record<string, string | undefined> } };
      };
      return (w.argmapSearchTimings ?? []).some((t) => t.q === q) && !!w.document.body.dataset.searchDone;
    }, 'zswap');
    assert.equal(new URL(page.url()).searchParams.get('q'), 'zswap', 'the query lives in the URL');
    const seedLink = page.locator(`#search-results a.rtitle[href$="#${messageAnchor(SEED)}"]`);
    // Page through the results as a reader would. "More results" is hidden while a page of results
    // loads and after the last one: wait for it or for the seed before each click (a click on a
    // hidden button waits 30 s, and on a busy machine the last page can still be loading).
    const more = page.locator('#search-more');
    for (let i = 0; i < 10; i++) {
      await page
        .locator(`#search-more:visible, #search-results a.rtitle[href$="#${messageAnchor(SEED)}"]`)
        .first()
        .waitFor();
      if (await seedLink.count()) break;
      await more.click();
    }
    assert.equal(await seedLink.count(), 1, 'the seed message is among the zswap results');
    const item = page.locator('#search-results li', {
      has: page.locator(`a.rtitle[href$="#${messageAnchor(SEED)}"]`),
    });
    assert.match(await item.locator('mark').first().innerText(), /^zswap$/i, 'the hit is highlighted');
    await page.screenshot({ path: join(shots, '1-search-zswap.png') });

    await seedLink.click();
    await page.waitForURL(/\/t\/.*\.html#m[0-9a-f]+$/);
    assert.ok(page.url().endsWith(`${urls.thread(SEED_THREAD)}#${messageAnchor(SEED)}`), page.url());
    const seed = page.locator(`article#${messageAnchor(SEED)}`);
    assert.ok(await seed.isVisible());
    assert.equal(
      await page.evaluate<string | undefined>("document.querySelector(':target')?.id"),
      messageAnchor(SEED),
    );

    // Quotes are folded to one line; unfold one.
    const quote = seed.locator('details.quote').nth(1);
    assert.equal(await quote.getAttribute('open'), null);
    await quote.locator('summary .qfirst').click();
    assert.notEqual(await quote.getAttribute('open'), null);
    await page.screenshot({ path: join(shots, '2-thread-quote-unfolded.png') });

    // Follow a quoted fragment to where it was first said.
    const frag = quote.locator('.frag:has(a.qsrc)').first();
    const quoted = (await frag.locator('pre').innerText())
      .replace(/^[>\s]+/gm, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    await frag.locator('a.qsrc').click();
    await page.waitForURL(/-p\d+$/);
    const target = page.locator(':target');
    assert.equal(await target.evaluate((e) => e.tagName + '.' + e.className), 'P.own');
    assert.ok(await target.isVisible());
    const said = (await target.innerText()).replace(/\s+/g, ' ');
    assert.ok(said.includes(quoted.slice(0, 50)), `«${quoted.slice(0, 50)}» in «${said.slice(0, 100)}»`);
    await page.screenshot({ path: join(shots, '3-quote-source.png') });
    assert.deepEqual(errors, []);
    onlyLocal(requests);
    await page.close();
  });

  it('a phrase finds fewer hits than its words, each with the words in order; a word deep in a long message is found', async () => {
    const { page, requests, errors } = await open();
    let runs = 0;
    /** Search from the URL; every result's message anchor, paging through all of them. */
    const search = async (q: string): Promise<{ count: number; anchors: string[]; snippets: string[] }> => {
      await page.goto(fileUrl('search.html') + `?q=${encodeURIComponent(q)}`);
      await page.waitForFunction(
        () =>
          !!(globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } })
            .document.body.dataset.searchDone,
      );
      runs++;
      const status = await page.locator('#search-status').innerText();
      const count = Number(/^([\d,]+) message/.exec(status)?.[1]?.replace(/,/g, '') ?? NaN);
      for (let i = 0; i < 50 && (await page.locator('#search-more').isVisible()); i++) {
        const n = await page.locator('#search-results li').count();
        await page.locator('#search-more').click();
        await page.waitForFunction(
          (k) =>
            (
              globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
            ).document.querySelectorAll('#search-results li').length > k,
          n,
        );
      }
      const anchors = (
        await page
          .locator('#search-results a.rtitle')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))
      ).map((h) => h.slice(h.indexOf('#') + 1));
      const snippets = await page.locator('#search-results .snip').allInnerTexts();
      return { count, anchors, snippets };
    };
    const words = await search('proactive reclaim');
    const phrase = await search('"proactive reclaim"');
    assert.ok(phrase.count > 0 && phrase.count < words.count, `phrase ${phrase.count}, words ${words.count}`);
    assert.equal(phrase.anchors.length, phrase.count);
    // Exact: every hit is one the CLI's FTS5 phrase finds too, and the count is the CLI's.
    const cli = new Set([...cliPhrase].map(messageAnchor));
    assert.deepEqual(
      phrase.anchors.filter((a) => !cli.has(a)),
      [],
      'site hits the CLI phrase does not have',
    );
    assert.equal(phrase.count, cliPhrase.size);
    // The snippet shows the phrase where the own text has it (other hits have it in the subject).
    const phraseRe = /proactive\w*[^\p{L}\p{N}]+reclaim/iu;
    const bodyOf = new Map(docs.map((d) => [messageAnchor(d.messageId), d.body]));
    const inBody = phrase.anchors.filter((a) => phraseRe.test(bodyOf.get(a) ?? ''));
    const shown = phrase.anchors.filter(
      (a, i) => phraseRe.test(bodyOf.get(a) ?? '') && phraseRe.test(phrase.snippets[i]!),
    );
    assert.ok(inBody.length > 10, `${inBody.length} hits with the phrase in own text`);
    assert.deepEqual(
      inBody.filter((a) => !shown.includes(a)),
      [],
      'snippets that do not show the phrase their own text holds',
    );

    // A word deep in a long message: past its first 2,000 characters of own text (where the
    // site's index used to stop), its stem nowhere before that nor in the subject or author; and
    // rare, so that few pages of results hold it.
    let word = '';
    let at = -1;
    for (const [i, d] of docs.entries()) {
      if (d.body.length <= 2000) continue;
      const before = `${d.body.slice(0, 2000)} ${d.subject} ${d.author}`.toLowerCase();
      for (const m of d.body
        .slice(2000)
        .toLowerCase()
        .matchAll(/\b[a-z]{7,}\b/g)) {
        const stem = queryTerm(m[0])!;
        if (before.includes(stem)) continue;
        if (docs.filter((x) => x.body.toLowerCase().includes(stem)).length > 5) continue;
        [word, at] = [m[0], i];
        break;
      }
      if (word) break;
    }
    assert.ok(word, 'the bundled data has a long message with a rare word past 2,000 characters');
    const r = await search(word);
    assert.ok(r.anchors.includes(messageAnchor(docs[at]!.messageId)), `${word}: ${r.anchors.join(' ')}`);
    assert.ok(
      r.snippets.some((t) => t.toLowerCase().includes(word)),
      'the snippet shows the deep word',
    );
    // A question: the decision record that answers it leads, as in the CLI and on the server.
    await search('why memory.reclaim');
    assert.match(await page.locator('#search-results li').first().innerText(), /^Decision record:/);
    assert.equal(
      await page.locator('#search-results li.record a.rtitle').first().getAttribute('href'),
      'd/memory-reclaim.html',
    );
    assert.equal(runs, 4);
    assert.deepEqual(errors, []);
    onlyLocal(requests);
    await page.close();
  });

  it('one result per thread: the toggle groups the hits, lives in the URL, and switches back', async () => {
    const { page, requests, errors } = await open();
    const done = (n: number): Promise<unknown> =>
      page.waitForFunction(
        (k) =>
          Number(
            (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } })
              .document.body.dataset.searchDone ?? 0,
          ) >= k,
        n,
      );
    await page.goto(fileUrl('search.html') + '?q=zswap&threads=1');
    await done(1);
    assert.ok(await page.isChecked('#search-threads'));
    const status = await page.locator('#search-status').innerText();
    const m = /^([\d,]+) messages in ([\d,]+) threads/.exec(status);
    assert.ok(m, status);
    const [messages, threads] = [Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, ''))];
    assert.ok(threads > 1 && threads < messages, status);
    // Each result is a thread page; the counts shown never exceed the hits.
    const titles = await page
      .locator('#search-results a.rtitle')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    assert.equal(titles.length, Math.min(threads, 20));
    for (const h of titles) assert.match(h, /^t\/[^#]+\.html$/);
    assert.equal(new Set(titles).size, titles.length, 'one result per thread');
    const counts = (await page.locator('#search-results .rmeta').allInnerTexts()).map((t) =>
      Number(/^([\d,]+) matching/.exec(t)?.[1]?.replace(/,/g, '')),
    );
    assert.ok(counts.every((c) => c >= 1) && counts.reduce((a, b) => a + b, 0) <= messages, String(counts));
    await page.screenshot({ path: join(shots, '1b-search-threads.png') });
    await page.uncheck('#search-threads');
    await done(2);
    assert.equal(new URL(page.url()).searchParams.get('threads'), null);
    assert.match(await page.locator('#search-status').innerText(), new RegExp(`^${m[1]} messages \\(`));
    assert.deepEqual(errors, []);
    onlyLocal(requests);
    await page.close();
  });

  it('the decision page shows proposal, objections with status, implementation, and links to the model', async () => {
    const { page, requests, errors } = await open();
    await page.goto(fileUrl('index.html'));
    await page.locator('a.button', { hasText: 'Read the decision' }).click();
    await page.waitForURL(/d\/memory-reclaim\.html$/);
    const glance = page.locator('section.glance');
    assert.match(
      await glance.innerText(),
      /Proposal\s+\[PATCH\] memcg: introduce per-memcg reclaim interface/,
    );
    const objections = page.locator('ol.objections > li');
    assert.ok((await objections.count()) >= 10);
    assert.match(await objections.first().innerText(), /O1\. .*\n?.*conceded/);
    assert.ok(await page.locator('#c-94968384dde1').isVisible());
    assert.ok(await page.locator('svg.argmap').first().isVisible());
    // Hovering a citation shows the cited text.
    const cite = page.locator('.md .cite').first();
    await cite.hover();
    assert.ok(await cite.locator('.pv').isVisible());
    await page.screenshot({ path: join(shots, '4-decision.png') });

    // Each quantitative claim links to the model scenario that tests it.
    const model = page.locator('.md a.c-model').first();
    const href = await model.getAttribute('href');
    assert.match(href ?? '', /^\.\.\/model\.html#scenario=S\d+$/);
    await model.click();
    // Not anchored at the end: the model page adds its parameters to the hash once it starts
    // (#scenario=S1&a=A&…), and when that happens before the URL is checked, an anchored pattern
    // never matches (a 1-in-6 timeout on a busy machine).
    await page.waitForURL(/model\.html#scenario=S\d+(&|$)/);
    const app = page.locator('#model-app');
    assert.ok(await app.isVisible());
    // The model's page code (web/model, tested in model-page.test.ts) mounts here, on the linked
    // scenario; run it, under this site's Content-Security-Policy.
    const scenario = /scenario=(S\d+)/.exec(page.url())![1]!;
    await page.waitForSelector('#am-scenario');
    assert.equal(await page.inputValue('#am-scenario'), scenario);
    await page.click('button.am-run');
    await page.waitForSelector('.am-findings li', { timeout: 60_000 });
    assert.ok((await page.locator('#model-app canvas').count()) > 0);
    await page.screenshot({ path: join(shots, '5-model.png') });
    assert.deepEqual(errors, []);
    onlyLocal(requests);
    await page.close();
  });

  it('j/k move between messages, / focuses the search box, o unfolds quotes', async () => {
    const { page, errors } = await open();
    await page.goto(fileUrl(urls.thread(SEED_THREAD)));
    const ids = await page.locator('article.msg').evaluateAll((as) => as.map((a) => a.id));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert.equal(
      await page.evaluate<string | undefined>("document.querySelector('article.msg.current')?.id"),
      ids[1],
    );
    assert.ok(page.url().endsWith(`#${ids[1]}`));
    await page.keyboard.press('k');
    assert.equal(
      await page.evaluate<string | undefined>("document.querySelector('article.msg.current')?.id"),
      ids[0],
    );
    await page.keyboard.press('o');
    assert.equal(await page.locator('details.quote:not([open])').count(), 0);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), 'q');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('marks unsure stances on the thread page and outline, and the person page can hide them', async () => {
    // a thread no label file covers: the model is unsure of some of its paragraphs
    const { page, requests, errors } = await open();
    await page.goto(fileUrl(urls.thread('20231108065818.19932-1-link@vivo.com')));
    const tags = await page.locator('p.own .stance.unsure').allTextContents();
    assert.ok(tags.length > 0, 'unsure paragraph stances');
    for (const t of tags) assert.match(t, /^unsure: [a-z-]+ or [a-z-]+\?/);
    const sure = await page.locator('p.own .stance:not(.unsure)').count();
    assert.ok(sure > 0, 'confident stances stay as they were');
    // the dashed border tells them apart without reading the text
    const style = await page
      .locator('p.own .stance.unsure')
      .first()
      .evaluate(
        (e) =>
          (
            globalThis as unknown as { getComputedStyle(x: unknown): { borderTopStyle: string } }
          ).getComputedStyle(e).borderTopStyle,
      );
    assert.equal(style, 'dashed');
    await page.goto(fileUrl(urls.person('michal-hocko')));
    const unsure = page.locator('li.unsure');
    const n = await unsure.count();
    assert.ok(n > 0, 'unsure objections listed');
    await assert.doesNotReject(
      page.getByText(/of the \d+ objections from the argument graph are unsure/).waitFor(),
    );
    assert.ok(await unsure.first().isVisible());
    await page.locator('input.hide-unsure').check();
    assert.equal(await unsure.first().isVisible(), false, 'hidden once ticked');
    assert.ok(await page.locator('ul.plain li:not(.unsure)').first().isVisible(), 'the sure ones stay');
    assert.deepEqual(errors, []);
    onlyLocal(requests);
    await page.close();
  });

  it('works at 360 px wide and follows the system dark mode', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    const { page, errors } = await open(ctx);
    await page.setViewportSize({ width: 360, height: 740 });
    for (const p of [
      'index.html',
      'd/memory-reclaim.html',
      urls.thread(SEED_THREAD),
      urls.message(SEED),
      'search.html',
      's/index.html',
      'p/michal-hocko.html',
      'map/memory-reclaim.html',
    ]) {
      await page.goto(fileUrl(p));
      const w = await page.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok(w <= 360, `${p} is ${w} px wide at 360`);
    }
    await page.goto(fileUrl(urls.thread(SEED_THREAD)));
    const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    assert.ok(r! + g! + b! < 150, `dark background, got ${bg}`);
    await page.screenshot({ path: join(shots, '6-thread-360-dark.png') });
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('publishes a well-formed Atom feed of new threads', async () => {
    const { page } = await open();
    await page.goto(fileUrl('index.html'));
    const xml = readFileSync(join(site, 'feed.atom'), 'utf8');
    // Parse with the browser's XML parser (Node has none).
    const r = await page.evaluate<{ error: string | null; entries: number }>(
      `(() => { const d = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
        return { error: d.querySelector('parsererror')?.textContent ?? null, entries: d.getElementsByTagName('entry').length }; })()`,
    );
    assert.equal(r.error, null);
    assert.ok(r.entries >= 10);
    await page.close();
  });
});

describe('the site from argmap serve', () => {
  it('serves the same pages; a search link opens with its results', async () => {
    const s = await serveSite(site, 0);
    try {
      const { page, requests, errors } = await open();
      await page.goto(`${s.url}${urls.search('zswap f:shakeel')}`);
      await page.waitForSelector('body[data-search-done]');
      assert.equal(await page.locator('#search-q').inputValue(), 'zswap f:shakeel');
      assert.ok((await page.locator('#search-results li').count()) > 0);
      await page.locator(`#search-results a.rtitle[href$="#${messageAnchor(SEED)}"]`).click();
      await page.waitForURL(new RegExp(`#${messageAnchor(SEED)}$`));
      const raw = await fetch(`${s.url}${urls.raw(SEED)}`);
      assert.equal(raw.headers.get('content-type'), 'message/rfc822');
      assert.equal(raw.headers.get('x-content-type-options'), 'nosniff');
      assert.equal((await fetch(`${s.url}../../etc/passwd`)).status, 404);
      assert.deepEqual(errors, []);
      onlyLocal(requests, new RegExp(`^(${s.url.replace(/[.]/g, '\\.')}|blob:)`));
      await page.close();
    } finally {
      await s.close();
    }
  });
});

describe('the site from argmap serve --db (pages rendered from the archive)', () => {
  it('searches on the server: phrases, q:, dfn:, decision records first; results link into threads', async () => {
    const db = openDb(dbFile, { readonly: true });
    const s = await serveDb(db);
    try {
      const { page, requests, errors } = await open();
      const search = async (q: string): Promise<{ status: string; titles: string[]; hrefs: string[] }> => {
        await page.goto(`${s.url}${urls.search(q)}`);
        await page.waitForSelector('body[data-search-done]');
        return {
          status: (await page.locator('#search-status').textContent()) ?? '',
          titles: await page.locator('#search-results a.rtitle').allTextContents(),
          hrefs: await page
            .locator('#search-results a.rtitle')
            .evaluateAll((as) =>
              as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')),
            ),
        };
      };
      const z = await search('zswap f:shakeel');
      assert.match(z.status, /from the server/);
      assert.ok(
        z.hrefs.some((h) => h.endsWith(`#${messageAnchor(SEED)}`)),
        'the seed message is found',
      );
      // A phrase is a phrase (lore's "…"), not all the words: it matches fewer messages.
      const count = (status: string): number =>
        Number(/^([\d,]+) message/.exec(status)?.[1]?.replace(/,/g, '') ?? NaN);
      const phrase = count((await search('"proactive reclaim"')).status);
      const words = count((await search('proactive reclaim')).status);
      assert.ok(phrase > 0 && phrase < words, `phrase ${phrase}, words ${words}`);
      // q: finds words in quoted text only; dfn: a file touched by a patch.
      const q = await search('q:memory.high f:hocko');
      assert.ok(q.titles.length > 0, 'q: finds quoting replies');
      const dfn = await search('dfn:mm/memcontrol.c');
      assert.ok(dfn.titles.length > 0, 'dfn: finds patches');
      assert.ok(
        dfn.titles.every((t) => /PATCH|patch/.test(t) || t.startsWith('Re:')),
        dfn.titles.join('\n'),
      );
      // A question: the decision record leads.
      const why = await search('why memory.reclaim');
      assert.match(why.titles[0] ?? '', /^Decision record:/);
      // A result opens its thread at the message.
      await search('zswap f:shakeel');
      await page.locator(`#search-results a.rtitle[href$="#${messageAnchor(SEED)}"]`).click();
      await page.waitForURL(new RegExp(`#${messageAnchor(SEED)}$`));
      assert.ok(await page.locator(`#${messageAnchor(SEED)}`).isVisible());
      await page.screenshot({ path: join(shots, 'serve-db-thread.png') });
      assert.deepEqual(errors, []);
      onlyLocal(requests, new RegExp(`^(${s.url.replace(/[.]/g, '\\.')}|blob:)`));
      await page.close();
    } finally {
      await s.close();
      db.close();
    }
  });
});
