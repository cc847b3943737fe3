// Building the argument graph (src/graph/build.ts) on two real threads: the 2020 memory.reclaim
// thread (28 messages) and Chris Down's 2019 memory.high throttling thread (4 messages, v3 and v4
// of one patch). An incremental build that adds the second thread to a built archive must give
// the graph a full build of both gives; claims are own text of their message; replies come after
// what they answer; the version and staleness switches follow the model and the records.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, rows } from '../helpers/archive.ts';
import { oracleMessages } from '../helpers/mbox-oracle.ts';
import { ingest } from '../../src/ingest/pipeline.ts';
import {
  buildGraph,
  graphStale,
  graphVersion,
  GRAPH_VERSION,
  type GraphStats,
} from '../../src/graph/build.ts';
import { recordObjections } from '../../src/decisions/graph-input.ts';
import { loadStanceModel } from '../../src/graph/stance-model-file.ts';
import { setMeta, type Db } from '../../src/store/db.ts';
import { RECLAIM_MBOX as RECLAIM, THROTTLE_MBOX as THROTTLE } from '../helpers/fixture-ids.ts';

const records = recordObjections();

type Archive = ReturnType<typeof freshDb>;
let whole: Archive;
let stepwise: Archive;
let fullStats: GraphStats;
let stepStats: GraphStats;
before(async () => {
  whole = freshDb();
  await ingest(whole.db, { paths: [RECLAIM, THROTTLE], cwd: process.cwd() });
  fullStats = buildGraph(whole.db, { records });

  stepwise = freshDb();
  await ingest(stepwise.db, { paths: [RECLAIM], cwd: process.cwd() });
  buildGraph(stepwise.db, { records });
  await ingest(stepwise.db, { paths: [THROTTLE], cwd: process.cwd() });
  const ids = oracleMessages(THROTTLE).map(
    (m) =>
      stepwise.db.prepare('SELECT id FROM messages WHERE message_id = ?').pluck().get(m.messageId) as number,
  );
  stepStats = buildGraph(stepwise.db, { added: ids, records });
});
after(() => {
  whole.cleanup();
  stepwise.cleanup();
});

const claimsOf = (db: Db): string[] =>
  rows<{ key: string; stance: string; text: string }>(
    db,
    'SELECT key, stance, text FROM claims ORDER BY key',
  ).map((c) => `${c.key} ${c.stance} ${c.text}`);
const edgesOf = (db: Db): string[] =>
  rows<{ s: string; d: string; relation: string }>(
    db,
    `SELECT s.key AS s, d.key AS d, e.relation FROM edges e JOIN claims s ON s.id = e.src_claim_id
     JOIN claims d ON d.id = e.dst_claim_id ORDER BY 1, 2, 3`,
  ).map((e) => `${e.s} ${e.relation} ${e.d}`);

describe('a build', () => {
  it('covers both threads and counts what it wrote', () => {
    assert.equal(fullStats.full, true);
    assert.equal(fullStats.threads, 2);
    assert.equal(fullStats.claims, rows(whole.db, 'SELECT id FROM claim_rows').length);
    assert.equal(fullStats.edges, rows(whole.db, 'SELECT src_claim_id FROM edges').length);
    assert.ok(fullStats.claims > 0 && fullStats.edges > 0);
    assert.equal(fullStats.series?.series, 2);
  });

  it('adds a thread incrementally to the same graph a full build makes', () => {
    assert.equal(stepStats.full, false);
    assert.equal(stepStats.threads, 1, 'only the new thread is rebuilt');
    assert.deepEqual(claimsOf(stepwise.db), claimsOf(whole.db));
    assert.deepEqual(edgesOf(stepwise.db), edgesOf(whole.db));
  });

  it('gives the same graph when rebuilt', () => {
    const before = [claimsOf(whole.db), edgesOf(whole.db)];
    const again = buildGraph(whole.db, { records });
    assert.equal(again.full, true);
    assert.deepEqual([claimsOf(whole.db), edgesOf(whole.db)], before);
  });
});

describe('what the graph holds', () => {
  it('makes claims only of own text: in the body, never a quoted line', () => {
    const cs = rows<{ key: string; text: string; body: string }>(
      whole.db,
      'SELECT c.key, c.text, m.body FROM claims c JOIN messages m ON m.id = c.message_id',
    );
    for (const c of cs) {
      assert.ok(c.body.includes(c.text), c.key);
      for (const l of c.text.split('\n')) assert.doesNotMatch(l, /^ {0,3}>/, c.key);
    }
  });

  it("numbers Michal Hocko's three paragraphs p1–p3, without his signature", () => {
    const keys = rows<{ key: string }>(
      whole.db,
      "SELECT key FROM claims WHERE key LIKE '20200921163055.GQ12990@dhcp22.suse.cz#%' ORDER BY n",
    ).map((r) => r.key.split('#')[1]);
    assert.deepEqual(keys, ['p1', 'p2', 'p3']);
  });

  it('links a reply to what it answers, never to a later message', () => {
    const es = rows<{ s: string; d: string; rel: string }>(
      whole.db,
      `SELECT sm.date AS s, dm.date AS d, e.relation AS rel FROM edges e
       JOIN claim_rows sc ON sc.id = e.src_claim_id JOIN messages sm ON sm.id = sc.message_id
       JOIN claim_rows dc ON dc.id = e.dst_claim_id JOIN messages dm ON dm.id = dc.message_id`,
    );
    assert.ok(es.length > 0);
    for (const e of es) assert.ok(e.s >= e.d, `${e.rel}: ${e.s} answers ${e.d}`);
  });

  it('keeps the two threads apart', () => {
    const crossing = rows(
      whole.db,
      `SELECT 1 FROM edges e JOIN claim_rows sc ON sc.id = e.src_claim_id JOIN messages sm ON sm.id = sc.message_id
       JOIN claim_rows dc ON dc.id = e.dst_claim_id JOIN messages dm ON dm.id = dc.message_id
       WHERE sm.thread_id <> dm.thread_id AND e.relation NOT IN ('supersedes', 'implements')`,
    );
    assert.deepEqual(crossing, []);
  });

  it('uses the rules alone when told to run without a model', async () => {
    const f = freshDb();
    try {
      await ingest(f.db, { paths: [THROTTLE], cwd: process.cwd() });
      buildGraph(f.db, { model: null });
      const src = rows<{ s: string }>(f.db, 'SELECT DISTINCT stance_source AS s FROM claim_rows').map(
        (r) => r.s,
      );
      assert.deepEqual(src, ['rules']);
      assert.equal(graphStale(f.db, [], null), false);
    } finally {
      f.cleanup();
    }
  });
});

describe('version and staleness', () => {
  it('names the rules version, and the model when there is one', () => {
    assert.equal(graphVersion(null), GRAPH_VERSION);
    const model = loadStanceModel();
    if (model) assert.match(graphVersion(model), new RegExp(`^${GRAPH_VERSION}\\+model:.+`));
  });

  it('is stale after other rules, another model or other records, and not otherwise', () => {
    const db = stepwise.db;
    assert.equal(graphStale(db, records), false);
    assert.equal(graphStale(db, []), records.length > 0);
    assert.equal(graphStale(db, records, null), loadStanceModel() !== null);
    setMeta(db, 'graph_version', '0');
    assert.equal(graphStale(db, records), true);
    const s = buildGraph(db, { added: [1], records });
    assert.equal(s.full, true, 'a stale graph is rebuilt whole even when messages were added');
    assert.equal(graphStale(db, records), false);
  });
});
