// src/ingest/readers.ts: one reader per source kind, yielding items in source order, problems
// instead of throws for bad content. The sources are the real fixtures, as files, gzip copies
// (whole and cut short), a Maildir and a public-inbox epoch built here with real git. The oracle
// for mbox items is a plain split of the file at its From_ lines, written in this test.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { readSource, type ReadOptions } from '../../src/ingest/readers.ts';
import type { SourceItem, SourceKind, SourceSpec } from '../../src/ingest/types.ts';
import { fixture, tempDir } from '../helpers/archive.ts';
import { git } from '../helpers/git.ts';

const RECLAIM = fixture('mbox', 'reclaim-2020.mbox');
const THROTTLE = fixture('mbox', 'throttle-2019.mbox');
const EML = fixture('eml', 'throttle-2019-johannes-weiner.eml');

let t: { dir: string; cleanup: () => void };
before(() => (t = tempDir()));
after(() => t.cleanup());

const spec = (kind: SourceKind, path: string, extra: Partial<SourceSpec> = {}): SourceSpec => ({
  kind,
  location: path,
  path,
  ...extra,
});

async function all(s: SourceSpec, opts?: ReadOptions): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const it of readSource(s, opts)) out.push(it);
  return out;
}

/** The oracle: split at every "From " line that starts a message, drop the separator blank line. */
function splitMbox(file: string): { offset: number; envelope: string; raw: Buffer }[] {
  const b = readFileSync(file);
  const s = b.toString('latin1');
  const starts = [...s.matchAll(/^From \S+ +\S+ \S+ +\d+ \d\d:\d\d:\d\d \d{4}$/gm)].map((m) => m.index);
  return starts.map((o, k) => {
    const lineEnd = s.indexOf('\n', o);
    const end = k + 1 < starts.length ? starts[k + 1]! : b.length;
    return { offset: o, envelope: s.slice(o, lineEnd), raw: b.subarray(lineEnd + 1, end - 1) };
  });
}

