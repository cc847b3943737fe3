// `argmap serve --db` against the static build, on the bundled data: a real HTTP server on a real
// SQLite file gives every page of the built site with the same bytes; ETags answer 304; search is
// answered from FTS5 with the CLI's results; the server sees new mail ingested by another
// connection on its next request.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { buildSite, type Page } from '../../src/site/build.ts';
import { serveDb } from '../../src/site/serve-db.ts';
import type { Served } from '../../src/site/serve.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { searchFts } from '../../src/search/fts.ts';
import { parseQuery } from '../../src/search/query.ts';
import { readRecords } from '../../src/decisions/record.ts';
import type { SearchApiResult } from '../../src/search/api.ts';
import { urls } from '../../src/site/urls.ts';
import { fixture, ingestPaths } from '../helpers/archive.ts';
import { bundledDb, DATA, SEED, SEED_THREAD } from './bundled.ts';
import { join } from 'node:path';
import { request } from 'node:http';

const BUILT_AT = '2026-01-01T00:00:00Z';
let db: Db;
let file: string;
let cleanup: () => void;
let served: Served;
let reader: Db;
let pages: Page[];

before(async () => {
  ({ db, file, cleanup } = await bundledDb());
  pages = await buildSite(db, { builtAt: BUILT_AT });
  reader = openDb(file, { readonly: true });
  served = await serveDb(reader, {});
});
after(async () => {
  await served.close();
  reader.close();
  cleanup();
});

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(served.url + path, { headers });

describe('serve --db', () => {
  it('serves every page of the static build with the same bytes', async () => {
    // The server's feed would carry its own start time if the archive had no threads; it has.
    let compared = 0;
    const differ: string[] = [];
    for (const p of pages) {
      if (p.path.startsWith('search/')) continue; // lunr data: the server answers search itself
      const r = await get(p.path.split('/').map(encodeURIComponent).join('/'));
      const body = Buffer.from(await r.arrayBuffer());
      const want = typeof p.content === 'string' ? Buffer.from(p.content) : p.content;
      if (r.status !== 200 || !body.equals(want)) differ.push(`${p.path} (${r.status})`);
      compared++;
    }
    assert.deepEqual(differ.slice(0, 10), []);
    // Every kind of page was among them.
    const kinds = new Set(pages.map((p) => p.path.replace(/\/.*/, '/').replace(/^[^/]*$/, 'root')));
    for (const k of ['t/', 'm/', 'p/', 'd/', 'map/', 'topic/', 's/', 'assets/', 'root'])
      assert.ok(kinds.has(k), k);
    assert.ok(compared > 3000, `${compared} pages compared`);
  });

  it('answers / with the home page, 404 for unknown pages and 403 for path escapes', async () => {
    const home = await get('');
    assert.equal(home.status, 200);
    assert.equal(await home.text(), String(pages.find((p) => p.path === 'index.html')!.content));
    assert.equal((await get('t/no-such-thread@example.org.html')).status, 404);
    assert.equal((await get('m/nope.html')).status, 404);
    assert.equal((await get('search/manifest.js')).status, 404);
    // Sent as is (fetch would normalise the path): an encoded slash hides `..` from URL parsing.
    const esc = await new Promise<number>((res, rej) =>
      request(served.url + 'p/..%2f..%2fetc%2fpasswd', (r) => {
        r.resume();
        res(r.statusCode ?? 0);
      })
        .on('error', rej)
        .end(),
    );
    assert.equal(esc, 403);
    const post = await fetch(served.url + 'index.html', { method: 'POST' });
    assert.equal(post.status, 405);
  });

  it('sends content types a browser will not sniff, and the raw mail as a download', async () => {
    const t = await get(urls.thread(SEED_THREAD));
    assert.equal(t.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(t.headers.get('x-content-type-options'), 'nosniff');
    const raw = await get(urls.raw(SEED));
    assert.equal(raw.headers.get('content-type'), 'message/rfc822');
    assert.match(await raw.text(), new RegExp(`Message-I[Dd]: <${SEED.replace(/[.+]/g, '\\$&')}>`));
    const mbox = await get(urls.threadMbox(SEED_THREAD), { 'Accept-Encoding': 'gzip' });
    assert.equal(mbox.headers.get('content-type'), 'application/gzip');
    assert.equal(mbox.headers.get('content-encoding'), null, 'the mbox.gz is sent as the gzip file it is');
    assert.match(gunzipSync(Buffer.from(await mbox.arrayBuffer())).toString('latin1'), /^From /);
  });

  it('answers a repeated request with 304 from its ETag, without the body', async () => {
    const first = await get(urls.thread(SEED_THREAD));
    const etag = first.headers.get('etag');
    assert.ok(etag && /^"[0-9a-f]{20}"$/.test(etag), String(etag));
    const again = await get(urls.thread(SEED_THREAD), { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    const stale = await get(urls.thread(SEED_THREAD), { 'If-None-Match': '"0000"' });
    assert.equal(stale.status, 200);
  });

  it('searches with the CLI parser and ranking', async () => {
    const records = readRecords(join(DATA, 'decisions'));
    for (const q of [
      'memory.reclaim',
      'f:hocko s:reclaim',
      'type:objection status:open',
      'q:"memory.high"',
    ]) {
      const r = await get(`api/search?q=${encodeURIComponent(q)}&limit=10`);
      assert.equal(r.status, 200);
      const api = (await r.json()) as SearchApiResult;
      const cli = searchFts(db, parseQuery(q), { limit: 10, records });
      assert.equal(api.total, cli.total, q);
      assert.deepEqual(
        api.hits.map((h) => h.url),
        cli.hits.map((h) =>
          h.threadRoot ? urls.inThread(h.threadRoot, h.messageId) : urls.message(h.messageId),
        ),
        q,
      );
      assert.deepEqual(
        api.records.map((x) => x.title),
        cli.records.map((x) => x.title),
      );
    }
    // Pages continue where the first stopped.
    const all = (await (await get('api/search?q=reclaim&limit=30')).json()) as SearchApiResult;
    const second = (await (await get('api/search?q=reclaim&offset=20&limit=10')).json()) as SearchApiResult;
    assert.deepEqual(
      second.hits.map((h) => h.url),
      all.hits.slice(20, 30).map((h) => h.url),
    );
    // A snippet marks the words it matched.
    assert.ok(all.hits[0]!.snippet.some((p) => p.mark && /reclaim/i.test(p.text)));
  });

  it('sees mail another connection ingests, on the next request', async () => {
    const before = await get('t/index.html');
    const etag = before.headers.get('etag')!;
    const beforeText = await before.text();
    await ingestPaths(db, [fixture('mbox', 'oddities.mbox')]);
    const after = await get('t/index.html', { 'If-None-Match': etag });
    assert.equal(after.status, 200, 'the old ETag no longer matches');
    assert.notEqual(after.headers.get('etag'), etag);
    const afterText = await after.text();
    assert.notEqual(afterText, beforeText);
    // Every page of the grown archive is served as a new build writes it, the odd Message-IDs too.
    const rebuilt = await buildSite(db, { builtAt: BUILT_AT });
    const before2 = new Set(pages.map((p) => p.path));
    const added = rebuilt.filter((p) => !before2.has(p.path) && !p.path.startsWith('search/'));
    assert.ok(added.length >= 10, `${added.length} new pages`);
    for (const p of added) {
      const r = await get(p.path.split('/').map(encodeURIComponent).join('/'));
      const want = typeof p.content === 'string' ? Buffer.from(p.content) : p.content;
      assert.ok(Buffer.from(await r.arrayBuffer()).equals(want), p.path);
    }
  });
});
