// Every URL of the site (src/site/urls.ts): identifiers become file names in a safe alphabet that
// decode back to the identifier, every builder returns a relative path, and a link between two
// pages resolves to its target from any page depth.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  depth,
  encodeId,
  href,
  messageAnchor,
  paragraphAnchor,
  shortHash,
  slugify,
  urls,
} from '../../src/site/urls.ts';

// Moved unchanged from test/site/html.test.ts.
describe('urls', () => {
  it('encodes Message-IDs into file names that need no percent-encoding', () => {
    const id = 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com';
    assert.equal(encodeId(id), id);
    assert.equal(encodeId('a/b?c#d%e~f g'), 'a~2Fb~3Fc~23d~25e~7Ef~20g');
    assert.equal(encodeId('../etc'), '~2E.~2Fetc');
    assert.equal(encodeId(''), '~');
    assert.match(encodeId('x'.repeat(400)), /^x{100}~~[0-9a-f]{16}$/);
    for (const s of ['"><script>', 'über', '\u202e', '..', '.hidden'])
      assert.match(encodeId(s), /^[A-Za-z0-9_@+=~.-]+$/);
  });
  it('builds relative links from any page', () => {
    assert.equal(href('index.html', urls.thread('a@b')), 't/a@b.html');
    assert.equal(href('t/x.html', urls.decision('memory-reclaim')), '../d/memory-reclaim.html');
    assert.equal(urls.json('d/memory-reclaim.html'), 'd/memory-reclaim.json');
    assert.equal(urls.search('f:hocko d:2020'), 'search.html?q=f%3Ahocko%20d%3A2020');
  });
  it('slugifies names', () => {
    assert.equal(slugify('Michal Hocko (SUSE)'), 'michal-hocko-suse');
    assert.equal(slugify('Jérôme Glisse'), 'jerome-glisse');
    assert.equal(slugify('<script>'), 'script');
  });
});

/** The naive inverse of encodeId for names that were not cut: `~XX` is byte XX, the rest is itself. */
function decodeId(name: string): string {
  if (name === '~') return '';
  const bytes: number[] = [];
  for (let i = 0; i < name.length;) {
    if (name[i] === '~') {
      const hex = name.slice(i + 1, i + 3);
      assert.match(hex, /^[0-9A-F]{2}$/, `~ followed by two upper-case hex digits in ${name}`);
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      bytes.push(name.charCodeAt(i));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const SAFE_NAME = /^[A-Za-z0-9_@+=~-][A-Za-z0-9_@+=~.-]*$/;

/** Identifiers as mail brings them: Message-ID-like text, arbitrary Unicode, path-ish tricks. */
const ids = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('.', '/', '~', '%', '#', '?', ' ', 'a', '@', '\\'), maxLength: 12 }),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9._+-]{1,30}$/), fc.domain()).map(([l, d]) => `${l}@${d}`),
);

