// Hostile and damaged input through the whole pipeline: each bad item is reported with its source
// and offset, nothing else is lost, and the run finishes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { readMbox, writeMboxrdMessage } from '../../src/mail/mbox.ts';
import { MAX_MESSAGE_BYTES } from '../../src/util/limits.ts';
import { fixture, freshDb, ingestPaths, row, rows } from '../helpers/archive.ts';

async function realMessages(file: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const it of readMbox([readFileSync(file)])) if (it.kind === 'message') out.push(it.raw);
  return out;
}

const count = (db: Parameters<typeof row>[0], sql: string, ...p: unknown[]): number =>
  row<{ c: number }>(db, sql, ...p).c;

describe('bad input never stops a run', () => {
  it('real oddities: reused ids kept apart, identical deliveries merged, damaged headers stored', async () => {
    const { db, cleanup } = freshDb();
    try {
      const s = await ingestPaths(db, [fixture('mbox', 'oddities.mbox')]);
      // 17 messages: two deliveries of one message merge; two different messages sharing an id stay apart.
      assert.equal(s.added, 16);
      assert.equal(s.duplicates, 1);
      assert.equal(s.reusedIds, 1);
      const reused = row<{ message_id: string; header_message_id: string }>(
        db,
        "SELECT message_id, header_message_id FROM messages WHERE id_kind = 'reused'",
      );
      assert.equal(reused.header_message_id, 'cover.1584728740.git.zhangweiping@didiglobal.com');
      assert.notEqual(reused.message_id, reused.header_message_id);
      assert.ok(
        count(db, "SELECT COUNT(*) AS c FROM ingest_problems WHERE code = 'reused-message-id'") === 1,
      );
      // The twice-delivered message has two source offsets.
      assert.equal(
        count(
          db,
          "SELECT COUNT(*) AS c FROM message_sources ms JOIN messages m ON m.id = ms.message_id WHERE m.message_id = '1d202a12-26fe-0012-ea14-f025ddcd044a@huawei.com'",
        ),
        2,
      );
      assert.ok(count(db, "SELECT COUNT(*) AS c FROM ingest_problems WHERE code = 'unknown-charset'") >= 1);
    } finally {
      cleanup();
    }
  });

  it('a message without Message-ID gets a stable synthetic id derived from its content, flagged', async () => {
    const [m] = await realMessages(fixture('mbox', 'throttle-2019.mbox'));
    const noId = Buffer.from(m!.toString('latin1').replace(/^Message-I[Dd]:.*\n/m, ''), 'latin1');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { db, dir, cleanup } = freshDb();
      try {
        writeFileSync(join(dir, 'x.eml'), noId);
        await ingestPaths(db, [join(dir, 'x.eml')]);
        const r = row<{ message_id: string; id_kind: string }>(
          db,
          'SELECT message_id, id_kind FROM messages WHERE is_ghost = 0',
        );
        assert.equal(r.id_kind, 'synthetic');
        ids.push(r.message_id);
        assert.equal(count(db, "SELECT COUNT(*) AS c FROM ingest_problems WHERE code = 'no-message-id'"), 1);
      } finally {
        cleanup();
      }
    }
    assert.equal(ids[0], ids[1], 'the same message gets the same id in every archive');
  });

  it('a 100 MB message is skipped with its size and offset; the messages around it are stored', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const msgs = await realMessages(fixture('mbox', 'throttle-2019.mbox'));
      const file = join(dir, 'big.mbox');
      const ws = createWriteStream(file);
      ws.write(writeMboxrdMessage(msgs[0]!));
      ws.write(
        'From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <huge@example.invalid>\nFrom: x@example.invalid\nSubject: huge\n\n',
      );
      const line = Buffer.alloc(1024 * 1024, 'A');
      line[line.length - 1] = 10;
      for (let i = 0; i < 100; i++) if (!ws.write(line)) await once(ws, 'drain');
      ws.write('\n');
      ws.write(writeMboxrdMessage(msgs[1]!));
      ws.end();
      await once(ws, 'finish');
      const s = await ingestPaths(db, [file]);
      assert.equal(s.added, 2);
      assert.deepEqual(s.skipped, { 'too-large': 1 });
      const p = row<{ code: string; offset: number; detail: string; severity: string }>(
        db,
        "SELECT code, offset, detail, severity FROM ingest_problems WHERE code = 'too-large'",
      );
      assert.equal(p.severity, 'skipped');
      assert.equal(p.offset, writeMboxrdMessage(msgs[0]!).length);
      assert.match(p.detail, new RegExp(`limit of ${MAX_MESSAGE_BYTES} bytes`));
    } finally {
      cleanup();
    }
  });

  it('binary garbage is not a source, and an mbox full of garbage messages still stores what it can', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const garbage = Buffer.alloc(20000);
      for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
      writeFileSync(join(dir, 'garbage.bin'), garbage);
      const inMbox = Buffer.concat([
        Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\n'),
        garbage.map((b) => (b === 10 ? 32 : b)),
        Buffer.from('\n\n'),
      ]);
      writeFileSync(join(dir, 'garbage.mbox'), inMbox);
      const s = await ingestPaths(db, [join(dir, 'garbage.bin'), join(dir, 'garbage.mbox')]);
      assert.equal(s.notSources.length, 1);
      assert.equal(s.sources.length, 1);
      assert.equal(s.sources[0]!.status, 'read');
      assert.equal(s.added, 1, 'stored under a synthetic id; the raw bytes are kept');
    } finally {
      cleanup();
    }
  });

  it('an unparsable date is stored as NULL with the raw header kept', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const [m] = await realMessages(fixture('mbox', 'throttle-2019.mbox'));
      writeFileSync(
        join(dir, 'd.eml'),
        Buffer.from(
          m!.toString('latin1').replace(/^Date:.*$/m, 'Date: Thursday, sometime after lunch'),
          'latin1',
        ),
      );
      await ingestPaths(db, [join(dir, 'd.eml')]);
      const r = row<{ date: string | null; date_raw: string }>(
        db,
        'SELECT date, date_raw FROM messages WHERE is_ghost = 0',
      );
      assert.deepEqual(r, { date: null, date_raw: 'Thursday, sometime after lunch' });
    } finally {
      cleanup();
    }
  });

  it('References loops and a message naming itself do not hang or crash threading', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const mk = (id: string, refs: string): string =>
        `From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <${id}>\nFrom: a@x.invalid\nSubject: loop\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nReferences: ${refs}\nIn-Reply-To: ${refs.split(' ').pop()}\n\nbody ${id}\n\n`;
      writeFileSync(
        join(dir, 'loop.mbox'),
        mk('a@x', '<c@x> <b@x>') +
          mk('b@x', '<a@x> <c@x>') +
          mk('c@x', '<b@x> <a@x>') +
          mk('self@x', '<self@x>'),
      );
      const s = await ingestPaths(db, [join(dir, 'loop.mbox')]);
      assert.equal(s.added, 4);
      assert.ok(s.threads!.loopsRefused >= 1);
      // The result is a forest: walking up from every message ends at a root within the message count.
      const parent = new Map(
        rows<{ id: number; parent_id: number | null }>(db, 'SELECT id, parent_id FROM messages').map((r) => [
          r.id,
          r.parent_id,
        ]),
      );
      for (const start of parent.keys()) {
        let x: number | null | undefined = start;
        let steps = 0;
        while (x != null && steps <= parent.size) {
          x = parent.get(x);
          steps++;
        }
        assert.ok(steps <= parent.size, `no cycle above ${start}`);
      }
      assert.equal(
        row<{ parent_id: number | null }>(db, "SELECT parent_id FROM messages WHERE message_id = 'self@x'")
          .parent_id,
        null,
      );
    } finally {
      cleanup();
    }
  });

  it('a 10,000-deep reply chain threads without recursion', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      const N = 10_000;
      const parts: string[] = [];
      for (let i = 0; i < N; i++) {
        const irt = i
          ? `In-Reply-To: <m${i - 1}@deep>\nReferences: <m${Math.max(0, i - 5)}@deep> <m${i - 1}@deep>\n`
          : '';
        parts.push(
          `From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <m${i}@deep>\nFrom: a@x.invalid\nSubject: Re: deep\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n${irt}\nreply ${i}\n\n`,
        );
      }
      writeFileSync(join(dir, 'deep.mbox'), parts.join(''));
      const s = await ingestPaths(db, [join(dir, 'deep.mbox')]);
      assert.equal(s.added, N);
      assert.equal(count(db, 'SELECT COUNT(*) AS c FROM threads'), 1);
      assert.equal(row<{ message_count: number }>(db, 'SELECT message_count FROM threads').message_count, N);
      assert.equal(
        row<{ p: string }>(
          db,
          `SELECT p.message_id AS p FROM messages m JOIN messages p ON p.id = m.parent_id WHERE m.message_id = 'm${N - 1}@deep'`,
        ).p,
        `m${N - 2}@deep`,
      );
    } finally {
      cleanup();
    }
  });
});
