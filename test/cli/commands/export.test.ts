// `argmap export --format json|aif|argdown` (src/cli/commands/export.ts) in process on the real
// 2020 memory.reclaim thread. The first three tests moved here from test/graph/cli.test.ts,
// unchanged; `export --mbox` is exercised in test/cli/commands.test.ts and test/store/export-mbox.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const ROOT = '20200909215752.1725525-1-shakeelb@google.com';
const archive = cliArchive(fixture('mbox', 'reclaim-2020.mbox'));

describe('export --format json|aif|argdown', () => {
  it('json: every edge joins two exported claims', async () => {
    const r = await run(['export', '--db', archive.file(), '--format', 'json', '--thread', ROOT]);
    const g = JSON.parse(r.out);
    const keys = new Set(g.claims.map((c: { key: string }) => c.key));
    assert.ok(g.edges.length > 20);
    for (const e of g.edges) assert.ok(keys.has(e.from) && keys.has(e.to));
  });

  it('aif: nodes of AIF types, every edge between existing nodes, each I-node anchored by a YA from an L-node', async () => {
    const r = await run(['export', '--db', archive.file(), '--format', 'aif', '--thread', ROOT]);
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
    const r = await run(['export', '--db', archive.file(), '--format', 'argdown', '--thread', ROOT]);
    assert.match(r.out, /^===\ntitle: /);
    const defined = new Set([...r.out.matchAll(/^\[([^\]]+)\]:/gm)].map((m) => m[1]));
    assert.ok(defined.has(`${ROOT}#p20`));
    const rel = [...r.out.matchAll(/^ {2}[-+] \[([^\]]+)\]$/gm)].map((m) => m[1]);
    assert.ok(rel.length > 10);
    for (const k of rel) assert.ok(defined.has(k), k);
  });

  it('--help lists the formats with examples; an unknown format or series exits 2 and says what is valid', async () => {
    const h = await run(['export', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap export /);
    for (const f of ['json', 'aif', 'argdown', 'madr', 'mbox'])
      assert.match(h.out, new RegExp(`^ {2}${f} `, 'm'));
    const bad = await run(['export', '--db', archive.file(), '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown format "xml"; valid: json, aif, argdown, madr, mbox/);
    const s = await run(['export', '--db', archive.file(), '--format', 'json', '--series', 'no such']);
    assert.equal(s.code, 2);
    assert.match(s.err, /no series matches "no such"/);
  });

  it('--out writes the document to a file and says what it holds', async () => {
    const out = join(dirname(archive.file()), 'g.json');
    const r = await run([
      'export',
      '--db',
      archive.file(),
      '--format',
      'json',
      '--thread',
      ROOT,
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const g = JSON.parse(readFileSync(out, 'utf8')) as { claims: unknown[]; edges: unknown[] };
    assert.ok(`${r.out}${r.err}`.includes(`${g.claims.length} claims, ${g.edges.length} edges`));
  });
});
