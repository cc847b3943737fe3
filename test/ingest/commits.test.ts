// src/ingest/commits.ts: reading kernel commits from their three text forms (git log, format-patch,
// the corpus excerpts) and from a git repository. The git texts are made here by real git from a
// commit whose message is Michal Hocko's posted revert (test/fixtures/commits/05-…, "Patch as
// posted"), with dates pinned by GIT_AUTHOR_DATE / GIT_COMMITTER_DATE so the expected UTC times
// are worked out by hand below.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  parseCommitText,
  parseCorpusCommit,
  parseFormatPatch,
  parseFormatPatches,
  parseGitDate,
  parseGitLog,
  readGitRepo,
  splitMessage,
} from '../../src/ingest/commits.ts';
import { fixture, tempDir } from '../helpers/archive.ts';
import { assertFields, assertGolden } from '../helpers/golden.ts';
import type { Trailer } from '../../src/mail/trailers.ts';

const CORPUS_03 = fixture('commits', '03-94968384dde1-memcg-introduce-per-memcg-reclaim-interface.txt');
const CORPUS_05 = fixture('commits', '05-55ab834a86a9-revert-mm-add-nodes-arg-to-memory-reclaim.txt');

// The posted revert's message (fixture 05, "Patch as posted"), shortened to its first and last paragraphs.
const REVERT_MSG = [
  'Revert "mm: add nodes= arg to memory.reclaim"',
  '',
  'This reverts commit 12a5d3955227b0d7e04fb793ccceeb2a1dd275c5.',
  '',
  "Let's revert the nodemask based extension of the memcg pro-active",
  'reclaim for now until we settle with a more robust semantic.',
  '',
  '[2] http://lkml.kernel.org/r/Y5bsmpCyeryu3Zz1@dhcp22.suse.cz',
  'Signed-off-by: Michal Hocko <mhocko@suse.com>',
  'Acked-by: Johannes Weiner <hannes@cmpxchg.org>',
  '',
].join('\n');

const REVERT_BODY =
  'This reverts commit 12a5d3955227b0d7e04fb793ccceeb2a1dd275c5.\n\n' +
  "Let's revert the nodemask based extension of the memcg pro-active\n" +
  'reclaim for now until we settle with a more robust semantic.\n\n' +
  '[2] http://lkml.kernel.org/r/Y5bsmpCyeryu3Zz1@dhcp22.suse.cz\n' +
  'Signed-off-by: Michal Hocko <mhocko@suse.com>\n' +
  'Acked-by: Johannes Weiner <hannes@cmpxchg.org>\n';

const REVERT_TRAILERS: Trailer[] = [
  {
    name: 'Signed-off-by',
    value: 'Michal Hocko <mhocko@suse.com>',
    personName: 'Michal Hocko',
    addr: 'mhocko@suse.com',
  },
  {
    name: 'Acked-by',
    value: 'Johannes Weiner <hannes@cmpxchg.org>',
    personName: 'Johannes Weiner',
    addr: 'hannes@cmpxchg.org',
  },
];

let t: { dir: string; cleanup: () => void };
let repo: string;
let hashes: { doc: string; revert: string; readme: string };

