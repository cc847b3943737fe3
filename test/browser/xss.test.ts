// Hostile mail through every page kind, checked in a real Chromium: test/fixtures/xss holds
// messages whose subjects, names, bodies, diffs, attachment names and Message-IDs carry <script>,
// event handlers, javascript: URLs, </textarea>-style breakouts, JS-string breakouts aimed at the
// search data files, remote images, right-to-left overrides and broken UTF-8, plus a decision
// record with raw HTML and hostile links. Every payload that ran would set window.__xss or request
// evil.example. On every page: no dialog, no script error, no payload executed, no request off
// the machine, no event-handler attribute or foreign element in the DOM, and the payloads shown as
// text. (The model page's own controls, built by web/model inside #model-app, are not mail.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser } from '../helpers/browser.ts';
import { fixture, freshDb, ingestPaths } from '../helpers/archive.ts';
import { writeSite } from '../../src/site/build.ts';

const XSS = fixture('xss');
let browser: Browser;
let site: string;
let cleanup: () => void;

before(async () => {
  const f = freshDb();
  cleanup = f.cleanup;
  await ingestPaths(f.db, [join(XSS, 'xss.mbox')]);
  site = join(f.dir, 'site');
  await writeSite(f.db, site, { decisionsDir: join(XSS, 'decisions') });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  cleanup?.();
});

/** Every HTML page of the built site, by page kind (directory). */
function pagesByKind(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (kind: string, p: string): void => void (out.get(kind) ?? out.set(kind, []).get(kind)!).push(p);
  for (const f of readdirSync(site)) if (f.endsWith('.html')) add(f.replace(/\.html$/, ''), f);
  for (const d of ['d', 'map', 'map/t', 't', 'm', 'p', 'topic', 's'])
    if (existsSync(join(site, d)))
      for (const f of readdirSync(join(site, d))) if (f.endsWith('.html')) add(d, `${d}/${f}`);
  return out;
}

interface Findings {
  dialogs: string[];
  errors: string[];
  requests: string[];
}

async function visit(
  page: Page,
  path: string,
  f: Findings,
  after?: (p: Page) => Promise<void>,
): Promise<void> {
  await page.goto(pathToFileURL(join(site, path)).href + (path === 'search.html' ? '?q=xssneedle' : ''));
  if (after) await after(page);
  // Open every fold and hover every citation so nothing hides a payload from the checks.
  await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
  for (const c of await page.locator('.cite').all()) await c.hover();
  await page.waitForTimeout(50);
  const r = await page.evaluate<{
    xss: unknown;
    handlers: string[];
    foreign: string[];
    scripts: string[];
    jsLinks: string[];
  }>(`(() => {
    const handlers = [];
    for (const el of document.querySelectorAll('*'))
      for (const a of el.attributes) if (/^on/i.test(a.name)) handlers.push(el.tagName + ' ' + a.name);
    const foreign = [...document.querySelectorAll('iframe, img, object, embed, frame, style, base, meta[http-equiv="refresh"], textarea, svg:not(.argmap), form:not(.searchbox):not(.bigsearch)')].filter((e) => !e.closest('#model-app')).map((e) => e.outerHTML.slice(0, 80));
    const scripts = [...document.scripts].map((s) => s.getAttribute('src') || 'INLINE').filter((s) => !/^(\\.\\.\\/)*(assets|search)\\/[a-z0-9-]+\\.js$/.test(s));
    const jsLinks = [...document.querySelectorAll('[href], [src], [action]')].map((e) => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')).filter((u) => /^\\s*(javascript|data|vbscript):/i.test(u));
    return { xss: window.__xss, handlers, foreign, scripts, jsLinks };
  })()`);
  assert.equal(r.xss, undefined, `${path}: a payload ran (window.__xss = ${String(r.xss)})`);
  assert.deepEqual(r.handlers, [], `${path}: event-handler attributes`);
  assert.deepEqual(r.foreign, [], `${path}: elements from mail`);
  assert.deepEqual(r.scripts, [], `${path}: scripts other than the site's`);
  assert.deepEqual(r.jsLinks, [], `${path}: script URLs`);
  assert.deepEqual(f.dialogs, [], `${path}: dialogs`);
  assert.deepEqual(f.errors, [], `${path}: errors`);
  assert.deepEqual(
    f.requests.filter((u) => !u.startsWith('file://')),
    [],
    `${path}: requests off the machine`,
  );
}

