// The incremental build's scope (src/store/graph-scope-tables.ts) on the throttle thread, the
// nodes= v3 posting and its revert (two series, v3 → v4 and nodes= v3 → revert): each closure read
// against plain SQL, and the TEMP tables it stores read back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { GraphScopeTables, inScopeSql } from '../../src/store/graph-scope-tables.ts';

const arc = sharedArchive([
  fixture('mbox', 'throttle-2019.mbox'),
  'data/corpus/threads/nodes-v3-2022.mbox',
  'data/corpus/threads/nodes-revert-2022.mbox',
  'data/corpus/threads/swappiness-2023.mbox',
  'data/corpus/threads/swappiness-v6-2024.mbox',
]);
const ids = (sql: string, ...p: unknown[]): number[] =>
  rows<{ x: number }>(arc.db, sql, ...p)
    .map((r) => r.x)
    .sort((a, b) => a - b);
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const threadOf = (mid: string): number =>
  row<{ t: number }>(arc.db, 'SELECT thread_id AS t FROM messages WHERE message_id = ?', mid).t;
const V3 = '20190501184104.GA30293@chrisdown.name';
const V4 = '20190723180700.GA29459@chrisdown.name';
const SWAP5 = '20231130153658.527556-1-schatzberg.dan@gmail.com';
const SWAP6 = '20240103164841.2800183-1-schatzberg.dan@gmail.com';
const REVERT = 'Y5xASNe1x8cusiTx@dhcp22.suse.cz';

describe('scope closure reads', () => {
  it('maps series to their threads and back', () => {
    const t = new GraphScopeTables(arc.db);
    const throttleSeries = ids(
      'SELECT p.series_id AS x FROM patches p JOIN messages m ON m.id = p.message_id WHERE m.message_id = ?',
      V3,
    );
    assert.equal(throttleSeries.length, 1);
    assert.deepEqual(sorted(t.seriesOfThreads([threadOf(V3)])), throttleSeries);
    // v4 was posted in reply to v3: one thread
    assert.equal(threadOf(V3), threadOf(V4));
    assert.deepEqual(t.threadsOfSeries(throttleSeries), [threadOf(V3)]);
    // swappiness= v5 (Nov 2023) and v6 (Jan 2024) are one series posted as two threads
    assert.notEqual(threadOf(SWAP5), threadOf(SWAP6));
    const swap = t.seriesOfThreads([threadOf(SWAP5)]);
    assert.equal(swap.length, 1);
    assert.deepEqual(t.seriesOfThreads([threadOf(SWAP6)]), swap);
    assert.deepEqual(sorted(t.threadsOfSeries(swap)), sorted([threadOf(SWAP5), threadOf(SWAP6)]));
    assert.deepEqual(
      sorted(t.seriesOfThreads([threadOf(SWAP5), threadOf(V3), threadOf(SWAP6)])),
      sorted([...swap, ...throttleSeries]),
    );
    assert.deepEqual(t.seriesOfThreads([]), []);
    assert.deepEqual(t.threadsOfSeries([999999]), []);
  });

  it('maps messages and claims to their threads, each once', () => {
    const t = new GraphScopeTables(arc.db);
    const msgs = ids('SELECT id AS x FROM messages WHERE message_id IN (?, ?)', V3, REVERT);
    assert.deepEqual(
      sorted(t.threadsOfMessages([...msgs, ...msgs])),
      sorted([threadOf(V3), threadOf(REVERT)]),
    );
    const claims = ids(
      'SELECT c.id AS x FROM claim_rows c JOIN messages m ON m.id = c.message_id WHERE m.message_id = ?',
      V4,
    );
    assert.ok(claims.length > 1);
    assert.deepEqual(t.threadsOfClaims(claims), [threadOf(V4)]);
  });

  it('finds the threads of the objections a decision record decided', () => {
    const t = new GraphScopeTables(arc.db);
    const want = ids(
      `SELECT DISTINCT m.thread_id AS x FROM objections o JOIN claim_rows c ON c.id = o.claim_id
       JOIN messages m ON m.id = c.message_id WHERE o.source = 'record'`,
    );
    assert.deepEqual(sorted(t.threadsOfRecordObjections()), want);
  });

  it('counts objections by how they ended', () => {
    const t = new GraphScopeTables(arc.db);
    const want: Record<string, number> = {};
    for (const r of rows<{ status: string }>(arc.db, 'SELECT status FROM objections'))
      want[r.status] = (want[r.status] ?? 0) + 1;
    assert.deepEqual(t.objectionCounts(), want);
    assert.ok(Object.keys(want).length > 1);
  });
});

describe('stored scope', () => {
  it('stores every message of the threads and the series, replacing an earlier scope', () => {
    const t = new GraphScopeTables(arc.db);
    t.store([threadOf(V3)], [1, 2]);
    t.store([threadOf(REVERT)], [7]);
    assert.deepEqual(
      ids('SELECT id AS x FROM temp.graph_scope_msgs'),
      ids('SELECT id AS x FROM messages WHERE thread_id = ?', threadOf(REVERT)),
    );
    assert.deepEqual(ids('SELECT id AS x FROM temp.graph_scope_series'), [7]);
    assert.deepEqual(
      ids(`SELECT c.id AS x FROM claim_rows c WHERE ${inScopeSql('c')}`),
      ids(
        'SELECT c.id AS x FROM claim_rows c JOIN messages m ON m.id = c.message_id WHERE m.thread_id = ?',
        threadOf(REVERT),
      ),
    );
  });

  it("deletes only the scope's version edges", () => {
    const t = new GraphScopeTables(arc.db);
    const version = "(relation IN ('supersedes', 'implements') OR evidence LIKE 'carried%')";
    const fromThread = (th: number): number =>
      rows(
        arc.db,
        `SELECT e.src_claim_id FROM edges e JOIN claim_rows c ON c.id = e.src_claim_id JOIN messages m ON m.id = c.message_id
         WHERE ${version} AND m.thread_id = ?`,
        th,
      ).length;
    const replies = rows(arc.db, `SELECT src_claim_id FROM edges WHERE NOT ${version}`).length;
    const v4Edges = fromThread(threadOf(V4));
    assert.ok(v4Edges > 0, 'v4 supersedes v3');
    assert.ok(fromThread(threadOf(REVERT)) > 0, 'the revert supersedes nodes= v3');
    t.store([threadOf(REVERT)], []);
    t.deleteVersionEdges();
    assert.equal(fromThread(threadOf(REVERT)), 0);
    assert.equal(fromThread(threadOf(V4)), v4Edges, 'out of scope: kept');
    assert.equal(rows(arc.db, `SELECT src_claim_id FROM edges WHERE NOT ${version}`).length, replies);
  });
});