describe('encodeId', () => {
  it('decodes back to the identifier when the name is not cut, so two ids never share a file', () => {
    fc.assert(
      fc.property(ids, (id) => {
        const name = encodeId(id);
        assert.match(name, SAFE_NAME);
        // Lone surrogates become U+FFFD in UTF-8; compare with what the bytes say.
        if (name.length <= 150) assert.equal(decodeId(name), Buffer.from(id, 'utf8').toString('utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes a byte at a time: UTF-8 bytes, a leading dot, a tilde', () => {
    // ü is C3 BC in UTF-8, U+202E is E2 80 AE.
    assert.equal(encodeId('über'), '~C3~BCber');
    assert.equal(encodeId('\u202e'), '~E2~80~AE');
    assert.equal(encodeId('.hidden'), '~2Ehidden');
    assert.equal(encodeId('..'), '~2E.');
    assert.equal(encodeId('a.b'), 'a.b');
    assert.equal(encodeId('~'), '~7E');
  });

  it('cuts a long name at 100 characters and adds 16 hex digits of the SHA-1 of the whole id', () => {
    const id = 'x'.repeat(400);
    assert.equal(encodeId(id), 'x'.repeat(100) + '~~' + shortHash(id, 16));
    // The cut is of the encoded name: 100 characters of "~2F" triples end mid-escape.
    const slashes = '/'.repeat(60); // encodes to 180 characters
    assert.equal(encodeId(slashes), '~2F'.repeat(33) + '~' + '~~' + shortHash(slashes, 16));
    // Exactly 150 encoded characters stay whole; 151 are cut.
    assert.equal(encodeId('y'.repeat(150)), 'y'.repeat(150));
    assert.equal(encodeId('y'.repeat(151)).length, 118);
    // Two long ids that differ only after the cut still get different names.
    assert.notEqual(encodeId('z'.repeat(200) + 'a'), encodeId('z'.repeat(200) + 'b'));
  });
});

describe('shortHash and anchors', () => {
  it('is the hex prefix of the SHA-1 (FIPS 180 test vector "abc")', () => {
    assert.equal(shortHash('abc'), 'a9993e3647');
    assert.equal(shortHash('abc', 40), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(shortHash('', 8), 'da39a3ee');
  });
  it('names a message m<hash> and its paragraph m<hash>-p<N>', () => {
    assert.equal(messageAnchor('abc'), 'ma9993e3647');
    assert.equal(paragraphAnchor('abc', 3), 'ma9993e3647-p3');
    assert.equal(urls.inThread('r@x', 'abc'), 't/r@x.html#ma9993e3647');
    assert.equal(urls.paragraph('r@x', 'abc', 0), 't/r@x.html#ma9993e3647-p0');
  });
});

describe('slugify', () => {
  it('keeps lower-case letters and digits joined by single dashes, at most max long', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.integer({ min: 1, max: 70 }), (s, max) => {
        const slug = slugify(s, max);
        assert.match(slug, /^([a-z0-9]+(-[a-z0-9]+)*)?$/);
        assert.ok(slug.length <= max, `${slug} longer than ${max}`);
        assert.equal(slugify(slug, max), slug, 'a slug is its own slug');
      }),
      { numRuns: 500 },
    );
  });
  it('cuts at max and drops the dash the cut leaves at the end', () => {
    assert.equal(slugify('memory reclaim interface', 7), 'memory');
    assert.equal(slugify('memory reclaim interface', 8), 'memory-r');
    assert.equal(slugify('  --Hello, World!--  '), 'hello-world');
    assert.equal(slugify('日本語'), '');
  });
});

describe('URL builders', () => {
  /** Every builder with one identifier, named, so a failure says which. */
  const builders: [string, (id: string) => string][] = [
    ['decision', urls.decision],
    ['map', urls.map],
    ['threadMap', urls.threadMap],
    ['thread', urls.thread],
    ['threadMbox', urls.threadMbox],
    ['inThread', (id) => urls.inThread(id, id)],
    ['paragraph', (id) => urls.paragraph(id, id, 2)],
    ['message', urls.message],
    ['raw', urls.raw],
    ['person', urls.person],
    ['topic', urls.topic],
    ['series', urls.series],
    ['search', urls.search],
    ['model', urls.model],
  ];
  const fixed = [
    urls.index(),
    urls.feed(),
    urls.decisions(),
    urls.threads(),
    urls.people(),
    urls.topics(),
    urls.seriesList(),
    urls.asset('site.css'),
    urls.searchData('manifest.js'),
  ];

  it('puts each page where docs/site.md says', () => {
    assert.deepEqual(fixed, [
      'index.html',
      'feed.atom',
      'd/index.html',
      't/index.html',
      'p/index.html',
      'topic/index.html',
      's/index.html',
      'assets/site.css',
      'search/manifest.js',
    ]);
    assert.equal(urls.decision('memory-reclaim'), 'd/memory-reclaim.html');
    assert.equal(urls.map('memory-reclaim'), 'map/memory-reclaim.html');
    assert.equal(urls.threadMap('a/b@x'), 'map/t/a~2Fb@x.html');
    assert.equal(urls.threadMbox('a@x'), 't/a@x.mbox.gz');
    assert.equal(urls.message('a@x'), 'm/a@x.html');
    assert.equal(urls.raw('a@x'), 'm/a@x.eml');
    assert.equal(urls.person('michal-hocko'), 'p/michal-hocko.html');
    assert.equal(urls.topic('memory.high'), 'topic/memory.high.html');
    assert.equal(urls.series('a@x'), 's/a@x.html');
    assert.equal(urls.search(), 'search.html');
    assert.equal(urls.search(''), 'search.html');
    assert.equal(urls.model(), 'model.html');
    assert.equal(urls.model('S2'), 'model.html#scenario=S2');
    assert.equal(urls.model('a b&c'), 'model.html#scenario=a%20b%26c');
  });

  it('returns relative paths without . or .. segments for any identifier', () => {
    fc.assert(
      fc.property(ids, (id) => {
        for (const [name, build] of builders) {
          const p = build(id);
          assert.ok(!p.startsWith('/') && !/^[a-z]+:/i.test(p), `${name}: ${p} is relative`);
          const path = p.split(/[?#]/)[0]!;
          for (const seg of path.split('/')) {
            assert.ok(seg !== '' && seg !== '.' && seg !== '..', `${name}: segment ${seg} in ${p}`);
            assert.match(seg, SAFE_NAME, `${name}: ${p}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('links resolve to the target from every page, as a browser resolves them', () => {
    const pages = fc.oneof(
      fc.constantFrom(...fixed),
      fc.tuple(fc.constantFrom(...builders), ids).map(([[, b], id]) => b(id)),
    );
    fc.assert(
      fc.property(pages, pages, (from, to) => {
        const link = href(from, to);
        const base = new URL(from, 'http://site.invalid/root/');
        const got = new URL(link, base);
        const want = new URL(to, 'http://site.invalid/root/');
        assert.equal(got.href, want.href, `${link} from ${from}`);
      }),
      { numRuns: 500 },
    );
  });

  it('counts directories before the query or fragment only', () => {
    assert.equal(depth('index.html'), 0);
    assert.equal(depth('map/t/x.html'), 2);
    assert.equal(depth('search.html?q=a/b/c'), 0);
    assert.equal(depth('t/x.html#a/b'), 1);
    assert.equal(href('map/t/x.html', 'index.html'), '../../index.html');
  });

  it('gives each HTML page a JSON twin at the same path, fragment dropped', () => {
    assert.equal(urls.json('t/a@x.html#ma9993e3647'), 't/a@x.json');
    assert.equal(urls.json('index.html'), 'index.json');
    // Only a trailing .html is the extension.
    assert.equal(urls.json('topic/x.html.html'), 'topic/x.html.json');
    fc.assert(
      fc.property(ids, (id) => {
        const p = urls.message(id);
        assert.equal(urls.json(p), p.slice(0, -'.html'.length) + '.json');
      }),
    );
  });
});