describe('mbox', () => {
  it('every message with its From_ line offset, envelope and bytes (no From-escaping in this file)', async () => {
    const want = splitMbox(RECLAIM);
    assert.equal(want.length, 28);
    assert.doesNotMatch(readFileSync(RECLAIM, 'latin1'), /^>+From /m);
    const got = await all(spec('mbox', RECLAIM));
    assert.deepEqual(
      got.map((i) => (i.kind === 'message' ? { offset: i.offset, envelope: i.envelope, raw: i.raw } : i)),
      want,
    );
    assert.ok(got.every((i) => i.kind === 'message' && i.format === 'rfc822'));
  });

  it('a gzip copy reads the same; one cut short yields what precedes the damage, then a problem', async () => {
    const gz = gzipSync(readFileSync(RECLAIM));
    writeFileSync(join(t.dir, 'r.mbox.gz'), gz);
    const plain = await all(spec('mbox', RECLAIM));
    assert.deepEqual(await all(spec('mbox', join(t.dir, 'r.mbox.gz'))), plain);
    writeFileSync(join(t.dir, 'cut.mbox.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const cut = await all(spec('mbox', join(t.dir, 'cut.mbox.gz')));
    const last = cut.at(-1)!;
    assert.equal(last.kind, 'problem');
    assert.equal(last.kind === 'problem' && last.code, 'truncated-gzip');
    const msgs = cut.slice(0, -1);
    assert.ok(msgs.length > 0 && msgs.length < 28, `${msgs.length} messages before the damage`);
    // Every message but the one the cut went through is whole and identical to the plain read.
    assert.deepEqual(msgs.slice(0, -1), plain.slice(0, msgs.length - 1));
    assert.equal(last.offset, msgs.at(-1)!.offset, 'the problem names the offset of the last message read');
  });

  it('mboxrd (the default) removes one ">" from >From lines; mboxo only from a single one (oddities)', async () => {
    const odd = fixture('mbox', 'oddities.mbox');
    const find = (items: SourceItem[], needle: string): string => {
      const m = items.find((i) => i.kind === 'message' && i.raw.includes(needle));
      assert.ok(m && m.kind === 'message', needle);
      return m.raw.toString('latin1');
    };
    const rd = await all(spec('mbox', odd));
    const o = await all(spec('mbox', odd), { mboxFlavour: 'mboxo' });
    // Line 150 of the file: ">From a user perspective this isn't a meaningful distinction."
    assert.match(find(rd, 'a user perspective'), /^From a user perspective/m);
    assert.match(find(o, 'a user perspective'), /^From a user perspective/m);
    // Line 277: ">>>From b7195eba02fe… Mon Sep 17 00:00:00 2001" (a quoted format-patch line).
    assert.match(find(rd, 'b7195eba02fe'), /^>>From b7195eba02fe/m);
    assert.match(find(o, 'b7195eba02fe'), /^>>>From b7195eba02fe/m);
    assert.equal(rd.length, 17);
  });

  it('a message over maxMessageBytes is a problem at its offset; the others are read', async () => {
    const want = splitMbox(THROTTLE);
    // A message's size is its bytes after the From_ line, separator included.
    const sizes = want.map((w) => w.raw.length + 1);
    const limit = Math.min(...sizes); // only the smallest message fits
    const got = await all(spec('mbox', THROTTLE), { maxMessageBytes: limit });
    assert.deepEqual(
      got.map((i) => [i.kind, i.offset]),
      want.map((w, k) => [sizes[k]! <= limit ? 'message' : 'problem', w.offset]),
    );
    assert.ok(
      got.filter((i) => i.kind === 'problem').every((i) => i.kind === 'problem' && i.code === 'too-large'),
    );
  });
});

describe('single messages and pages', () => {
  it('an eml is one message, its bytes as the file holds them; gzip is undone', async () => {
    const raw = readFileSync(EML);
    assert.deepEqual(await all(spec('eml', EML)), [{ kind: 'message', format: 'rfc822', offset: 0, raw }]);
    writeFileSync(join(t.dir, 'm.eml.gz'), gzipSync(raw));
    assert.deepEqual(await all(spec('eml', join(t.dir, 'm.eml.gz'))), [
      { kind: 'message', format: 'rfc822', offset: 0, raw },
    ]);
  });

  it('hypermail pages keep their format label', async () => {
    const txt = fixture('pages', 'seed-hypermail.txt');
    const html = fixture('pages', 'seed-hypermail.html');
    assert.deepEqual(await all(spec('hypermail-text', txt)), [
      { kind: 'message', format: 'hypermail-text', offset: 0, raw: readFileSync(txt) },
    ]);
    assert.deepEqual(await all(spec('hypermail-html', html)), [
      { kind: 'message', format: 'hypermail-html', offset: 0, raw: readFileSync(html) },
    ]);
  });

  it('an eml larger than maxMessageBytes is a problem naming its size', async () => {
    const size = readFileSync(EML).length;
    assert.deepEqual(await all(spec('eml', EML), { maxMessageBytes: 100 }), [
      {
        kind: 'problem',
        offset: 0,
        code: 'too-large',
        detail: `message of ${size} bytes exceeds the limit of 100 bytes (MAX_MESSAGE_BYTES); skipped`,
      },
    ]);
  });
});

describe('Maildir', () => {
  it('cur/ then new/, each sorted, dot-files left out; a too-large file is a problem that keeps its number', async () => {
    const md = join(t.dir, 'md');
    for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(md, d), { recursive: true });
    const msgs = splitMbox(THROTTLE).map((m) => m.raw);
    writeFileSync(join(md, 'new', '1700000000.a'), msgs[0]!);
    writeFileSync(join(md, 'cur', '1600000000.b:2,S'), msgs[1]!);
    writeFileSync(join(md, 'cur', '1500000000.c:2,S'), msgs[2]!);
    writeFileSync(join(md, 'cur', '.hidden'), msgs[3]!);
    writeFileSync(join(md, 'tmp', 'partial'), msgs[3]!);
    const got = await all(spec('maildir', md));
    assert.deepEqual(got, [
      { kind: 'message', format: 'rfc822', offset: 0, locator: 'cur/1500000000.c:2,S', raw: msgs[2] },
      { kind: 'message', format: 'rfc822', offset: 1, locator: 'cur/1600000000.b:2,S', raw: msgs[1] },
      { kind: 'message', format: 'rfc822', offset: 2, locator: 'new/1700000000.a', raw: msgs[0] },
    ]);
    const order = [msgs[2]!, msgs[1]!, msgs[0]!];
    const limit = Math.max(...order.map((m) => m.length)) - 1; // all but the largest fit
    const small = await all(spec('maildir', md), { maxMessageBytes: limit });
    assert.deepEqual(
      small.map((i) => [i.kind, i.offset]),
      order.map((m, k) => [m.length > limit ? 'problem' : 'message', k]),
    );
    const p = small.find((i) => i.kind === 'problem')!;
    assert.match(p.kind === 'problem' ? p.detail : '', /^cur\/|^new\//);
  });
});

describe('public-inbox epoch', () => {
  it('one message per commit, oldest first, labelled with its commit; a deletion commit yields nothing', async () => {
    const epoch = join(t.dir, 'epoch');
    git(t.dir, 'init', '-q', 'epoch');
    const msgs = splitMbox(THROTTLE).map((m) => m.raw);
    const commits: string[] = [];
    for (const m of msgs.slice(0, 3)) {
      writeFileSync(join(epoch, 'm'), m);
      git(epoch, 'add', 'm');
      git(epoch, 'commit', '-q', '-m', 'm');
      commits.push(git(epoch, 'rev-parse', 'HEAD').trim());
    }
    git(epoch, 'rm', '-q', 'm');
    writeFileSync(join(epoch, 'd'), msgs[2]!);
    git(epoch, 'add', 'd');
    git(epoch, 'commit', '-q', '-m', 'delete');
    writeFileSync(join(epoch, 'm'), msgs[3]!);
    git(epoch, 'rm', '-q', 'd');
    git(epoch, 'add', 'm');
    git(epoch, 'commit', '-q', '-m', 'm');
    commits.push('(deletion)', git(epoch, 'rev-parse', 'HEAD').trim());
    const got = await all(spec('public-inbox', epoch));
    assert.deepEqual(got, [
      { kind: 'message', format: 'rfc822', offset: 0, locator: commits[0], raw: msgs[0] },
      { kind: 'message', format: 'rfc822', offset: 1, locator: commits[1], raw: msgs[1] },
      { kind: 'message', format: 'rfc822', offset: 2, locator: commits[2], raw: msgs[2] },
      { kind: 'message', format: 'rfc822', offset: 4, locator: commits[4], raw: msgs[3] },
    ]);
    const limit = msgs[0]!.length;
    const limited = await all(spec('public-inbox', epoch), { maxMessageBytes: limit });
    assert.deepEqual(
      limited.map((i) => [i.kind, i.offset]),
      [msgs[0]!, msgs[1]!, msgs[2]!, null, msgs[3]!]
        .map((m, k) => (m ? [m.length > limit ? 'problem' : 'message', k] : null))
        .filter((x) => x !== null),
    );
  });
});

describe('commit texts, repositories and documents', () => {
  it('a corpus commit excerpt is one commit item; a text with none is a problem', async () => {
    const got = await all(
      spec(
        'commit-text',
        fixture('commits', '05-55ab834a86a9-revert-mm-add-nodes-arg-to-memory-reclaim.txt'),
      ),
    );
    assert.equal(got.length, 1);
    assert.equal(
      got[0]!.kind === 'commit' && got[0]!.commit.hash,
      '55ab834a86a9934c4f17825c115f7dc16a89aae7',
    );
    writeFileSync(join(t.dir, 'none.txt'), 'commit: zzzz not a hash\n');
    assert.deepEqual(await all(spec('commit-text', join(t.dir, 'none.txt'))), [
      { kind: 'problem', offset: 0, code: 'no-commits', detail: 'no commit found in the text' },
    ]);
  });

  it('a gzipped git log gives its commits numbered in order', async () => {
    const repo = join(t.dir, 'repo');
    git(t.dir, 'init', '-q', 'repo');
    for (const n of ['one', 'two']) {
      writeFileSync(join(repo, n), n);
      git(repo, 'add', n);
      git(repo, 'commit', '-q', '-m', `add ${n}`);
    }
    writeFileSync(join(t.dir, 'log.txt.gz'), gzipSync(git(repo, 'log', '--format=fuller')));
    const got = await all(spec('commit-text', join(t.dir, 'log.txt.gz')));
    assert.deepEqual(
      got.map((i) => [i.offset, i.kind === 'commit' && i.commit.subject]),
      [
        [0, 'add two'],
        [1, 'add one'],
      ],
    );
    const fromRepo = await all(spec('git-repo', repo, { git: { range: null, paths: ['one'] } }));
    assert.deepEqual(
      fromRepo.map((i) => [i.offset, i.kind === 'commit' && i.commit.subject]),
      [[0, 'add one']],
    );
  });

  it('a document: title and source URL from its header block, the text after it', async () => {
    const file = 'data/corpus/docs/cgroup-v2-memory-high-and-reclaim.txt';
    const src = readFileSync(file, 'utf8');
    const got = await all(spec('document', file));
    assert.deepEqual(got, [
      {
        kind: 'document',
        offset: 0,
        title:
          'Documentation/admin-guide/cgroup-v2.rst: the memory.high and memory.reclaim entries (recent version)',
        url: 'https://github.com/CachyOS/linux/blob/46568eb339fec1b3ee50634e985ce9649928273a/Documentation/admin-guide/cgroup-v2.rst',
        text: src.slice(src.indexOf('\n\n') + 2),
      },
    ]);
    writeFileSync(join(t.dir, 'untitled.txt'), 'X-Source-Note: none\r\n\r\nbody\r\n');
    const u = await all(spec('document', join(t.dir, 'untitled.txt'), { location: 'docs/untitled.txt' }));
    assert.deepEqual(u, [
      { kind: 'document', offset: 0, title: 'docs/untitled.txt', url: null, text: 'body\n' },
    ]);
  });
});
