// src/ingest/detect.ts: what a path holds, told by its content, and how `argmap ingest PATH…`
// walks directories. Inputs are the real fixtures (and renamed, gzipped, truncated or CRLF copies
// of them) and directories built here with real git, mkfifo and symlinks.
// The first describe block's two cases moved here unchanged from test/ingest/sources.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { classifyContent, detectSources, displayPath, isPublicInboxEpoch } from '../../src/ingest/detect.ts';
import { fixture, tempDir } from '../helpers/archive.ts';
import { git } from '../helpers/git.ts';

function withTemp<T>(f: (dir: string) => T): T {
  const { dir, cleanup } = tempDir();
  try {
    return f(dir);
  } finally {
    cleanup();
  }
}

const text = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('recognising sources by content', () => {
  it('classifies each fixture kind, whatever its name', () => {
    const k = (p: string): string | null => classifyContent(readFileSync(p));
    assert.equal(k(fixture('mbox', 'reclaim-2020.mbox')), 'mbox');
    assert.equal(k(fixture('eml', 'throttle-2019-johannes-weiner.eml')), 'eml');
    assert.equal(k(fixture('pages', 'seed-hypermail.txt')), 'hypermail-text');
    assert.equal(k(fixture('pages', 'seed-hypermail.html')), 'hypermail-html');
    assert.equal(
      k(fixture('commits', '03-94968384dde1-memcg-introduce-per-memcg-reclaim-interface.txt')),
      'commit-text',
    );
    assert.equal(classifyContent(Buffer.from('\x00\x01\x02binary garbage\x00')), null);
    assert.equal(classifyContent(Buffer.from('# A README\n\nNot mail.\n')), null);
  });
  it('walks directories and reports what is not a source', () => {
    const { dir, cleanup } = tempDir();
    try {
      copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dir, 'renamed.txt'));
      writeFileSync(join(dir, 'notes.md'), '# notes\n');
      writeFileSync(join(dir, 'garbage.bin'), Buffer.from([0, 1, 2, 3, 255]));
      const { sources, skipped } = detectSources([dir], '/');
      assert.deepEqual(
        sources.map((s) => s.kind),
        ['mbox'],
      );
      assert.equal(skipped.length, 2);
    } finally {
      cleanup();
    }
  });
});

