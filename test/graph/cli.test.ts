// The graph's CLI and exporters in process, on the real 2020 memory.reclaim thread; and the
// incremental build (a thread ingested in two halves gives the same graph as in one go).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from '../helpers/cli.ts';
import { fixture, freshDb, ingestPaths, rows, tempDir } from '../helpers/archive.ts';

let t: { dir: string; cleanup: () => void };
let dbFile: string;
const ROOT = '20200909215752.1725525-1-shakeelb@google.com';
before(async () => {
  t = tempDir();
  dbFile = join(t.dir, 'g.sqlite');
  const r = await run(['ingest', '--db', dbFile, fixture('mbox', 'reclaim-2020.mbox')]);
  assert.equal(r.code, 0, r.err);
});
after(() => t.cleanup());

describe('argmap thread / claims / series', () => {
  it('thread --json: 28 messages in reply order, segments with resolved quotes, claims with stances', async () => {
    const r = await run(['thread', '--db', dbFile, '--json', ROOT]);
    assert.equal(r.code, 0, r.err);
    const v = JSON.parse(r.out);
    assert.equal(v.messages.length, 28);
    assert.equal(v.messages[0].messageId, ROOT);
    assert.equal(v.messages[0].depth, 0);
    const seed = v.messages.find((m: { messageId: string }) => m.messageId.startsWith('CALvZod7K9g9mi599c5'));
    assert.ok(seed.depth > 3);
    const q = seed.segments.find(
      (s: { kind: string; text: string }) => s.kind === 'quote' && /Understood\. But isn't this/.test(s.text),
    );
    assert.equal(q.source.messageId, '20200922114908.GZ12990@dhcp22.suse.cz');
    assert.equal(q.source.para, 4);
    assert.equal(seed.claims[0].key, `${seed.messageId}#p1`);
  });

  it('thread (text) indents replies and shows stance and status', async () => {
    const r = await run(['thread', '--db', dbFile, ROOT]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^thread \d+: \[PATCH\] memcg: introduce per-memcg reclaim interface — 28 messages/);
    assert.match(r.out, /\n {2}● 2020-09-10 .* SeongJae Park/);
    assert.match(r.out, /p20 proposes: Introducing a very simple memcg interface/);
  });

  it('claims filters by stance and author, and refuses unknown values', async () => {
    const r = await run(['claims', '--db', dbFile, '--json', '--stance', 'asks', '--author', 'hocko']);
    const list = JSON.parse(r.out);
    assert.ok(list.length > 0);
    for (const c of list) {
      assert.equal(c.stance, 'asks');
      assert.equal(c.author, 'Michal Hocko');
    }
    const bad = await run(['claims', '--db', dbFile, '--stance', 'agrees']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown stance "agrees"/);
  });

  it('claims --min-confidence keeps only claims at least that sure; unsure stances print their runner-up', async () => {
    const all = JSON.parse((await run(['claims', '--db', dbFile, '--limit', '5000', '--json'])).out) as {
      confidence: number;
      altStance: string | null;
      altP: number | null;
      kind: string;
      stanceSource: string;
    }[];
    const sure = JSON.parse(
      (await run(['claims', '--db', dbFile, '--limit', '5000', '--min-confidence', '0.9', '--json'])).out,
    ) as { confidence: number }[];
    assert.ok(sure.length > 0 && sure.length < all.length, `${sure.length} of ${all.length}`);
    assert.ok(sure.every((c) => c.confidence >= 0.9));
    assert.equal(sure.length, all.filter((c) => c.confidence >= 0.9).length);
    // the model's runner-up is stored for the paragraphs it decided, never for trailers; a paragraph
    // a decision record classifies is curated (sure, no runner-up)
    const model = all.filter((c) => c.stanceSource === 'model');
    assert.ok(model.length > 100, `${model.length} model stances`);
    // (a record that agrees with the model confirms it: sure, no runner-up)
    assert.ok(
      model.every(
        (c) => c.kind === 'para' && (c.altStance !== null ? c.altP! <= c.confidence : c.confidence === 1),
      ),
    );
    assert.ok(model.filter((c) => c.altStance !== null).length > 100);
    assert.ok(
      all.filter((c) => c.stanceSource === 'record').every((c) => c.altStance === null && c.confidence === 1),
    );
    assert.ok(all.filter((c) => c.kind === 'trailer').every((c) => c.altStance === null));
    // a thread no label file covers has paragraphs the model is unsure of (the labelled ones it learnt)
    const nack = join(t.dir, 'nack.sqlite');
    assert.equal((await run(['ingest', '--db', nack, fixture('graph', 'nack-2019.mbox')])).code, 0);
    const nackAll = JSON.parse(
      (await run(['claims', '--db', nack, '--limit', '5000', '--json'])).out,
    ) as typeof all;
    const unsure = nackAll.filter((c) => c.altStance !== null && c.confidence < 0.5).length;
    const text = (await run(['claims', '--db', nack, '--limit', '5000'])).out;
    assert.equal((text.match(/^ {4}[a-z-]+\? \(0\.\d\d\) or [a-z-]+ 0\.\d\d/gm) ?? []).length, unsure);
    assert.ok(unsure > 0);
    const bad = await run(['claims', '--db', dbFile, '--min-confidence', '2']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--min-confidence must be a number from 0 to 1/);
  });

  it('series finds the posting from a reply and shows the single version', async () => {
    const r = await run([
      'series',
      '--db',
      dbFile,
      '--json',
      'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com',
    ]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.postings.length, 1);
    assert.equal(s.postings[0].parts[0].messageId, ROOT);
    assert.match(s.postings[0].parts[0].patchId, /^[0-9a-f]{40}$/);
  });
});

