// Every input kind, ingested from a real (or realistic, built here with real tools) fixture into a real SQLite archive.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { readMbox } from '../../src/mail/mbox.ts';
import { fixture, freshDb, ingestPaths, row, rows } from '../helpers/archive.ts';
import { git } from '../helpers/git.ts';

const SEED = 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com';
const SEED_PARENT = '20200922165527.GD12990@dhcp22.suse.cz';

async function realMessages(file: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const it of readMbox([readFileSync(file)])) if (it.kind === 'message') out.push(it.raw);
  return out;
}

describe('ingesting each kind of source', () => {
  it('mbox, plain and gzip (lore t.mbox.gz), into a threaded archive', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      writeFileSync(join(dir, 't.mbox.gz'), gzipSync(readFileSync(fixture('mbox', 'reclaim-2020.mbox'))));
      const s = await ingestPaths(db, [join(dir, 't.mbox.gz')]);
      assert.equal(s.added, 28);
      assert.equal(row<{ c: number }>(db, 'SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0').c, 28);
      const t = row<{ subject: string; message_count: number; first_date: string }>(
        db,
        'SELECT subject, message_count, first_date FROM threads ORDER BY message_count DESC',
      );
      assert.equal(t.subject, '[PATCH] memcg: introduce per-memcg reclaim interface');
      assert.equal(t.message_count, 28);
      assert.equal(t.first_date, '2020-09-09T21:57:52Z');
      const src = row<{ kind: string; status: string; message_count: number }>(
        db,
        'SELECT kind, status, message_count FROM sources',
      );
      assert.deepEqual(src, { kind: 'mbox', status: 'complete', message_count: 28 });
    } finally {
      cleanup();
    }
  });

  it('a single .eml message (a corpus copy whose parents are not in the archive: ghosts)', async () => {
    const { db, cleanup } = freshDb();
    try {
      await ingestPaths(db, [fixture('eml', 'throttle-2019-johannes-weiner.eml')]);
      const m = row<{ message_id: string; parent: string; parent_reason: string; pghost: number }>(
        db,
        `SELECT m.message_id, p.message_id AS parent, m.parent_reason, p.is_ghost AS pghost FROM messages m JOIN messages p ON p.id = m.parent_id WHERE m.is_ghost = 0`,
      );
      assert.equal(m.message_id, '20190201161233.GA11231@cmpxchg.org');
      assert.equal(m.parent, '20190201071757.GE11599@dhcp22.suse.cz');
      assert.equal(m.parent_reason, 'in-reply-to');
      assert.equal(m.pghost, 1);
      // The References chain makes the thread root a ghost too: every reference resolves to a row.
      const ghosts = rows<{ message_id: string }>(
        db,
        'SELECT message_id FROM messages WHERE is_ghost = 1 ORDER BY message_id',
      ).map((r) => r.message_id);
      assert.deepEqual(ghosts, [
        '20190201011352.GA14370@chrisdown.name',
        '20190201071757.GE11599@dhcp22.suse.cz',
      ]);
      const root = row<{ root: string }>(
        db,
        'SELECT r.message_id AS root FROM threads t JOIN messages r ON r.id = t.root_message_id',
      );
      assert.equal(root.root, '20190201011352.GA14370@chrisdown.name');
    } finally {
      cleanup();
    }
  });

  it('a Maildir (cur/ and new/)', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const md = join(dir, 'Maildir');
      for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(md, d), { recursive: true });
      const msgs = await realMessages(fixture('mbox', 'throttle-2019.mbox'));
      msgs.forEach((m, i) => writeFileSync(join(md, i % 2 ? 'cur' : 'new', `1600000000.${i}.host:2,S`), m));
      const s = await ingestPaths(db, [md]);
      assert.equal(s.sources[0]!.kind, 'maildir');
      assert.equal(s.added, msgs.length);
      const loc = rows<{ locator: string }>(db, 'SELECT locator FROM message_sources ORDER BY offset').map(
        (r) => r.locator,
      );
      assert.ok(loc.every((l) => /^(cur|new)\/1600000000\.\d\.host:2,S$/.test(l)));
    } finally {
      cleanup();
    }
  });

  it('a public-inbox v2 epoch read with one git cat-file --batch', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      // Build a real v2 epoch: a bare git repository with one commit per message, each holding file `m`.
      const work = join(dir, 'work');
      mkdirSync(work);
      git(work, 'init', '-q');
      const msgs = await realMessages(fixture('mbox', 'throttle-2019.mbox'));
      for (const [i, m] of msgs.entries()) {
        writeFileSync(join(work, 'm'), m);
        git(work, 'add', 'm');
        git(work, 'commit', '-q', '-m', `message ${i}`);
      }
      // A deletion commit, as public-inbox writes when a message is removed: file d instead of m.
      git(work, 'rm', '-q', 'm');
      writeFileSync(join(work, 'd'), msgs[0]!.subarray(0, 64));
      git(work, 'add', 'd');
      git(work, 'commit', '-q', '-m', 'delete');
      const epoch = join(dir, 'inbox', 'git', '0.git');
      mkdirSync(join(dir, 'inbox', 'git'), { recursive: true });
      execFileSync('git', ['clone', '-q', '--bare', work, epoch]);
      const s = await ingestPaths(db, [join(dir, 'inbox')]);
      assert.equal(s.sources[0]!.kind, 'public-inbox');
      assert.equal(s.added, msgs.length);
      const locs = rows<{ locator: string }>(db, 'SELECT locator FROM message_sources ORDER BY offset').map(
        (r) => r.locator,
      );
      assert.ok(locs.every((l) => /^[0-9a-f]{40}$/.test(l)));
      // Unchanged epoch: skipped whole on the next run.
      const again = await ingestPaths(db, [join(dir, 'inbox')]);
      assert.equal(again.sources[0]!.status, 'unchanged');
    } finally {
      cleanup();
    }
  });

  it('the hypermail seed page and its raw copy become one message whose parent is Michal Hocko’s 22 Sep 2020 mail (either order)', async () => {
    for (const order of [
      [fixture('pages', 'seed-hypermail.txt'), fixture('mbox', 'reclaim-2020.mbox')],
      [fixture('mbox', 'reclaim-2020.mbox'), fixture('pages', 'seed-hypermail.txt')],
    ]) {
      const { db, cleanup } = freshDb();
      try {
        const s = await ingestPaths(db, order);
        assert.equal(s.mergedPages, 1, 'the page was merged');
        const m = row<{ id: number; parent: string; parent_reason: string; from_name: string; date: string }>(
          db,
          'SELECT m.id, p.message_id AS parent, m.parent_reason, m.from_name, m.date FROM messages m JOIN messages p ON p.id = m.parent_id WHERE m.message_id = ?',
          SEED,
        );
        assert.equal(m.parent, SEED_PARENT);
        assert.equal(m.parent_reason, 'in-reply-to');
        assert.equal(m.date, '2020-09-22T18:10:17Z', 'the raw mail’s date, not the page’s receipt time');
        const kinds = rows<{ kind: string }>(
          db,
          'SELECT s.kind FROM message_sources ms JOIN sources s ON s.id = ms.source_id WHERE ms.message_id = ? ORDER BY s.kind',
          m.id,
        ).map((r) => r.kind);
        assert.deepEqual(kinds, ['hypermail-text', 'mbox']);
        assert.equal(
          row<{ c: number }>(db, 'SELECT COUNT(*) AS c FROM message_copies WHERE message_id = ?', m.id).c,
          1,
          'the page bytes are kept as a copy',
        );
        assert.equal(
          row<{ c: number }>(db, "SELECT COUNT(*) AS c FROM messages WHERE id_kind = 'synthetic'").c,
          0,
        );
      } finally {
        cleanup();
      }
    }
  });

  it('the hypermail page alone is placed under its parent by its attribution line', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      // The archive holds the thread without the seed message itself.
      const msgs = await realMessages(fixture('mbox', 'reclaim-2020.mbox'));
      const without = msgs.filter(
        (m) => !m.includes(`Message-ID: <${SEED}>`) && !m.includes(`Message-Id: <${SEED}>`),
      );
      assert.equal(without.length, 27);
      writeFileSync(
        join(dir, 'thread.mbox'),
        Buffer.concat(
          without.map((m) =>
            Buffer.concat([Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\n'), m, Buffer.from('\n')]),
          ),
        ),
      );
      await ingestPaths(db, [join(dir, 'thread.mbox'), fixture('pages', 'seed-hypermail.txt')]);
      const m = row<{
        parent: string;
        parent_reason: string;
        id_kind: string;
        from_name: string;
        date_approx: number;
      }>(
        db,
        `SELECT p.message_id AS parent, m.parent_reason, m.id_kind, m.from_name, m.date_approx FROM messages m JOIN messages p ON p.id = m.parent_id
         JOIN message_sources ms ON ms.message_id = m.id JOIN sources s ON s.id = ms.source_id WHERE s.kind = 'hypermail-text'`,
      );
      assert.deepEqual(m, {
        parent: SEED_PARENT,
        parent_reason: 'attribution',
        id_kind: 'synthetic',
        from_name: 'Shakeel Butt',
        date_approx: 1,
      });
      // The obfuscated archive name joined the real Shakeel Butt of the mbox: one person.
      assert.equal(
        row<{ c: number }>(
          db,
          "SELECT COUNT(DISTINCT person_id) AS c FROM person_names WHERE key = 'shakeel butt'",
        ).c,
        1,
      );
    } finally {
      cleanup();
    }
  });

  it('the saved HTML of a hypermail page (Message-ID in a comment, "_at_" munging)', async () => {
    const { db, cleanup } = freshDb();
    try {
      await ingestPaths(db, [fixture('pages', 'seed-hypermail.html')]);
      const m = row<{ message_id: string; from_addr: string; parent: string }>(
        db,
        'SELECT m.message_id, m.from_addr, p.message_id AS parent FROM messages m JOIN messages p ON p.id = m.parent_id WHERE m.is_ghost = 0',
      );
      assert.deepEqual(m, { message_id: SEED, from_addr: 'shakeelb@[hidden]', parent: SEED_PARENT });
      // Then the raw mail arrives: it becomes the primary copy, the page a copy; still one message.
      await ingestPaths(db, [fixture('mbox', 'reclaim-2020.mbox')]);
      const after = row<{ from_addr: string; fmt: string }>(
        db,
        'SELECT m.from_addr, r.format AS fmt FROM messages m JOIN message_raw r ON r.message_id = m.id WHERE m.message_id = ?',
        SEED,
      );
      assert.deepEqual(after, { from_addr: 'shakeelb@google.com', fmt: 'rfc822' });
      assert.equal(row<{ c: number }>(db, 'SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0').c, 28);
    } finally {
      cleanup();
    }
  });

  it('commit texts: corpus excerpts, git log --format=fuller, format-patch, and a git repository with a path filter', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      // A real repository whose history touches mm/memcontrol.c and another file.
      const repo = join(dir, 'linux');
      mkdirSync(join(repo, 'mm'), { recursive: true });
      git(repo, 'init', '-q');
      writeFileSync(join(repo, 'mm', 'memcontrol.c'), 'int memory_reclaim(void) { return 0; }\n');
      git(repo, 'add', '.');
      git(
        repo,
        'commit',
        '-q',
        '-m',
        'memcg: introduce per-memcg reclaim interface\n\nIntroduce a memcg interface to trigger memory reclaim.\n\nSigned-off-by: Shakeel Butt <shakeelb@google.com>\nAcked-by: Johannes Weiner <hannes@cmpxchg.org>\n',
      );
      writeFileSync(join(repo, 'README'), 'x\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'unrelated: readme');
      writeFileSync(join(dir, 'log.txt'), git(repo, 'log', '--format=fuller', '-p'));
      writeFileSync(join(dir, 'series.patch'), git(repo, 'format-patch', '--stdout', '-1', 'HEAD~1'));
      await ingestPaths(db, [fixture('commits'), join(dir, 'log.txt')]);
      const corpus = row<{ subject: string; complete: number; posted_as: string; author_name: string }>(
        db,
        "SELECT subject, complete, posted_as, author_name FROM commits WHERE hash LIKE '94968384dde1%'",
      );
      assert.deepEqual(corpus, {
        subject: 'memcg: introduce per-memcg reclaim interface',
        complete: 0,
        posted_as: '20220425190040.2475377-2-yosryahmed@google.com',
        author_name: 'Shakeel Butt',
      });
      const revert = row<{ subject: string; author_date: string }>(
        db,
        "SELECT subject, author_date FROM commits WHERE hash LIKE '55ab834a86a9%'",
      );
      assert.deepEqual(revert, {
        subject: 'Revert "mm: add nodes= arg to memory.reclaim"',
        author_date: '2022-12-16T09:46:33Z',
      });
      const logged = rows<{ subject: string }>(
        db,
        "SELECT subject FROM commits WHERE hash NOT LIKE '94968384%' AND hash NOT LIKE '55ab834a%' ORDER BY subject",
      );
      assert.deepEqual(
        logged.map((r) => r.subject),
        ['memcg: introduce per-memcg reclaim interface', 'unrelated: readme'],
      );
      const tr = rows<{ name: string; addr: string }>(
        db,
        "SELECT t.name, t.addr FROM commit_trailers t JOIN commits c ON c.id = t.commit_id WHERE c.subject LIKE 'memcg:%' AND c.complete = 1 ORDER BY t.seq",
      );
      assert.deepEqual(tr, [
        { name: 'Signed-off-by', addr: 'shakeelb@google.com' },
        { name: 'Acked-by', addr: 'hannes@cmpxchg.org' },
      ]);
      // The same commit as format-patch text adds nothing new.
      const s2 = await ingestPaths(db, [join(dir, 'series.patch')]);
      assert.equal(s2.commits.added, 0);
      // A git repository with a path filter: only the commit that touched mm/memcontrol.c.
      const { db: db2, cleanup: c2 } = freshDb();
      try {
        const s3 = await ingestPaths(db2, [repo], { gitPaths: ['mm/memcontrol.c'] });
        assert.equal(s3.sources[0]!.kind, 'git-repo');
        assert.deepEqual(
          rows<{ subject: string }>(db2, 'SELECT subject FROM commits').map((r) => r.subject),
          ['memcg: introduce per-memcg reclaim interface'],
        );
        assert.match(
          row<{ diff: string }>(db2, 'SELECT diff FROM commits').diff,
          /^diff --git a\/mm\/memcontrol.c/m,
        );
      } finally {
        c2();
      }
    } finally {
      cleanup();
    }
  });

  it('a git repository without a range or path filter is reported, not swallowed', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      git(dir, 'init', '-q', 'repo');
      const s = await ingestPaths(db, [join(dir, 'repo')]);
      assert.equal(s.sources.length, 0);
      assert.match(s.notSources[0]!.reason, /--git-range/);
    } finally {
      cleanup();
    }
  });
});
