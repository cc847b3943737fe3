// Commit links by Link: tag and by patch-id, on the nodes= v3 posting (real mail). The commit text
// is 12a5d3955227 in `git log --format=fuller -p` form rebuilt from that posting: its message and
// diff are the posted ones (data/corpus/commits/04-… says the upstream message is the posted
// changelog), and the Link: tag is the lkml.kernel.org/r/ form Andrew Morton's tree adds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths, row, rows, tempDir, ingestedDb } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';

const V3 = '20221202223533.1785418-1-almasrymina@google.com';
let db: Db;
let cleanup: () => void;
let t: { dir: string; cleanup: () => void };

function gitLog(hash: string, body: string, diff: string, link: string | null): string {
  const msg = body.split('\n').map((l) => (l ? `    ${l}` : ''));
  return [
    `commit ${hash}`,
    'Author:     Mina Almasry <almasrymina@google.com>',
    'AuthorDate: Fri Dec 2 14:35:31 2022 -0800',
    'Commit:     Andrew Morton <akpm@linux-foundation.org>',
    'CommitDate: Fri Dec 9 18:41:16 2022 -0800',
    '',
    '    mm: add nodes= arg to memory.reclaim',
    '',
    ...msg,
    ...(link ? ['', `    Link: ${link}`] : []),
    '',
    diff,
  ].join('\n');
}

before(async () => {
  t = tempDir();
  ({ db, cleanup } = await ingestedDb([
    'data/corpus/threads/nodes-v3-2022.mbox',
    'data/corpus/threads/nodes-rfc-2022.mbox',
  ]));
  const posted = row<{ body: string }>(db, 'SELECT body FROM messages WHERE message_id = ?', V3).body;
  const description = posted.slice(0, posted.indexOf('\nSigned-off-by:')).trim();
  const diff = posted.slice(posted.indexOf('diff --git '), posted.search(/\n--\s?\n\d/));
  writeFileSync(
    join(t.dir, 'commits.txt'),
    gitLog('12a5d3955227b0d7e04fb793ccceeb2a1dd275c5', description, diff, null) +
      '\n' +
      gitLog('0123456789abcdef0123456789abcdef01234567', description, '', `https://lkml.kernel.org/r/${V3}`),
  );
  await ingestPaths(db, [join(t.dir, 'commits.txt')]);
});
after(() => {
  cleanup();
  t.cleanup();
});

describe('commit links', () => {
  it('by patch-id: the commit with the posted diff links to the v3 posting', () => {
    const l = rows<{ message_id: string; method: string; confidence: number }>(
      db,
      `SELECT m.message_id, l.method, l.confidence FROM commit_links l JOIN messages m ON m.id = l.message_id
       WHERE l.commit_hash = '12a5d3955227b0d7e04fb793ccceeb2a1dd275c5' ORDER BY l.method`,
    );
    assert.deepEqual(
      l.map((x) => [x.message_id, x.method, x.confidence]),
      [
        [V3, 'patch-id', 1],
        [V3, 'subject', 0.6],
      ],
    );
  });

  it('by Link: tag, even without a diff', () => {
    const l = rows<{ message_id: string; method: string }>(
      db,
      `SELECT m.message_id, l.method FROM commit_links l JOIN messages m ON m.id = l.message_id
       WHERE l.commit_hash = '0123456789abcdef0123456789abcdef01234567' ORDER BY l.method`,
    );
    assert.deepEqual(
      l.map((x) => [x.message_id, x.method]),
      [
        [V3, 'link'],
        [V3, 'subject'],
      ],
    );
  });

  it('the RFC v2 posting is in the same series as the commit', () => {
    const s = row<{ n: number }>(
      db,
      `SELECT COUNT(DISTINCT p.posting) AS n FROM patches p WHERE p.series_id =
         (SELECT series_id FROM patches WHERE message_id = (SELECT id FROM messages WHERE message_id = ?))`,
      V3,
    );
    assert.equal(s.n, 2);
  });
});
