// What the archive counts (src/store/archive-stats.ts), on the throttle thread, the oddities mbox,
// the nodes= revert thread and one commit file. Per-source counts are the mboxes' From_ lines; the
// two warnings are oddities.tsv's charset="y" and reused-Message-ID entries; everything else is
// checked against a JS oracle over the raw rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, rows, sharedArchive } from '../helpers/archive.ts';
import { openDb } from '../../src/store/db.ts';
import {
  archiveFingerprint,
  archiveStats,
  dataVersion,
  ingestProblems,
} from '../../src/store/archive-stats.ts';

const THROTTLE = fixture('mbox', 'throttle-2019.mbox');
const ODD = fixture('mbox', 'oddities.mbox');
const REVERT = 'data/corpus/threads/nodes-revert-2022.mbox';
const COMMIT = fixture('commits', '05-55ab834a86a9-revert-mm-add-nodes-arg-to-memory-reclaim.txt');
const arc = sharedArchive([THROTTLE, ODD, COMMIT, REVERT]);

describe('archiveStats', () => {
  it('counts sources as their From_ lines say, in the order they were read', () => {
    const s = archiveStats(arc.db);
    assert.deepEqual(
      s.sources.map((x) => [x.kind, x.location.endsWith(x.location.split('/').pop()!), x.status, x.messages]),
      [
        ['mbox', true, 'complete', 4],
        ['mbox', true, 'complete', 17],
        ['commit-text', true, 'complete', 0],
        ['mbox', true, 'complete', 8],
      ],
    );
    assert.deepEqual(
      s.sources.map((x) => x.location.split('/').pop()),
      [THROTTLE, ODD, COMMIT, REVERT].map((p) => p.split('/').pop()),
    );
    assert.equal(s.commits, 1);
    assert.equal(s.documents, 0);
    assert.deepEqual(s.problems, { skipped: 0, warnings: 2 });
  });

  it('agrees with a count over the raw rows', () => {
    const s = archiveStats(arc.db);
    const msgs = rows<{ id: number; g: number; date: string | null; t: number | null }>(
      arc.db,
      'SELECT id, is_ghost AS g, date, thread_id AS t FROM messages',
    );
    const real = msgs.filter((m) => m.g === 0);
    assert.equal(s.messages, real.length);
    assert.equal(s.ghosts, msgs.length - real.length);
    const dates = real
      .map((m) => m.date)
      .filter((d): d is string => d !== null)
      .sort();
    assert.equal(s.firstDate, dates[0]);
    assert.equal(s.lastDate, dates.at(-1));
    assert.equal(s.people, rows(arc.db, 'SELECT id FROM people').length);
    const perThread = new Map<number, number>();
    for (const m of real) if (m.t !== null) perThread.set(m.t, (perThread.get(m.t) ?? 0) + 1);
    assert.equal(s.threads, new Set(msgs.map((m) => m.t)).size);
    const top = [...perThread].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, 5);
    assert.deepEqual(
      s.largestThreads.map((t) => [t.id, t.messages]),
      top,
    );
    assert.equal(s.largestThreads[0]?.subject, '[PATCH] Revert "mm: add nodes= arg to memory.reclaim"');
    assert.equal(s.largestThreads[0]?.messages, 8);
  });
});

describe('ingestProblems', () => {
  it('lists problems newest first, with the source and the From_ offset', () => {
    const all = ingestProblems(arc.db);
    assert.deepEqual(
      all.map((p) => [p.severity, p.code]),
      [
        // read in file order: the charset="y" mail (offset 91820) comes after the reused id (77834)
        ['warning', 'unknown-charset'],
        ['warning', 'reused-message-id'],
      ],
    );
    const y = all[0]!;
    assert.equal(y.source, ODD);
    assert.equal(y.message_id, '20240202050247.45167-1-yangyifei03@kuaishou.com');
    // the offset is that of the From_ line before the message's own Message-ID header
    const text = readFileSync(ODD, 'latin1');
    const at = text.indexOf('<20240202050247.45167-1-yangyifei03@kuaishou.com>');
    assert.equal(y.offset, text.lastIndexOf('\nFrom ', at) + 1);
  });

  it('filters to skipped problems or one code', () => {
    assert.deepEqual(ingestProblems(arc.db, { skippedOnly: true }), []);
    assert.deepEqual(
      ingestProblems(arc.db, { code: 'unknown-charset' }).map((p) => p.detail),
      ['unknown charset "y"; decoded as best effort'],
    );
    assert.deepEqual(ingestProblems(arc.db, { code: 'no-such-code' }), []);
  });
});

describe('archiveFingerprint and dataVersion', () => {
  it('keeps the fingerprint while nothing changes and moves it on a write', () => {
    const f = archiveFingerprint(arc.db);
    archiveStats(arc.db);
    assert.equal(archiveFingerprint(arc.db), f, 'reads do not change it');
    arc.db.prepare("INSERT INTO meta(key, value) VALUES ('test-fingerprint', '1')").run();
    const g = archiveFingerprint(arc.db);
    assert.notEqual(g, f);
    arc.db.prepare("DELETE FROM meta WHERE key = 'test-fingerprint'").run();
    assert.equal(archiveFingerprint(arc.db), f, 'the same state gives the same fingerprint');
    assert.match(f, /^[0-9a-f]{40}$/);
  });

  it("moves dataVersion when another connection commits, not on this one's own writes", () => {
    const before = dataVersion(arc.db);
    arc.db.prepare("INSERT INTO meta(key, value) VALUES ('test-dv', '1')").run();
    assert.equal(dataVersion(arc.db), before);
    const other = openDb(arc.file);
    try {
      other.prepare("DELETE FROM meta WHERE key = 'test-dv'").run();
    } finally {
      other.close();
    }
    assert.notEqual(dataVersion(arc.db), before);
  });
});
