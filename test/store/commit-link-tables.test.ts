// The commit-link pass's statements (src/store/commit-link-tables.ts) on the nodes= v3 posting, its
// revert and the six corpus commits. Message-IDs, titles and Signed-off-by lines were read off the
// mboxes; patch-ids and candidate lists are checked against plain SQL over patches and subjects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { CommitLinkTables } from '../../src/store/commit-link-tables.ts';

const C = 'data/corpus/commits';
const arc = sharedArchive([
  'data/corpus/threads/nodes-v3-2022.mbox',
  'data/corpus/threads/nodes-revert-2022.mbox',
  // its first mail's parent is not in it: a ghost
  fixture('mbox', 'throttle-2019.mbox'),
  ...readdirSync(C).map((f) => join(C, f)),
]);
const REVERT = 'Y5xASNe1x8cusiTx@dhcp22.suse.cz';
const V3 = '20221202223533.1785418-1-almasrymina@google.com';
const idOf = (mid: string): number =>
  row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE message_id = ?', mid).id;
const personOf = (addr: string): number =>
  row<{ p: number }>(arc.db, 'SELECT person_id AS p FROM person_addresses WHERE addr = ?', addr).p;

describe('CommitLinkTables reads', () => {
  it('reads every ingested commit', () => {
    const t = new CommitLinkTables(arc.db);
    const got = t
      .commits()
      .map((c) => c.hash.slice(0, 12))
      .sort();
    assert.deepEqual(
      got,
      readdirSync(C)
        .map((f) => f.split('-')[1])
        .sort(),
    );
    const revert = t.commits().find((c) => c.hash.startsWith('55ab834a86a9'))!;
    assert.equal(revert.subject, 'Revert "mm: add nodes= arg to memory.reclaim"');
    assert.equal(revert.posted_as, REVERT);
  });

  it('finds a real message by Message-ID, never a ghost', () => {
    const t = new CommitLinkTables(arc.db);
    assert.equal(t.messageByMid(REVERT), idOf(REVERT));
    const ghost = row<{ mid: string }>(
      arc.db,
      'SELECT message_id AS mid FROM messages WHERE is_ghost = 1 LIMIT 1',
    );
    assert.equal(t.messageByMid(ghost.mid), undefined);
    assert.equal(t.messageByMid('nobody@example.org'), undefined);
  });

  it('finds postings by patch-id and by title, oldest first', () => {
    const t = new CommitLinkTables(arc.db);
    const p = row<{ patch_id: string }>(
      arc.db,
      'SELECT patch_id FROM patches WHERE message_id = ?',
      idOf(V3),
    );
    assert.deepEqual(
      t.byPatchId(p.patch_id).map((c) => c.id),
      [idOf(V3)],
    );
    assert.deepEqual(t.byPatchId('0'.repeat(40)), []);
    // the v3 posting's subject, "[PATCH v3] mm: add nodes= arg to memory.reclaim", normalised
    const byTitle = t.byTitle('mm: add nodes= arg to memory.reclaim');
    assert.deepEqual(
      byTitle.map((c) => c.id),
      [idOf(V3)],
      'replies ("Re: …") to the posting are not candidates',
    );
    assert.equal(byTitle[0]!.author_id, personOf('almasrymina@google.com'));
    assert.deepEqual(t.byTitle('no such title'), []);
  });

  it('tells whose Signed-off-by a posting carries', () => {
    const t = new CommitLinkTables(arc.db);
    assert.equal(t.signedBy(idOf(REVERT), personOf('mhocko@suse.com')), true);
    assert.equal(t.signedBy(idOf(REVERT), personOf('almasrymina@google.com')), false);
    assert.equal(t.signedBy(idOf(V3), personOf('almasrymina@google.com')), true);
  });
});

describe('CommitLinkTables writes', () => {
  it('inserts a link once, and clear empties the table', () => {
    const t = new CommitLinkTables(arc.db);
    assert.ok(rows(arc.db, 'SELECT * FROM commit_links').length > 0, 'the ingest linked commits');
    t.clear();
    assert.deepEqual(rows(arc.db, 'SELECT * FROM commit_links'), []);
    const hash = t.commits()[0]!.hash;
    assert.equal(t.insert(hash, idOf(V3), 'test', 0.5), 1);
    assert.equal(t.insert(hash, idOf(V3), 'test', 0.9), 0, 'the same link again is ignored');
    assert.deepEqual(rows(arc.db, 'SELECT commit_hash, message_id, method, confidence FROM commit_links'), [
      { commit_hash: hash, message_id: idOf(V3), method: 'test', confidence: 0.5 },
    ]);
  });
});