function git(env: Record<string, string>, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {
    env: { ...process.env, ...env, GIT_CONFIG_NOSYSTEM: '1', HOME: t.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

before(() => {
  t = tempDir();
  repo = join(t.dir, 'linux');
  mkdirSync(join(repo, 'Documentation'), { recursive: true });
  execFileSync('git', ['init', '-q', repo]);
  const doc = join(repo, 'Documentation', 'cgroup-v2.rst');
  writeFileSync(doc, 'memory.reclaim\n\tThis file also allows the user to specify the nodes.\n');
  git({}, 'add', '.');
  // A commit with pinned people and dates; git commit -F - reads the message from stdin.
  const run = (msg: string, author: string, ad: string, cd: string): string => {
    const [, name, email] = /^(.*) <(.*)>$/.exec(author)!;
    execFileSync('git', ['-C', repo, 'commit', '-q', '--cleanup=verbatim', '-F', '-'], {
      input: msg,
      env: {
        ...process.env,
        HOME: t.dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: name!,
        GIT_AUTHOR_EMAIL: email!,
        GIT_AUTHOR_DATE: ad,
        GIT_COMMITTER_NAME: 'Andrew Morton',
        GIT_COMMITTER_EMAIL: 'akpm@linux-foundation.org',
        GIT_COMMITTER_DATE: cd,
      },
    });
    return git({}, 'rev-parse', 'HEAD').trim();
  };
  const docHash = run(
    'mm: add nodes= arg to memory.reclaim\n\nSigned-off-by: Mina Almasry <almasrymina@google.com>\n',
    'Mina Almasry <almasrymina@google.com>',
    '2022-12-02T14:35:31-08:00',
    '2022-12-09T18:41:16-08:00',
  );
  writeFileSync(doc, 'memory.reclaim\n');
  git({}, 'add', '.');
  const revertHash = run(
    REVERT_MSG,
    'Michal Hocko <MHocko@SUSE.com>',
    '2022-12-16T10:46:33+01:00',
    '2023-01-18T20:10:00-08:00',
  );
  writeFileSync(join(repo, 'README'), 'x\n');
  git({}, 'add', '.');
  const readmeHash = run(
    'readme: add one\n',
    'Johannes Weiner <hannes@cmpxchg.org>',
    '2023-02-01T00:00:00+00:00',
    '2023-02-01T00:00:00+00:00',
  );
  hashes = { doc: docHash, revert: revertHash, readme: readmeHash };
});
after(() => t.cleanup());

describe('parseGitDate', () => {
  it("reads git's default format, ISO strict and RFC 2822, all to UTC", () => {
    assertGolden(
      [
        // 14:35:31 at -0800 is 22:35:31 UTC.
        ['Fri Dec 2 14:35:31 2022 -0800', '2022-12-02T22:35:31Z'],
        ['Mon Apr 25 19:00:37 2022 +0000', '2022-04-25T19:00:37Z'],
        ['2022-12-16T10:46:33+01:00', '2022-12-16T09:46:33Z'],
        ['Fri, 16 Dec 2022 10:46:33 +0100', '2022-12-16T09:46:33Z'],
        ['  Fri Dec 2 14:35:31 2022 -0800\n', '2022-12-02T22:35:31Z'],
      ],
      parseGitDate,
    );
  });

  it('gives null for nothing, nonsense, and an impossible ISO date', () => {
    assert.equal(parseGitDate(null), null);
    assert.equal(parseGitDate(undefined), null);
    assert.equal(parseGitDate(''), null);
    assert.equal(parseGitDate('not a date'), null);
    assert.equal(parseGitDate('2022-13-45T99:00:00Z'), null);
  });

  it('property: the git default and ISO strict renderings of any instant read back as that instant', () => {
    const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const pad = (n: number): string => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1981, 0, 1) / 1000, max: Date.UTC(2099, 0, 1) / 1000 }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => m - (m % 15)),
        (sec, off) => {
          // The oracle: shift the instant by the offset and print the local wall clock by hand.
          const local = new Date((sec + off * 60) * 1000);
          const sign = off < 0 ? '-' : '+';
          const zone = `${sign}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
          const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
          const gitDefault = `${DAY[local.getUTCDay()]} ${MON[local.getUTCMonth()]} ${local.getUTCDate()} ${clock} ${local.getUTCFullYear()} ${zone}`;
          const iso = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${clock}${zone.slice(0, 3)}:${zone.slice(3)}`;
          const want = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
          assert.equal(parseGitDate(gitDefault), want, gitDefault);
          assert.equal(parseGitDate(iso), want, iso);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('splitMessage', () => {
  it('subject, body and trailers; no diff when there is none', () => {
    const s = splitMessage(REVERT_MSG);
    assert.equal(s.subject, 'Revert "mm: add nodes= arg to memory.reclaim"');
    assert.equal(s.body, REVERT_BODY);
    assert.equal(s.diff, null);
    assert.deepEqual(s.trailers, REVERT_TRAILERS);
  });

  it('a subject folded over two lines is joined; leading blank lines and CRLF are dropped', () => {
    const s = splitMessage('\n\nmm: memcontrol: a subject\r\n  that goes on\r\n\r\nBody line.\r\n');
    assert.equal(s.subject, 'mm: memcontrol: a subject that goes on');
    assert.equal(s.body, 'Body line.\n');
  });

  it('cuts the diff at a "---" line followed by a diffstat, and drops the "-- " version signature', () => {
    const diff =
      'diff --git a/mm/vmscan.c b/mm/vmscan.c\n--- a/mm/vmscan.c\n+++ b/mm/vmscan.c\n@@ -1 +1 @@\n-a\n+b\n';
    const msg = `${REVERT_MSG}---\n mm/vmscan.c | 4 +-\n 1 file changed\n\n${diff}-- \n2.30.2\n`;
    const s = splitMessage(msg);
    assert.equal(s.body, REVERT_BODY);
    assert.equal(s.diff, `---\n mm/vmscan.c | 4 +-\n 1 file changed\n\n${diff}`);
    assert.deepEqual(s.trailers, REVERT_TRAILERS);
  });

  it('a "---" underline or separator with no diff after it stays in the body', () => {
    // Fixture 03's upstream message underlines its headings with dashes; a bare "---" without a
    // diffstat or diff after it is also text, not a cut.
    const msg = 'subj\n\nUse case: Proactive Reclaim\n---------------------------\n\ntext\n---\nmore text\n';
    const s = splitMessage(msg);
    assert.equal(s.diff, null);
    assert.equal(
      s.body,
      'Use case: Proactive Reclaim\n---------------------------\n\ntext\n---\nmore text\n',
    );
  });

  it('a diff with no "---" before it is cut at "diff --git"', () => {
    const s = splitMessage('subj\n\nbody\ndiff --git a/x b/x\n+y\n');
    assert.equal(s.body, 'body\n');
    assert.equal(s.diff, 'diff --git a/x b/x\n+y\n');
  });
});

describe('parseGitLog', () => {
  it('git log --format=fuller -p: every commit, newest first, with people, dates, trailers and patch', () => {
    const text = git({}, 'log', '--format=fuller', '-p');
    const cs = parseGitLog(text);
    assert.deepEqual(
      cs.map((c) => c.hash),
      [hashes.readme, hashes.revert, hashes.doc],
    );
    const r = cs[1]!;
    assertFields(r, {
      authorName: 'Michal Hocko',
      authorAddr: 'mhocko@suse.com', // addresses are lower-cased
      authorDate: '2022-12-16T09:46:33Z',
      committerName: 'Andrew Morton',
      committerAddr: 'akpm@linux-foundation.org',
      // 20:10 at -0800 on 18 Jan is 04:10 UTC on the 19th.
      commitDate: '2023-01-19T04:10:00Z',
      subject: 'Revert "mm: add nodes= arg to memory.reclaim"',
      body: REVERT_BODY,
      trailers: REVERT_TRAILERS,
    });
    assert.match(r.diff!, /^diff --git a\/Documentation\/cgroup-v2.rst b\/Documentation\/cgroup-v2.rst\n/);
    assert.match(r.diff!, /^-\tThis file also allows the user to specify the nodes\.$/m);
    assert.equal(r.complete, true);
    assert.equal(r.postedAs, null);
    assert.equal(cs[2]!.commitDate, '2022-12-10T02:41:16Z');
  });

  it('--format=medium without -p: no committer, no diff', () => {
    const cs = parseGitLog(git({}, 'log', '--format=medium', '-1', hashes.revert));
    assert.equal(cs.length, 1);
    assert.equal(cs[0]!.authorDate, '2022-12-16T09:46:33Z');
    assert.equal(cs[0]!.committerName, null);
    assert.equal(cs[0]!.commitDate, null);
    assert.equal(cs[0]!.diff, null);
    assert.equal(cs[0]!.body, REVERT_BODY);
  });

  it('text that is not a git log gives no commits', () => {
    assert.deepEqual(parseGitLog('Subject: hello\n\nnot a log\n'), []);
    assert.deepEqual(parseGitLog(''), []);
  });
});

describe('parseFormatPatch', () => {
  it('git format-patch output: the [PATCH] prefix leaves the subject, the diff and version signature are cut', () => {
    const text = git({}, 'format-patch', '--stdout', '-1', hashes.revert);
    const c = parseFormatPatch(text)!;
    assertFields(c, {
      hash: hashes.revert,
      subject: 'Revert "mm: add nodes= arg to memory.reclaim"',
      authorName: 'Michal Hocko',
      authorAddr: 'mhocko@suse.com',
      authorDate: '2022-12-16T09:46:33Z',
      committerName: null,
      body: REVERT_BODY,
      trailers: REVERT_TRAILERS,
    });
    assert.match(c.diff!, /^---\n Documentation\/cgroup-v2.rst \| 1 -\n/);
    assert.doesNotMatch(c.diff!, /^-- $/m, 'the "-- \\n2.39.x" signature is not part of the diff');
  });

  it('a long subject folded by format-patch is unfolded', () => {
    const long = 'mm: memcontrol: ' + 'a very long subject line '.repeat(5).trim();
    const p = [
      'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001',
      'From: "Weiner, Johannes" <hannes@cmpxchg.org>',
      'Date: Tue, 22 Sep 2020 11:10:26 -0700',
      `Subject: [PATCH v2 1/3] ${long.slice(0, 60)}`,
      ` ${long.slice(61)}`,
      '',
      'Body.',
      '',
    ].join('\n');
    const c = parseFormatPatch(p)!;
    assert.equal(c.subject, long);
    assert.equal(c.authorName, 'Weiner, Johannes', 'quotes around the name are dropped');
    assert.equal(c.authorDate, '2020-09-22T18:10:26Z');
    assert.equal(c.body, 'Body.\n');
    assert.equal(c.diff, null);
  });

  it('is null for a mail that is not format-patch output', () => {
    assert.equal(
      parseFormatPatch(readFileSync(fixture('eml', 'throttle-2019-johannes-weiner.eml'), 'utf8')),
      null,
    );
    // An mbox From_ line with a non-hash sender is not format-patch either.
    assert.equal(parseFormatPatch('From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: x\n\ny\n'), null);
  });

  it('parseFormatPatches splits a --stdout series into its commits, in order', () => {
    const cs = parseFormatPatches(git({}, 'format-patch', '--stdout', '-3', 'HEAD'));
    assert.deepEqual(
      cs.map((c) => [c.hash, c.subject]),
      [
        [hashes.doc, 'mm: add nodes= arg to memory.reclaim'],
        [hashes.revert, 'Revert "mm: add nodes= arg to memory.reclaim"'],
        [hashes.readme, 'readme: add one'],
      ],
    );
  });
});

describe('parseCorpusCommit', () => {
  it('fixture 03: a plain upstream message, author from a commented header, no date, partial', () => {
    const c = parseCorpusCommit(readFileSync(CORPUS_03, 'utf8'))!;
    assert.equal(c.hash, '94968384dde15d48263bfc59d280cd71b1259d8c');
    assert.equal(c.authorName, 'Shakeel Butt');
    assert.equal(c.authorAddr, 'shakeelb@google.com');
    // "Date: (not shown …; … is dated Mon, 25 Apr 2022 …)" is all comment: no date is made up from it.
    assert.equal(c.authorDate, null);
    assert.equal(c.subject, 'memcg: introduce per-memcg reclaim interface');
    assert.match(c.body, /^This patch series adds a memory\.reclaim proactive reclaim interface\.\n/);
    assert.match(
      c.body,
      /\n- memory\.high can be used to t\n\[\.\.\. remainder, including trailers, not recovered \.\.\.\]\n$/,
    );
    assert.deepEqual(c.trailers, []);
    assert.equal(c.diff, null);
    assert.equal(c.complete, false);
    assert.equal(c.postedAs, '20220425190040.2475377-2-yosryahmed@google.com');
    assert.equal(
      c.notes,
      'source: https://android-kvm.googlesource.com/linux/+/94968384dde15d48263bfc59d280cd71b1259d8c\n' +
        'completeness: partial: the first 2000 characters of the commit message as shown on the page',
    );
  });

  it('fixture 05: a format-patch upstream section; the diff is the one section that holds a diff --git', () => {
    const text = readFileSync(CORPUS_05, 'utf8');
    const c = parseCorpusCommit(text)!;
    assert.equal(c.hash, '55ab834a86a9934c4f17825c115f7dc16a89aae7');
    assert.equal(c.subject, 'Revert "mm: add nodes= arg to memory.reclaim"');
    assert.equal(c.authorName, 'Michal Hocko');
    assert.equal(c.authorAddr, 'mhocko@suse.com');
    assert.equal(c.authorDate, '2022-12-16T09:46:33Z');
    assert.match(c.body, /^This reverts commit 12a5d3955227b0d7e04fb793ccceeb2a1dd275c5\.\n\nAlthough/);
    // The upstream excerpt stops before the "From a follow up discussion" wording of the posted patch.
    assert.match(
      c.body,
      /\nis uncharged from the memcg\. {2}Another usecase focuses on pro-activ\n\[\.\.\. remainder not recovered \.\.\.\]\n$/,
    );
    assert.deepEqual(c.trailers, [], "the posted patch's Signed-off-by is not the upstream commit's");
    // "Files changed (diffstat …)" and "Patch as posted (… differs …)" mention diff but hold none.
    // The section's text is everything after its title line, so it keeps the blank line before
    // the diff (a quirk: the stored diff starts with "\n").
    const header = '===== Documentation diff as posted =====\n';
    assert.equal(c.diff, text.slice(text.indexOf(header) + header.length));
    assert.match(c.diff!, /^\ndiff --git a\/Documentation\/admin-guide\/cgroup-v2.rst /);
    assert.equal(c.complete, false);
    assert.equal(c.postedAs, 'Y5xASNe1x8cusiTx@dhcp22.suse.cz');
    assert.match(c.notes!, /^source: https:\/\/git\.kernel\.dk\/\?a=commit&h=b980077899ea/);
    assert.match(c.notes!, /\ncompleteness: partial: the first 700 characters/);
    assert.match(c.notes!, /\nthe upstream excerpt below \(hash, author, date, subject, first lines\)/);
  });

  it('an excerpt marked complete, with a Date header and no upstream section', () => {
    const c = parseCorpusCommit(
      'commit: 12a5d3955227\nAuthor: Mina Almasry <almasrymina@google.com>\nDate: Fri, 2 Dec 2022 14:35:31 -0800\nSubject: mm: add nodes= arg to memory.reclaim\nX-Completeness: full\n\n===== Notes =====\nnothing\n',
    )!;
    assert.equal(c.hash, '12a5d3955227');
    assert.equal(c.subject, 'mm: add nodes= arg to memory.reclaim');
    assert.equal(c.authorDate, '2022-12-02T22:35:31Z');
    assert.equal(c.body, '');
    assert.equal(c.complete, true);
    assert.equal(c.postedAs, null);
    assert.equal(c.notes, 'completeness: full');
  });

  it('is null without a commit: line', () => {
    assert.equal(parseCorpusCommit('Author: x\n\nno hash\n'), null);
  });
});

describe('parseCommitText', () => {
  it('recognises each of the three forms by how the text starts', () => {
    assert.deepEqual(
      parseCommitText(readFileSync(CORPUS_05, 'utf8')).map((c) => c.hash),
      ['55ab834a86a9934c4f17825c115f7dc16a89aae7'],
    );
    const fp = parseCommitText(git({}, 'format-patch', '--stdout', '-2', 'HEAD'));
    assert.deepEqual(
      fp.map((c) => [c.hash, c.committerName]),
      [
        [hashes.revert, null],
        [hashes.readme, null],
      ],
    );
    const log = parseCommitText(git({}, 'log', '--format=fuller', '-2'));
    assert.deepEqual(
      log.map((c) => [c.hash, c.committerName]),
      [
        [hashes.readme, 'Andrew Morton'],
        [hashes.revert, 'Andrew Morton'],
      ],
    );
    assert.deepEqual(parseCommitText('commit: nothex\n'), []);
  });
});

describe('readGitRepo', () => {
  it('streams the whole history, newest first, as git log --format=fuller -p', async () => {
    const got = [];
    for await (const c of readGitRepo(repo, null, [])) got.push(c);
    assert.deepEqual(
      got.map((c) => c.hash),
      [hashes.readme, hashes.revert, hashes.doc],
    );
    // --date=iso-strict dates read the same as the default format.
    assert.equal(got[1]!.authorDate, '2022-12-16T09:46:33Z');
    assert.equal(got[1]!.commitDate, '2023-01-19T04:10:00Z');
    assert.deepEqual(got[1]!.trailers, REVERT_TRAILERS);
    assert.match(got[0]!.diff!, /^diff --git a\/README b\/README\n/);
  });

  it('a range and a path filter select commits', async () => {
    const got = [];
    for await (const c of readGitRepo(repo, `${hashes.doc}..HEAD`, ['Documentation'])) got.push(c.hash);
    assert.deepEqual(got, [hashes.revert]);
  });

  it('a git failure is an error naming the exit code', async () => {
    await assert.rejects(async () => {
      for await (const _ of readGitRepo(join(t.dir, 'no-such-repo'), null, [])) void _;
    }, /git log failed \(exit \d+\)/);
  });
});