describe('hostile mail through every page kind', () => {
  it('is inert on every page', async () => {
    const page = await browser.newPage();
    const f: Findings = { dialogs: [], errors: [], requests: [] };
    page.on('dialog', (d) => {
      f.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => f.errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') f.errors.push(m.text());
    });
    page.on('request', (r) => f.requests.push(r.url()));
    const kinds = pagesByKind();
    for (const k of ['index', 'search', 'model', 'd', 'map', 't', 'm', 'p', 'topic', 's'])
      assert.ok(kinds.get(k)?.length, `no ${k} page`);
    let visited = 0;
    for (const [kind, paths] of kinds) {
      for (const p of paths) {
        await visit(
          page,
          p,
          f,
          kind === 'search'
            ? (pg) => pg.waitForSelector('body[data-search-done]').then(() => undefined)
            : undefined,
        );
        visited++;
      }
    }
    assert.ok(visited >= 25, `${visited} pages`);
    await page.close();
  });

  it('shows the payloads as text', async () => {
    const page = await browser.newPage();
    const text = async (p: string): Promise<string> => {
      await page.goto(pathToFileURL(join(site, p)).href);
      await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
      return page.locator('body').innerText();
    };
    const thread = await text('t/xss-v1-1@evil.example.html');
    assert.ok(thread.includes("[PATCH 1/1] mm: <script>window.__xss='subject1'</script> xssneedle"));
    assert.ok(thread.includes(`<img src="http://evil.example/pixel.png" onerror="window.__xss='img1'">`));
    assert.ok(thread.includes("</p></article></details><script>window.__xss='close'</script>"));
    assert.ok(thread.includes('+<img src=x onerror="window.__xss=\'diffadd\'">'));
    // Direction overrides are shown, not obeyed; broken UTF-8 becomes U+FFFD.
    assert.ok(thread.includes('txt.⟨U+202E⟩exe⟨U+202C⟩'));
    assert.ok(thread.includes('Broken UTF-8: \ufffd'));
    const msg = await text(
      readdirSync(join(site, 'm'))
        .map((f) => `m/${f}`)
        .find((f) => f.startsWith('m/xss-att@') && f.endsWith('.html'))!,
    );
    assert.ok(msg.includes("<img src=x onerror=window.__xss='att'>.txt"));
    const decision = await text('d/xss-case.html');
    assert.ok(decision.includes("<script>window.__xss='title'</script> a record about hostile mail"));
    assert.ok(decision.includes("<script>window.__xss='md'</script>"));
    assert.ok(decision.includes('click me'));
    await page.goto(pathToFileURL(join(site, 'search.html')).href + '?q=xssneedle');
    await page.waitForSelector('body[data-search-done]');
    const results = await page.locator('#search-results').innerText();
    assert.ok(results.includes("<script>window.__xss='subject1'</script>"));
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'xss-search.png'), fullPage: true });
    await page.close();
  });

  it('keeps the Atom feed well-formed', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(site, 'index.html')).href);
    const xml = readFileSync(join(site, 'feed.atom'), 'utf8');
    const r = await page.evaluate<{ error: string | null; titles: string[] }>(
      `(() => { const d = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
        return { error: d.querySelector('parsererror')?.textContent ?? null, titles: [...d.getElementsByTagName('title')].map((t) => t.textContent) }; })()`,
    );
    assert.equal(r.error, null);
    assert.ok(r.titles.some((t) => t.includes("<script>window.__xss='subject1'</script>")));
    await page.close();
  });
});
