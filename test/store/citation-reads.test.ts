// The citation reads (src/store/citation-reads.ts) on an archive of the nodes= revert thread and the
// six corpus commits. Message fields were read off the mbox (data/corpus/threads/nodes-revert-2022.mbox,
// line 559 on); the commit hashes are the ones the commit files name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { row, sharedArchive } from '../helpers/archive.ts';
import { citedMessage, commitsFromHash } from '../../src/store/citation-reads.ts';

const COMMITS = 'data/corpus/commits';
const arc = sharedArchive([
  'data/corpus/threads/nodes-revert-2022.mbox',
  ...readdirSync(COMMITS).map((f) => join(COMMITS, f)),
]);
// the six commit hashes, in hash order (the file names give the first 12 digits)
const HASHES = [
  '0e4b01df8659',
  '12a5d3955227',
  '241994ed8649',
  '55ab834a86a9',
  '68cd9050d871',
  '94968384dde1',
];

describe('citedMessage', () => {
  it('finds a real message by Message-ID with its stored fields', () => {
    const m = citedMessage(arc.db, 'Y5xASNe1x8cusiTx@dhcp22.suse.cz');
    assert.ok(m);
    assert.equal(m.message_id, 'Y5xASNe1x8cusiTx@dhcp22.suse.cz');
    assert.equal(m.subject, '[PATCH] Revert "mm: add nodes= arg to memory.reclaim"');
    assert.equal(m.from_name, 'Michal Hocko');
    assert.equal(m.date, '2022-12-16T09:54:16Z');
    assert.match(m.body, /This reverts commit 12a5d3955227b0d7e04fb793ccceeb2a1dd275c5/);
    assert.equal(
      m.thread_id,
      row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE id = ?', m.id).t,
    );
  });

  it('does not resolve a ghost or an unknown id', () => {
    const ghost = row<{ mid: string } | undefined>(
      arc.db,
      'SELECT message_id AS mid FROM messages WHERE is_ghost = 1 LIMIT 1',
    );
    assert.ok(ghost, 'the thread cites mail outside it, so it has ghosts');
    assert.equal(citedMessage(arc.db, ghost.mid), undefined);
    assert.equal(citedMessage(arc.db, 'no-such-id@example.org'), undefined);
  });
});

describe('commitsFromHash', () => {
  it('returns at most two commits from the prefix on, in hash order', () => {
    assert.deepEqual(
      commitsFromHash(arc.db, '').map((c) => c.hash.slice(0, 12)),
      HASHES.slice(0, 2),
    );
    assert.deepEqual(
      commitsFromHash(arc.db, '5').map((c) => c.hash.slice(0, 12)),
      ['55ab834a86a9'],
    );
    assert.deepEqual(
      commitsFromHash(arc.db, '55ab834a86a9934c4f17825c115f7dc16a89aae7').map((c) => c.subject),
      ['Revert "mm: add nodes= arg to memory.reclaim"'],
    );
    assert.deepEqual(commitsFromHash(arc.db, 'fff'), []);
  });

  it('carries the author and date a citation shows', () => {
    const [c] = commitsFromHash(arc.db, '55ab');
    assert.equal(c?.author_name, 'Michal Hocko');
    assert.match(c?.author_date ?? '', /^2022-12-16/);
  });

  it('reads the hash index as a range, not the table', () => {
    const plan = (
      arc.db
        .prepare(
          "EXPLAIN QUERY PLAN SELECT id, hash, subject, author_name, author_date FROM commits WHERE hash >= ? AND hash < ? || 'g' LIMIT 2",
        )
        .all('55', '55') as { detail: string }[]
    ).map((r) => r.detail);
    assert.ok(
      plan.some((d) => /SEARCH commits USING INDEX .*\(hash>\? AND hash<\?\)/.test(d)),
      plan.join('; '),
    );
  });
});
