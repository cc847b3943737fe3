// The static file server (src/site/serve.ts) on a real port over a temp site: files with their
// content types and nosniff, index.html for a directory URL, HEAD, and refusals: another method,
// a path that leaves the site (sent raw, as a browser would never normalise it), a directory
// without index.html, a missing file, a URL that does not decode.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { tempDir } from '../helpers/archive.ts';
import { serveSite, type Served } from '../../src/site/serve.ts';

let t: { dir: string; cleanup: () => void };
let s: Served;
before(async () => {
  t = tempDir();
  const site = join(t.dir, 'site');
  mkdirSync(join(site, 't'), { recursive: true });
  mkdirSync(join(site, 'empty'));
  writeFileSync(join(site, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(site, 't', 'index.html'), '<h1>threads</h1>');
  writeFileSync(join(site, 'm.eml'), 'Subject: <script>x</script>\n\nbody\n');
  writeFileSync(join(site, 'x.unknownext'), 'x');
  // outside the site: must never be served
  writeFileSync(join(t.dir, 'secret.txt'), 'secret');
  s = await serveSite(site, 0);
});
after(async () => {
  await s.close();
  t.cleanup();
});

/** One raw request: the path goes out exactly as given. */
function get(
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(s.url);
  return new Promise((res, rej) => {
    const r = request({ host: u.hostname, port: u.port, path, method }, (resp) => {
      let body = '';
      resp.setEncoding('utf8');
      resp.on('data', (c: string) => (body += c));
      resp.on('end', () => res({ status: resp.statusCode!, headers: resp.headers, body }));
    });
    r.on('error', rej);
    r.end();
  });
}

describe('serveSite', () => {
  it('listens on 127.0.0.1 at a free port', () => {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(new URL(s.url).port, '0');
  });

  it('serves a file with its type, length and nosniff; a directory URL gets its index.html', async () => {
    const home = await get('/');
    assert.equal(home.status, 200);
    assert.equal(home.body, '<h1>home</h1>');
    assert.equal(home.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(home.headers['content-length'], String('<h1>home</h1>'.length));
    assert.equal(home.headers['x-content-type-options'], 'nosniff');
    assert.equal(home.headers['referrer-policy'], 'no-referrer');
    assert.equal((await get('/t/')).body, '<h1>threads</h1>');
    assert.equal((await get('/m.eml')).headers['content-type'], 'message/rfc822', 'raw mail is never HTML');
    assert.equal((await get('/x.unknownext')).headers['content-type'], 'application/octet-stream');
    assert.equal((await get('/%74/index.html')).body, '<h1>threads</h1>', 'percent-escapes are decoded');
  });

  it('answers HEAD without a body', async () => {
    const h = await get('/', 'HEAD');
    assert.equal(h.status, 200);
    assert.equal(h.body, '');
    assert.equal(h.headers['content-length'], String('<h1>home</h1>'.length));
  });

  it('refuses other methods, escapes, directories without an index, missing files and bad escapes', async () => {
    const post = await get('/', 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    // the URL parser already resolves `..` and `%2e%2e` segments inside the site (not found)...
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/t/%2e%2e/%2e%2e/secret.txt']) {
      const r = await get(p);
      assert.equal(r.status, 404, p);
      assert.ok(!r.body.includes('secret'), p);
    }
    // ...but an escaped slash only becomes `../` when decoded: the server's own check refuses it
    for (const p of ['/..%2fsecret.txt', '/t/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt']) {
      const r = await get(p);
      assert.equal(r.status, 403, p);
      assert.ok(!r.body.includes('secret'), p);
    }
    assert.equal((await get('/empty')).status, 404);
    assert.equal((await get('/nope.html')).status, 404);
    assert.equal((await get('/%E0%A4%A')).status, 400);
  });
});