describe('classifyContent', () => {
  it('the other real kinds: a corpus document, a format-patch mail, git log text', () => {
    assert.equal(
      classifyContent(readFileSync('data/corpus/docs/cgroup-v2-memory-high-and-reclaim.txt')),
      'document',
    );
    const fp =
      'From 55ab834a86a9934c4f17825c115f7dc16a89aae7 Mon Sep 17 00:00:00 2001\nFrom: Michal Hocko <mhocko@suse.com>\n';
    assert.equal(classifyContent(text(fp)), 'commit-text');
    assert.equal(
      classifyContent(
        text('commit 55ab834a86a9934c4f17825c115f7dc16a89aae7\nAuthor: Michal Hocko <mhocko@suse.com>\n'),
      ),
      'commit-text',
    );
    // An abbreviated hash is enough; fewer than 7 hex digits is not a hash.
    assert.equal(classifyContent(text('commit 55ab834\nAuthor: x\n')), 'commit-text');
    assert.equal(classifyContent(text('commit 55ab83\nAuthor: x\n')), null);
  });

  it('only the fixed format-patch date makes a From_-shaped line a commit; any other date is an mbox', () => {
    // "From <40 hex> Mon Sep 17 00:00:00 2001" also has the mbox From_ shape: the commit test comes first.
    const mbox = text('From 55ab834a86a9934c4f17825c115f7dc16a89aae7 Mon Sep 18 00:00:00 2001\nFrom: x\n');
    assert.equal(classifyContent(mbox), 'mbox');
  });

  it('CRLF line ends do not change the answer', () => {
    const crlf = (p: string): Buffer => text(readFileSync(p, 'latin1').replace(/\n/g, '\r\n'));
    assert.equal(classifyContent(crlf(fixture('mbox', 'throttle-2019.mbox'))), 'mbox');
    assert.equal(classifyContent(crlf(fixture('eml', 'throttle-2019-johannes-weiner.eml'))), 'eml');
  });

  it('an mbox with NUL bytes inside a message is still an mbox (the From_ line decides first)', () => {
    const raw = readFileSync(fixture('mbox', 'throttle-2019.mbox'));
    const damaged = Buffer.concat([raw.subarray(0, 200), Buffer.from([0, 0, 0]), raw.subarray(200)]);
    assert.equal(classifyContent(damaged), 'mbox');
    // The same NUL bytes in a message without a From_ line: binary, not a source.
    const eml = readFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml'));
    assert.equal(
      classifyContent(Buffer.concat([eml.subarray(0, 100), Buffer.from([0]), eml.subarray(100)])),
      null,
    );
  });

  it('a header block must have two header lines, one of them From or Message-ID', () => {
    assert.equal(classifyContent(text('Subject: hello\nFrom: a@b.invalid\n\nbody\n')), 'eml');
    assert.equal(classifyContent(text('Message-ID: <x@y>\nSubject: hello\n\nbody\n')), 'eml');
    // A folded continuation line belongs to the header above it.
    assert.equal(classifyContent(text('Subject: hello\n  world\nFrom: a@b.invalid\n\nbody\n')), 'eml');
    assert.equal(classifyContent(text('From: a@b.invalid\n\nbody\n')), null, 'one header line');
    assert.equal(
      classifyContent(text('Subject: a\nTo: b@c.invalid\n\nbody\n')),
      null,
      'neither From nor Message-ID',
    );
    // A line that is no header inside the block: not a header block at all.
    assert.equal(classifyContent(text('Subject: hello\nthis is prose\nFrom: a@b.invalid\n\n')), null);
    // "From a friend" prose is neither a From_ line nor a header.
    assert.equal(classifyContent(text('From a friend of mine\nwho wrote\n')), null);
  });

  it('a Title: block without From is a document; with From it is mail', () => {
    assert.equal(
      classifyContent(text('Title: notes\nX-Source-URL: https://example.invalid/\n\ntext\n')),
      'document',
    );
    assert.equal(classifyContent(text('Title: notes\n\ntext\n')), 'document');
    assert.equal(classifyContent(text('Title: notes\nFrom: a@b.invalid\n\ntext\n')), 'eml');
  });

  it('a hypermail page wrapped in PHP rather than <html> is still a hypermail page', () => {
    const html = readFileSync(fixture('pages', 'seed-hypermail.html'), 'latin1');
    const comments = html.split('\n').filter((l) => l.startsWith('<!-- '));
    assert.ok(comments.length >= 4);
    assert.equal(
      classifyContent(text(`<?php include "head.php"; ?>\n${comments.join('\n')}\n<p>body</p>\n`)),
      'hypermail-html',
    );
    // One of the two comment kinds alone is not enough.
    const received = comments.filter((l) => /^<!-- (received|sent)=/.test(l));
    assert.equal(classifyContent(text(`<?php ?>\n${received.join('\n')}\n`)), null);
  });

  it('a hypermail text page needs both its Date line and a From line near the top', () => {
    const page = readFileSync(fixture('pages', 'seed-hypermail.txt'), 'latin1');
    assert.equal(classifyContent(text(page.replace(/^From: .*$/m, 'By: Shakeel Butt'))), null);
    assert.equal(classifyContent(text(page.replace(/^Date: /m, 'When: '))), null);
    // Pushed below the first 2000 characters, the header lines are not seen.
    assert.equal(classifyContent(text('x\n'.repeat(1000) + page)), null);
  });

  it('empty content is no source', () => {
    assert.equal(classifyContent(Buffer.alloc(0)), null);
  });
});

