// Re-running and resuming after kill -9: the archive neither loses nor doubles anything (exporting
// back is test/store/export-mbox.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDb } from '../../src/store/db.ts';
import { fixture, freshDb, ingestPaths, row, tempDir } from '../helpers/archive.ts';
import { fingerprint } from '../helpers/fingerprint.ts';

const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'argmap.js');
const DATA_MBOX = resolve(import.meta.dirname, '..', '..', 'data', 'archive', 'threads.mbox');

describe('re-running and resuming', () => {
  it('ingesting the same sources twice adds nothing, and the second run skips unchanged sources', async () => {
    const { db, cleanup } = freshDb();
    try {
      const first = await ingestPaths(db, [fixture('mbox'), fixture('pages')]);
      assert.ok(first.added > 40);
      const before = fingerprint(db);
      const second = await ingestPaths(db, [fixture('mbox'), fixture('pages')]);
      assert.equal(second.added, 0);
      assert.equal(second.duplicates, 0);
      assert.ok(second.sources.every((s) => s.status === 'unchanged'));
      assert.equal(fingerprint(db), before);
    } finally {
      cleanup();
    }
  });

  it('a copy of an ingested file under another name adds no message, only the new source', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      await ingestPaths(db, [fixture('mbox', 'reclaim-2020.mbox')]);
      copyFileSync(fixture('mbox', 'reclaim-2020.mbox'), join(dir, 'copy.mbox'));
      const s = await ingestPaths(db, [join(dir, 'copy.mbox')]);
      assert.equal(s.added, 0);
      assert.equal(s.duplicates, 28);
      assert.equal(row<{ c: number }>(db, 'SELECT COUNT(DISTINCT source_id) AS c FROM message_sources').c, 2);
    } finally {
      cleanup();
    }
  });

  it('kill -9 in the middle of an ingest leaves a consistent archive, and the next run finishes the job', async () => {
    const t = tempDir();
    try {
      const dbFile = join(t.dir, 'killed.sqlite');
      // Kill twice, each time as soon as the run has committed more messages than before: the
      // kill then lands in the middle of the run, whatever the machine's speed.
      const seen: string[] = [];
      let stored = 0;
      for (let round = 0; round < 2; round++) {
        const child = spawn(process.execPath, [BIN, 'ingest', '--db', dbFile, DATA_MBOX], {
          stdio: 'ignore',
        });
        const exited = new Promise((r) => child.on('close', r));
        let done = false;
        void exited.then(() => (done = true));
        for (let i = 0; i < 600 && !done; i++) {
          await new Promise((r) => setTimeout(r, 25));
          try {
            const probe = openDb(dbFile, { readonly: true });
            const n = row<{ c: number }>(probe, 'SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0').c;
            probe.close();
            if (n > stored) break;
          } catch {
            // the file or its schema does not exist yet
          }
        }
        child.kill('SIGKILL');
        await exited;
        const db = openDb(dbFile);
        try {
          assert.equal(row<{ integrity_check: string }>(db, 'PRAGMA integrity_check').integrity_check, 'ok');
          // Whole messages or none: every stored message has its raw copy and a source row.
          assert.equal(
            row<{ c: number }>(
              db,
              'SELECT COUNT(*) AS c FROM messages m WHERE is_ghost = 0 AND NOT EXISTS (SELECT 1 FROM message_raw r WHERE r.message_id = m.id)',
            ).c,
            0,
          );
          assert.equal(
            row<{ c: number }>(
              db,
              'SELECT COUNT(*) AS c FROM messages m WHERE is_ghost = 0 AND NOT EXISTS (SELECT 1 FROM message_sources s WHERE s.message_id = m.id)',
            ).c,
            0,
          );
          assert.equal(
            row<{ c: number }>(
              db,
              'SELECT COUNT(*) AS c FROM message_raw r WHERE NOT EXISTS (SELECT 1 FROM raw_packs p WHERE p.id = r.pack_id)',
            ).c,
            0,
          );
          const src = db.prepare('SELECT status FROM sources').get() as { status: string } | undefined;
          stored = row<{ c: number }>(db, 'SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0').c;
          seen.push(`${src?.status ?? 'none'}:${stored}`);
        } finally {
          db.close();
        }
      }
      // At least one kill must have landed in the middle of the run, with some messages stored.
      assert.ok(
        seen.some((s) => /^partial:[1-9]/.test(s)),
        `kills landed mid-run: ${seen.join(', ')}`,
      );
      // Resume, then compare with a clean run.
      const resumed = openDb(dbFile);
      const clean = freshDb();
      try {
        await ingestPaths(resumed, [DATA_MBOX]);
        await ingestPaths(clean.db, [DATA_MBOX]);
        assert.equal(fingerprint(resumed), fingerprint(clean.db));
        assert.equal(row<{ status: string }>(resumed, 'SELECT status FROM sources').status, 'complete');
      } finally {
        resumed.close();
        clean.cleanup();
      }
    } finally {
      t.cleanup();
    }
  });
});
