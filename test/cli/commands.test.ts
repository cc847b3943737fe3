// The CLI in process, as a user runs it: ingest, stats, problems, extract and export working
// together on the same files. (The help and dispatch tests that were here moved to
// test/cli/registry.test.ts and test/cli/main.test.ts; each command has test/cli/commands/NAME.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from '../helpers/cli.ts';
import { fixture, tempDir } from '../helpers/archive.ts';

describe('argmap CLI', () => {
  it('ingest --json, stats --json, problems --json, export --mbox, extract and ingest --thread work together', async () => {
    const t = tempDir();
    try {
      const db = join(t.dir, 'a.sqlite');
      const ing = await run([
        'ingest',
        '--json',
        '--db',
        db,
        fixture('mbox', 'reclaim-2020.mbox'),
        fixture('mbox', 'oddities.mbox'),
      ]);
      assert.equal(ing.code, 0, ing.err);
      const s = JSON.parse(ing.out) as { added: number; reusedIds: number };
      assert.equal(s.added, 28 + 16);
      assert.equal(s.reusedIds, 1);
      const st = JSON.parse((await run(['stats', '--json', '--db', db])).out) as {
        messages: number;
        sources: unknown[];
      };
      assert.equal(st.messages, 44);
      assert.equal(st.sources.length, 2);
      const pr = JSON.parse(
        (await run(['problems', '--json', '--db', db, '--code', 'reused-message-id'])).out,
      ) as { code: string; source: string; offset: number }[];
      assert.equal(pr.length, 1);
      assert.equal(pr[0]!.source, fixture('mbox', 'oddities.mbox'));
      assert.equal(typeof pr[0]!.offset, 'number');
      // extract one thread out of the two files, then ingest --thread the same: same 28 messages.
      const out = join(t.dir, 'one.mbox');
      const ex = await run([
        'extract',
        '--thread',
        '20200909215752.1725525-1-shakeelb@google.com',
        '--out',
        out,
        fixture('mbox'),
      ]);
      assert.equal(ex.code, 0, ex.err + ex.out);
      assert.ok(
        readFileSync(out).equals(readFileSync(fixture('mbox', 'reclaim-2020.mbox'))),
        'the extracted thread is the original file, byte for byte',
      );
      const db2 = join(t.dir, 'b.sqlite');
      const th = JSON.parse(
        (
          await run([
            'ingest',
            '--json',
            '--db',
            db2,
            '--thread',
            '20200909215752.1725525-1-shakeelb@google.com',
            fixture('mbox'),
          ])
        ).out,
      ) as { added: number };
      assert.equal(th.added, 28);
      const exp = await run(['export', '--mbox', '--db', db2, '--out', join(t.dir, 'x.mbox')]);
      assert.equal(exp.code, 0);
      assert.ok(
        readFileSync(join(t.dir, 'x.mbox')).equals(readFileSync(fixture('mbox', 'reclaim-2020.mbox'))),
      );
    } finally {
      t.cleanup();
    }
  });
});
