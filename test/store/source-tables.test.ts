// The ingest run's `sources` statements (src/store/source-tables.ts) on an archive of the throttle
// thread: what an earlier run left (its content hash is the file's SHA-256), and each write read
// back with plain SQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { fixture, row, sharedArchive } from '../helpers/archive.ts';
import { SourceTables } from '../../src/store/source-tables.ts';

const THROTTLE = fixture('mbox', 'throttle-2019.mbox');
const arc = sharedArchive([THROTTLE]);
const src = (id: number): Record<string, unknown> => row(arc.db, 'SELECT * FROM sources WHERE id = ?', id);

describe('SourceTables', () => {
  it('finds the source an earlier run completed, with its content hash', () => {
    const t = new SourceTables(arc.db);
    const k = t.find('mbox', THROTTLE);
    assert.ok(k);
    assert.equal(k.status, 'complete');
    assert.equal(k.sha256, createHash('sha256').update(readFileSync(THROTTLE)).digest('hex'));
    assert.equal(t.find('maildir', THROTTLE), undefined, 'the kind is part of the key');
    assert.equal(t.find('mbox', THROTTLE + '.gz'), undefined);
  });

  it('adds a source as partial, reopens it and completes it', () => {
    const t = new SourceTables(arc.db);
    const id = t.add('mbox', '/tmp/new.mbox', 'a'.repeat(64), 123);
    assert.deepEqual(t.find('mbox', '/tmp/new.mbox'), { id, sha256: 'a'.repeat(64), status: 'partial' });
    t.complete(id, '2026-01-02T03:04:05Z');
    assert.equal(src(id).status, 'complete');
    assert.equal(src(id).ingested_at, '2026-01-02T03:04:05Z');
    t.reopen(id, 'b'.repeat(64), null);
    assert.deepEqual([src(id).sha256, src(id).size, src(id).status], ['b'.repeat(64), null, 'partial']);
  });

  it('counts a source’s messages from message_sources', () => {
    const t = new SourceTables(arc.db);
    const id = t.find('mbox', THROTTLE)!.id;
    assert.equal(src(id).size, statSync(THROTTLE).size);
    arc.db.prepare('UPDATE sources SET message_count = 0 WHERE id = ?').run(id);
    t.refreshMessageCount(id);
    assert.equal(src(id).message_count, 4, 'the mbox has four From_ lines');
  });

  it('looks a source up by its (location, kind) index', () => {
    const plan = (
      arc.db
        .prepare('EXPLAIN QUERY PLAN SELECT id, sha256, status FROM sources WHERE kind = ? AND location = ?')
        .all('mbox', THROTTLE) as { detail: string }[]
    ).map((r) => r.detail);
    assert.ok(
      plan.some((d) => d.includes('USING INDEX sources_location')),
      plan.join('; '),
    );
  });
});
