// src/ingest/extract.ts: pulling whole threads out of archives, as lore's t.mbox.gz does. The
// archives are the real fixture mboxes (plain, gzipped, copied under another name) in a temp
// directory; the expected threads are read off their headers by eye (quoted below).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { extractThreads, threadIdsIn } from '../../src/ingest/extract.ts';
import { fixture, tempDir } from '../helpers/archive.ts';

// throttle-2019.mbox, by eye: 20190501184104 replies to 20190410153449 (not in the file: a ghost);
// 20190507084419 and 20190723180700 reply to 20190501184104; 20190723205026 to 20190723180700.
const THROTTLE = [
  '20190410153449.GA14915@chrisdown.name',
  '20190501184104.GA30293@chrisdown.name',
  '20190507084419.GM31017@dhcp22.suse.cz',
  '20190723180700.GA29459@chrisdown.name',
  '20190723205026.GB30522@cmpxchg.org',
];
const RECLAIM_ROOT = '20200909215752.1725525-1-shakeelb@google.com';
const SEED = 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com';

let t: { dir: string; cleanup: () => void };
let archive: string;

before(() => {
  t = tempDir();
  archive = join(t.dir, 'archive');
  mkdirSync(archive);
  copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(archive, 'a-throttle.mbox'));
  writeFileSync(
    join(archive, 'b-reclaim.mbox.gz'),
    gzipSync(readFileSync(fixture('mbox', 'reclaim-2020.mbox'))),
  );
  // Sources that are not mail archives are not scanned: a hypermail copy of the seed message and a commit.
  copyFileSync(fixture('pages', 'seed-hypermail.txt'), join(archive, 'c-page.txt'));
  copyFileSync(
    fixture('commits', '03-94968384dde1-memcg-introduce-per-memcg-reclaim-interface.txt'),
    join(archive, 'd-commit.txt'),
  );
});
after(() => t.cleanup());

/** The Message-IDs in an mbox file, in order, read with a plain regex (not argmap's reader). */
function idsIn(file: string): string[] {
  return [...readFileSync(file, 'latin1').matchAll(/^Message-ID:\s*<([^>]+)>/gim)].map((m) => m[1]!);
}

describe('threadIdsIn', () => {
  it('a thread is every id joined to the root, ghosts included', async () => {
    const ids = await threadIdsIn(['archive'], t.dir, ['20190723205026.GB30522@cmpxchg.org']);
    assert.deepEqual([...ids].sort(), THROTTLE);
  });

  it('the reclaim thread from inside a gzip file, by a message in its middle', async () => {
    const ids = await threadIdsIn([archive], '/', [SEED]);
    for (const id of idsIn(fixture('mbox', 'reclaim-2020.mbox'))) assert.ok(ids.has(id), id);
    assert.ok(ids.has(RECLAIM_ROOT));
    for (const id of THROTTLE) assert.ok(!ids.has(id), id);
  });

  it('a root found nowhere comes back alone', async () => {
    const ids = await threadIdsIn([archive], '/', ['nobody@example.invalid']);
    assert.deepEqual([...ids], ['nobody@example.invalid']);
  });
});

describe('extractThreads', () => {
  it('writes the thread byte for byte as the source holds it, From_ lines and all', async () => {
    const out = join(t.dir, 'reclaim.mbox');
    const s = await extractThreads([archive], '/', [RECLAIM_ROOT], out);
    assert.deepEqual(readFileSync(out), readFileSync(fixture('mbox', 'reclaim-2020.mbox')));
    assert.equal(s.written, 28);
    assert.equal(s.duplicatesSkipped, 0);
    assert.deepEqual(s.rootsMissing, []);
    assert.equal(s.roots, 1);
    assert.equal(s.out, out);
  });

  it('two threads at once, in source order; a missing root is reported', async () => {
    const out = join(t.dir, 'two.mbox');
    const s = await extractThreads(
      [archive],
      '/',
      [RECLAIM_ROOT, '20190507084419.GM31017@dhcp22.suse.cz', 'nobody@example.invalid'],
      out,
    );
    assert.equal(s.written, 4 + 28);
    assert.deepEqual(s.rootsMissing, ['nobody@example.invalid']);
    assert.equal(s.roots, 3);
    assert.deepEqual(idsIn(out), [
      ...idsIn(fixture('mbox', 'throttle-2019.mbox')),
      ...idsIn(fixture('mbox', 'reclaim-2020.mbox')),
    ]);
    // threadIds: the 5 throttle ids, the reclaim thread's ids, and the missing root itself.
    const reclaimIds = await threadIdsIn([archive], '/', [RECLAIM_ROOT]);
    assert.equal(s.threadIds, 5 + reclaimIds.size + 1);
  });

  it('a root that is a ghost (named by replies, never present) is reported missing, its replies written', async () => {
    const out = join(t.dir, 'ghost.mbox');
    const s = await extractThreads([archive], '/', ['20190410153449.GA14915@chrisdown.name'], out);
    assert.equal(s.written, 4);
    assert.deepEqual(s.rootsMissing, ['20190410153449.GA14915@chrisdown.name']);
  });

  it('the same messages in a second copy of the archive are written once', async () => {
    const dup = join(t.dir, 'dup');
    mkdirSync(dup);
    copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dup, 'one.mbox'));
    copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dup, 'two.mbox'));
    const out = join(t.dir, 'dup.mbox');
    const s = await extractThreads([dup], '/', ['20190501184104.GA30293@chrisdown.name'], out);
    assert.equal(s.written, 4);
    assert.equal(s.duplicatesSkipped, 4);
    assert.deepEqual(readFileSync(out), readFileSync(fixture('mbox', 'throttle-2019.mbox')));
  });

  it('From-escaped lines come out escaped exactly as in the source (oddities #1, >From in a story)', async () => {
    const src = readFileSync(fixture('mbox', 'oddities.mbox'), 'latin1');
    const second = src.indexOf('\nFrom mboxrd@z ', 1) + 1;
    const first = src.slice(0, second);
    assert.match(first, /^>From /m, 'the message holds an escaped From line');
    const out = join(t.dir, 'odd.mbox');
    const s = await extractThreads(
      [fixture('mbox', 'oddities.mbox')],
      '/',
      ['20200219211735.GD54486@cmpxchg.org'],
      out,
    );
    assert.equal(s.written, 1);
    assert.equal(readFileSync(out, 'latin1'), first);
  });

  it('no mail sources at all: an empty file and every root missing', async () => {
    const out = join(t.dir, 'none.mbox');
    const s = await extractThreads(
      [join(archive, 'c-page.txt'), join(archive, 'd-commit.txt')],
      '/',
      [SEED],
      out,
    );
    assert.equal(s.written, 0);
    assert.deepEqual(s.rootsMissing, [SEED]);
    assert.equal(readFileSync(out).length, 0);
  });
});