describe('export --format json|aif|argdown', () => {
  it('json: every edge joins two exported claims', async () => {
    const r = await run(['export', '--db', dbFile, '--format', 'json', '--thread', ROOT]);
    const g = JSON.parse(r.out);
    const keys = new Set(g.claims.map((c: { key: string }) => c.key));
    assert.ok(g.edges.length > 20);
    for (const e of g.edges) assert.ok(keys.has(e.from) && keys.has(e.to));
  });

  it('aif: nodes of AIF types, every edge between existing nodes, each I-node anchored by a YA from an L-node', async () => {
    const r = await run(['export', '--db', dbFile, '--format', 'aif', '--thread', ROOT]);
    const doc = JSON.parse(r.out);
    const byId = new Map(doc.nodes.map((n: { nodeID: string; type: string }) => [n.nodeID, n]));
    for (const n of doc.nodes) assert.ok(['I', 'L', 'RA', 'CA', 'MA', 'YA', 'TA'].includes(n.type));
    for (const e of doc.edges) assert.ok(byId.has(e.fromID) && byId.has(e.toID), e.edgeID);
    const into = new Map<string, string[]>();
    for (const e of doc.edges) (into.get(e.toID) ?? into.set(e.toID, []).get(e.toID)!).push(e.fromID);
    for (const n of doc.nodes.filter((x: { type: string }) => x.type === 'I')) {
      const ya = (into.get(n.nodeID) ?? []).map((id) => byId.get(id) as { type: string; nodeID: string });
      assert.ok(
        ya.some(
          (y) =>
            y.type === 'YA' &&
            (into.get(y.nodeID) ?? []).some((l) => (byId.get(l) as { type: string }).type === 'L'),
        ),
      );
    }
    assert.ok(
      doc.nodes.some((n: { type: string }) => n.type === 'CA'),
      'objections become conflicts',
    );
    assert.ok(
      doc.locutions.length > 0 &&
        doc.participants.some((p: { firstname: string }) => p.firstname === 'Michal'),
    );
  });

  it('argdown: a statement per claim key, relations only to defined statements', async () => {
    const r = await run(['export', '--db', dbFile, '--format', 'argdown', '--thread', ROOT]);
    assert.match(r.out, /^===\ntitle: /);
    const defined = new Set([...r.out.matchAll(/^\[([^\]]+)\]:/gm)].map((m) => m[1]));
    assert.ok(defined.has(`${ROOT}#p20`));
    const rel = [...r.out.matchAll(/^ {2}[-+] \[([^\]]+)\]$/gm)].map((m) => m[1]);
    assert.ok(rel.length > 10);
    for (const k of rel) assert.ok(defined.has(k), k);
  });
});

describe('incremental build', () => {
  it('a thread ingested in two halves gives the same claims, stances and edges as in one go', async () => {
    const text = readFileSync(fixture('mbox', 'reclaim-2020.mbox'), 'latin1');
    const msgs = text.split(/(?=^From mboxrd@z )/m);
    const d = tempDir();
    const a = freshDb();
    const b = freshDb();
    try {
      writeFileSync(join(d.dir, 'first.mbox'), msgs.slice(0, 14).join(''), 'latin1');
      writeFileSync(join(d.dir, 'second.mbox'), msgs.slice(14).join(''), 'latin1');
      await ingestPaths(a.db, [join(d.dir, 'first.mbox')]);
      await ingestPaths(a.db, [join(d.dir, 'second.mbox')]);
      await ingestPaths(b.db, [fixture('mbox', 'reclaim-2020.mbox')]);
      const claims = (db: typeof a.db): string[] =>
        rows<{ k: string }>(db, "SELECT key || ' ' || rule_stance AS k FROM claims ORDER BY 1").map(
          (r) => r.k,
        );
      const edges = (db: typeof a.db): string[] =>
        rows<{ k: string }>(
          db,
          `SELECT s.key || ' ' || e.relation || ' ' || d.key AS k FROM edges e JOIN claims s ON s.id = e.src_claim_id
           JOIN claims d ON d.id = e.dst_claim_id ORDER BY 1`,
        ).map((r) => r.k);
      assert.deepEqual(claims(a.db), claims(b.db));
      assert.deepEqual(edges(a.db), edges(b.db));
    } finally {
      a.cleanup();
      b.cleanup();
      d.cleanup();
    }
  });
});