describe('detectSources', () => {
  it('gzip: a whole and a truncated .gz mbox are mboxes; a damaged one is not a source', () => {
    withTemp((dir) => {
      const gz = gzipSync(readFileSync(fixture('mbox', 'reclaim-2020.mbox')));
      writeFileSync(join(dir, 'a.mbox.gz'), gz);
      writeFileSync(join(dir, 'b.gz'), gz.subarray(0, 400));
      writeFileSync(
        join(dir, 'c.gz'),
        Buffer.concat([gz.subarray(0, 2), Buffer.from('not deflate data at all')]),
      );
      const { sources, skipped } = detectSources(['.'], dir);
      assert.deepEqual(
        sources.map((s) => [s.location, s.kind]),
        [
          ['a.mbox.gz', 'mbox'],
          ['b.gz', 'mbox'],
        ],
      );
      assert.deepEqual(skipped, [
        { location: 'c.gz', reason: 'not a recognised mail, commit or archive-page source' },
      ]);
    });
  });

  it('walks in sorted order, skips dot-files, and names each source by the location given', () => {
    withTemp((dir) => {
      mkdirSync(join(dir, 'in', 'b'), { recursive: true });
      mkdirSync(join(dir, 'in', '.hidden'));
      copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dir, 'in', 'z.mbox'));
      copyFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml'), join(dir, 'in', 'b', 'm.eml'));
      copyFileSync(fixture('pages', 'seed-hypermail.txt'), join(dir, 'in', 'a.txt'));
      copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dir, 'in', '.hidden', 'x.mbox'));
      copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dir, 'in', '.dot.mbox'));
      const { sources, skipped } = detectSources(['in'], dir);
      assert.deepEqual(
        sources.map((s) => [s.location, s.kind, s.path]),
        [
          ['in/a.txt', 'hypermail-text', join(dir, 'in', 'a.txt')],
          ['in/b/m.eml', 'eml', join(dir, 'in', 'b', 'm.eml')],
          ['in/z.mbox', 'mbox', join(dir, 'in', 'z.mbox')],
        ],
      );
      assert.deepEqual(skipped, []);
    });
  });

  it('inputs in the order given; a path given twice (or inside a walked directory) counts once', () => {
    withTemp((dir) => {
      copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dir, 'a.mbox'));
      copyFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml'), join(dir, 'b.eml'));
      const { sources } = detectSources(['b.eml', 'a.mbox', join(dir, 'b.eml'), '.'], dir);
      assert.deepEqual(
        sources.map((s) => s.location),
        ['b.eml', 'a.mbox'],
      );
    });
  });

  it('missing, empty and special files are skipped with their reason', () => {
    withTemp((dir) => {
      writeFileSync(join(dir, 'empty.mbox'), '');
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      const { sources, skipped } = detectSources(['nope.mbox', 'empty.mbox', 'pipe'], dir);
      assert.deepEqual(sources, []);
      assert.deepEqual(skipped, [
        { location: 'nope.mbox', reason: 'cannot read: ENOENT' },
        { location: 'empty.mbox', reason: 'empty file' },
        { location: 'pipe', reason: 'not a regular file' },
      ]);
    });
  });

  it('a Maildir is one source, not three directories', () => {
    withTemp((dir) => {
      for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(dir, 'md', d), { recursive: true });
      copyFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml'), join(dir, 'md', 'cur', '1:2,S'));
      const { sources } = detectSources(['md'], dir);
      assert.deepEqual(sources, [{ kind: 'maildir', location: 'md', path: join(dir, 'md') }]);
    });
  });

  it('a git repository: ingested only when named on the command line with a range or path filter', () => {
    withTemp((dir) => {
      mkdirSync(join(dir, 'top'));
      git(join(dir, 'top'), 'init', '-q', 'linux');
      const repo = join(dir, 'top', 'linux');
      writeFileSync(join(repo, 'f'), 'x\n');
      git(repo, 'add', 'f');
      git(repo, 'commit', '-q', '-m', 'f');
      assert.deepEqual(detectSources(['top/linux'], dir, { gitPaths: ['mm/memcontrol.c'] }).sources, [
        {
          kind: 'git-repo',
          location: 'top/linux',
          path: repo,
          git: { range: null, paths: ['mm/memcontrol.c'] },
        },
      ]);
      assert.deepEqual(detectSources(['top/linux'], dir, { gitRange: 'v5.18..v5.19' }).sources, [
        { kind: 'git-repo', location: 'top/linux', path: repo, git: { range: 'v5.18..v5.19', paths: [] } },
      ]);
      const bare = detectSources(['top/linux'], dir);
      assert.deepEqual(bare.sources, []);
      assert.match(bare.skipped[0]!.reason, /^a git repository: give --git-range and\/or --git-path/);
      // Found by walking a parent directory, it is not taken even with a filter.
      const walked = detectSources(['top'], dir, { gitPaths: ['f'] });
      assert.deepEqual(walked.sources, []);
      assert.equal(walked.skipped[0]!.location, 'top/linux');
    });
  });

  it('a public-inbox v2 epoch (tip tree holds only m or d) is a source; an ordinary repository is not one', () => {
    withTemp((dir) => {
      const epoch = join(dir, 'epoch');
      git(dir, 'init', '-q', 'epoch');
      copyFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml'), join(epoch, 'm'));
      git(epoch, 'add', 'm');
      git(epoch, 'commit', '-q', '-m', 'm');
      const bare = join(dir, 'epoch.git');
      git(dir, 'clone', '-q', '--bare', epoch, bare);
      assert.equal(isPublicInboxEpoch(epoch), true);
      assert.equal(isPublicInboxEpoch(bare), true, 'a bare clone, as public-inbox keeps them');
      assert.deepEqual(
        detectSources(['epoch.git'], dir).sources.map((s) => s.kind),
        ['public-inbox'],
      );
      writeFileSync(join(epoch, 'README'), 'x\n');
      git(epoch, 'add', 'README');
      git(epoch, 'commit', '-q', '-m', 'readme');
      assert.equal(isPublicInboxEpoch(epoch), false, 'm and another file');
      // Not a repository; a repository without commits.
      assert.equal(isPublicInboxEpoch(join(dir)), false);
      git(dir, 'init', '-q', 'empty');
      assert.equal(isPublicInboxEpoch(join(dir, 'empty')), false);
    });
  });

  it('a symlink loop ends at the depth limit instead of walking forever', () => {
    withTemp((dir) => {
      mkdirSync(join(dir, 'a'));
      copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(dir, 'a', 'x.mbox'));
      symlinkSync('..', join(dir, 'a', 'loop'));
      const { sources, skipped } = detectSources(['a'], dir);
      // a is at depth 0, a/loop at 1, a/loop/a at 2, …: x.mbox is found in a at depths 0, 2, …, 10
      // (six times, deepest first since "loop" sorts before "x.mbox"), and a at depth 12 is not walked.
      assert.deepEqual(
        sources.map((s) => s.location),
        [5, 4, 3, 2, 1, 0].map((k) => 'a/' + 'loop/a/'.repeat(k) + 'x.mbox'),
      );
      assert.deepEqual(skipped, [
        { location: 'a/' + 'loop/a/'.repeat(5) + 'loop/a', reason: 'deeper than 12 levels; not walked' },
      ]);
    });
  });
});

describe('displayPath', () => {
  it('relative inside cwd, absolute outside it or at cwd itself', () => {
    assert.equal(displayPath('/srv/proj/data/a.mbox', '/srv/proj'), 'data/a.mbox');
    assert.equal(displayPath('/elsewhere/a.mbox', '/srv/proj'), '/elsewhere/a.mbox');
    assert.equal(displayPath('/srv/proj', '/srv/proj'), '/srv/proj');
    assert.equal(displayPath('/srv/projy/a', '/srv/proj'), '/srv/projy/a');
  });
});
