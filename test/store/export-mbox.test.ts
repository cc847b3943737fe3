// Writing the archive back out as mboxrd (src/store/export-mbox.ts): an ingested mbox comes back
// byte for byte, an export re-ingested gives the same archive, and one thread exports whole. These
// tests moved here unchanged from test/ingest/resume.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportMbox, ThreadMbox } from '../../src/store/export-mbox.ts';
import { fixture, freshDb, ingestPaths, row } from '../helpers/archive.ts';
import { fingerprint } from '../helpers/fingerprint.ts';

describe('export', () => {
  it('reproduces an ingested mbox byte for byte (--source), including its From_ lines', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      for (const f of ['reclaim-2020.mbox', 'oddities.mbox']) {
        await ingestPaths(db, [fixture('mbox', f)]);
        const out = join(dir, `${f}.out`);
        await exportMbox(db, out, { source: fixture('mbox', f) });
        assert.ok(
          readFileSync(out).equals(readFileSync(fixture('mbox', f))),
          `${f} re-exported byte for byte`,
        );
      }
    } finally {
      cleanup();
    }
  });

  it('an export of the archive, ingested into a new archive, gives the same archive', async () => {
    const a = freshDb();
    const b = freshDb();
    try {
      await ingestPaths(a.db, [fixture('mbox')]);
      const out = join(a.dir, 'all.mbox');
      const n = await exportMbox(a.db, out);
      assert.equal(n, row<{ c: number }>(a.db, 'SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0').c);
      await ingestPaths(b.db, [out]);
      assert.equal(fingerprint(b.db), fingerprint(a.db));
      // And exporting again gives the same file.
      const out2 = join(b.dir, 'again.mbox');
      await exportMbox(b.db, out2);
      assert.ok(readFileSync(out2).equals(readFileSync(out)));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('one thread, by any Message-ID in it', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      await ingestPaths(db, [fixture('mbox')]);
      const out = join(dir, 't.mbox');
      const n = await exportMbox(db, out, {
        thread: 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com',
      });
      assert.equal(n, 28);
      writeFileSync(join(dir, 'unused'), '');
    } finally {
      cleanup();
    }
  });
});

describe('ThreadMbox', () => {
  it('gives a thread the bytes `export --thread` writes, and nothing for an unknown thread', async () => {
    const { db, dir, cleanup } = freshDb();
    try {
      await ingestPaths(db, [fixture('mbox', 'throttle-2019.mbox'), fixture('mbox', 'reclaim-2020.mbox')]);
      const t = new ThreadMbox(db);
      for (const root of [
        '20190501184104.GA30293@chrisdown.name',
        '20200909215752.1725525-1-shakeelb@google.com',
      ]) {
        const id = row<{ t: number }>(db, 'SELECT thread_id AS t FROM messages WHERE message_id = ?', root).t;
        const out = join(dir, `${id}.mbox`);
        const n = await exportMbox(db, out, { thread: root });
        const got = t.get(id);
        assert.equal(got.messages, n);
        assert.equal(t.count(id), n);
        assert.ok(got.bytes.equals(readFileSync(out)), root);
      }
      assert.deepEqual([t.count(99999), t.get(99999).messages], [0, 0]);
    } finally {
      cleanup();
    }
  });
});
