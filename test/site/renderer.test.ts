// The renderer's own logic: page names decode back to the identifiers they were made from (a
// property test over random identifiers against encodeId), and paths the site never writes render
// nothing. That every page renders with the static build's bytes is checked over HTTP in
// serve-db.test.ts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeId, SiteRenderer } from '../../src/site/renderer.ts';
import { encodeId, urls } from '../../src/site/urls.ts';
import { rng } from '../../src/util/rng.ts';
import type { Db } from '../../src/store/db.ts';
import { bundledDb, SEED, SEED_THREAD } from './bundled.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, ingestPaths, tempDir } from '../helpers/archive.ts';

const ALPHABET = [
  'a',
  'Z',
  '0',
  '.',
  '@',
  '+',
  '=',
  '-',
  '_',
  '~',
  '/',
  ' ',
  '%',
  '#',
  '?',
  'é',
  '中',
  '😀',
  '\u0000',
  '>',
];

function randomId(next: () => number, max: number): string {
  let s = '';
  const n = 1 + Math.floor(next() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)]!;
  return s;
}

describe('decodeId', () => {
  it('inverts encodeId for every identifier short enough to be kept whole', () => {
    const next = rng(7);
    for (let i = 0; i < 3000; i++) {
      const id = randomId(next, 40);
      const enc = encodeId(id);
      if (enc.includes('~~')) continue;
      assert.deepEqual(decodeId(enc).id, id, JSON.stringify(id));
    }
  });

  it('gives a true prefix of a long identifier that was cut and hashed', () => {
    const next = rng(11);
    let long = 0;
    for (let i = 0; i < 500; i++) {
      const id = randomId(next, 200);
      const enc = encodeId(id);
      if (!enc.includes('~~')) continue;
      long++;
      const d = decodeId(enc);
      assert.equal(d.id, null);
      assert.ok(id.startsWith(d.prefix), JSON.stringify(id));
      assert.ok(d.prefix.length >= 20, 'the prefix narrows the lookup');
    }
    assert.ok(long > 100, `${long} long identifiers tried`);
  });
});

describe('SiteRenderer.render', () => {
  let db: Db;
  let cleanup: () => void;
  let r: SiteRenderer;
  before(async () => {
    ({ db, cleanup } = await bundledDb());
    r = await SiteRenderer.open(db, { minify: false });
  });
  after(() => cleanup());

  it('renders the pages of a thread, a message and a person by path', () => {
    for (const p of [
      urls.thread(SEED_THREAD),
      urls.json(urls.thread(SEED_THREAD)),
      urls.message(SEED),
      urls.raw(SEED),
    ])
      assert.equal(r.render(p)?.path, p);
    const person = [...r.ctx.people.values()].find((p) => p.name === 'Shakeel Butt')!;
    assert.match(String(r.render(urls.person(person.slug))!.content), /Shakeel Butt/);
  });

  it('finds a message whose Message-ID is too long to be a file name whole', async () => {
    // A real message with its Message-ID made 300 characters long (hostile input, as a list can carry).
    const longId = `${'x'.repeat(120)}.${'é'.repeat(60)}.${'y'.repeat(118)}@example.org`;
    const t = tempDir();
    try {
      const eml = readFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml'), 'latin1').replace(
        /^Message-ID: <[^>]+>/m,
        `Message-ID: <${longId}>`,
      );
      const path = join(t.dir, 'long.eml');
      writeFileSync(path, eml, 'latin1');
      await ingestPaths(db, [path]);
      const fresh = await SiteRenderer.open(db, { minify: false });
      const page = urls.message(longId);
      assert.match(page, /~~[0-9a-f]{16}\.html$/, 'the name is cut and hashed');
      assert.match(String(fresh.render(page)?.content), /Throttle allocators/);
      assert.ok(fresh.render(urls.raw(longId)));
      // Another id with the same start is a different page.
      assert.equal(fresh.render(urls.message(longId.replace(/@example/, '@other'))), null);
    } finally {
      t.cleanup();
    }
  });

  it('renders nothing for paths the site never writes', () => {
    for (const p of [
      'nope.html',
      't/nope@example.org.html',
      `t/${encodeId(SEED)}.html`, // a reply, not a thread root
      `map/t/${encodeId(SEED_THREAD)}.eml`,
      `m/${encodeId(SEED)}.mbox.gz`,
      'd/no-such-decision.html',
      'p/nobody-at-all.html',
      'topic/no-such-topic.html',
      `s/${encodeId(SEED)}.html`,
      'assets/nope.js',
      'search/manifest.js',
      'm/.html',
      'index.htm',
      '',
    ])
      assert.equal(r.render(p), null, p);
  });
});
