// The ingest run (src/ingest/pipeline.ts): what its summary counts, on real mail. oddities.mbox
// holds 17 real archive messages (test/fixtures/mbox/oddities.tsv): two different mails under one
// Message-ID (both kept, one counted as a reused id) and one mail delivered twice (stored once,
// counted as a duplicate). Source identities are held against a plain hash of the file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, freshDb, ingestPaths, row, tempDir } from '../helpers/archive.ts';
import { oracleMessages } from '../helpers/mbox-oracle.ts';
import { ingest, sourceIdentity, type IngestSummary } from '../../src/ingest/pipeline.ts';
import type { Db } from '../../src/store/db.ts';
import type { SourceSpec } from '../../src/ingest/types.ts';

const ODD = fixture('mbox', 'oddities.mbox');
const RECLAIM = fixture('mbox', 'reclaim-2020.mbox');

let db: Db;
let cleanup: () => void;
let first: IngestSummary;
before(async () => {
  ({ db, cleanup } = freshDb());
  first = await ingestPaths(db, [ODD]);
});
after(() => cleanup());

const count = (d: Db, where = '1'): number =>
  row<{ n: number }>(d, `SELECT count(*) AS n FROM messages WHERE is_ghost = 0 AND ${where}`).n;

describe('a first ingest of the oddities', () => {
  it('accounts for each of the 17 messages once', () => {
    assert.equal(oracleMessages(ODD).length, 17);
    const skipped = Object.values(first.skipped).reduce((a, b) => a + b, 0);
    assert.equal(first.added + first.duplicates + first.alreadyPresent + skipped, 17);
    assert.deepEqual(first.skipped, {});
    assert.equal(first.duplicates, 1, 'the double delivery');
    assert.equal(first.reusedIds, 1, 'the second mail under a taken Message-ID');
    assert.equal(first.added, 16);
    assert.equal(count(db), 16);
  });

  it('reports the source it read, with the same counts', () => {
    assert.equal(first.sources.length, 1);
    const s = first.sources[0]!;
    assert.equal(s.kind, 'mbox');
    assert.equal(s.status, 'read');
    assert.deepEqual([s.added, s.duplicates, s.alreadyPresent, s.skipped], [16, 1, 0, 0]);
    assert.ok(s.location.endsWith('oddities.mbox'));
    assert.deepEqual(first.notSources, []);
    assert.ok(first.threads !== null);
    assert.ok(first.seconds >= first.readSeconds && first.readSeconds >= 0);
    assert.ok(Number.isFinite(first.messagesPerSecond) && first.messagesPerSecond > 0);
  });

  it('warns about the reused id among its warnings', () => {
    assert.ok(first.warnings >= 1);
    assert.equal(
      row<{ n: number }>(db, "SELECT count(*) AS n FROM ingest_problems WHERE code = 'reused-message-id'").n,
      1,
    );
  });

  it('reads the unchanged source again as unchanged, adding nothing', async () => {
    const again = await ingestPaths(db, [ODD]);
    assert.equal(again.sources[0]!.status, 'unchanged');
    assert.equal(again.added, 0);
    assert.equal(count(db), 16);
  });
});

describe('what to ingest', () => {
  it('keeps only the listed Message-IDs', async () => {
    const f = freshDb();
    try {
      const keep = new Set([
        '20200909215752.1725525-1-shakeelb@google.com',
        '20200921163055.GQ12990@dhcp22.suse.cz',
      ]);
      const s = await ingestPaths(f.db, [RECLAIM], { onlyIds: keep });
      assert.equal(s.added, 2);
      const stored = f.db
        .prepare('SELECT message_id FROM messages WHERE is_ghost = 0 ORDER BY message_id')
        .pluck()
        .all();
      assert.deepEqual(stored, [...keep].sort());
    } finally {
      f.cleanup();
    }
  });

  it('lists a path that is not a source instead of failing', async () => {
    const t = tempDir();
    const f = freshDb();
    try {
      const notMail = join(t.dir, 'notes.txt');
      writeFileSync(notMail, 'just some notes\nwith no mail in them\n');
      const s = await ingest(f.db, { paths: [notMail, RECLAIM], cwd: t.dir });
      assert.equal(s.added, 28);
      assert.equal(s.notSources.length, 1);
      assert.match(JSON.stringify(s.notSources[0]), /notes\.txt/);
    } finally {
      f.cleanup();
      t.cleanup();
    }
  });
});

describe('source identity', () => {
  it('is the SHA-256 and size of a file', async () => {
    const want = createHash('sha256').update(readFileSync(RECLAIM)).digest('hex');
    assert.deepEqual(await sourceIdentity({ kind: 'mbox', location: RECLAIM, path: RECLAIM }), {
      sha256: want,
      size: statSync(RECLAIM).size,
    });
  });

  it('of a Maildir changes when a message is added or renamed, and not otherwise', async () => {
    const t = tempDir();
    try {
      const md = join(t.dir, 'Maildir');
      for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(md, d), { recursive: true });
      copyFileSync(RECLAIM, join(md, 'cur', '1.mail'));
      const spec: SourceSpec = { kind: 'maildir', location: md, path: md };
      const a = await sourceIdentity(spec);
      assert.deepEqual(await sourceIdentity(spec), a);
      assert.equal(a.size, statSync(RECLAIM).size);
      copyFileSync(ODD, join(md, 'new', '2.mail'));
      const b = await sourceIdentity(spec);
      assert.notEqual(b.sha256, a.sha256);
      renameSync(join(md, 'new', '2.mail'), join(md, 'new', '3.mail'));
      assert.notEqual((await sourceIdentity(spec)).sha256, b.sha256);
    } finally {
      t.cleanup();
    }
  });
});
