// The export formats by name (src/graph/exporters.ts) on the throttle thread: each renders a
// document its format's reader accepts (JSON.parse for json and aif, Argdown's statement lines),
// and its "what" line counts what the document holds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, sharedArchive } from '../helpers/archive.ts';
import { GRAPH_FORMATS } from '../../src/graph/exporters.ts';

const arc = sharedArchive([fixture('mbox', 'throttle-2019.mbox')]);
const V3 = '20190501184104.GA30293@chrisdown.name';

describe('GRAPH_FORMATS', () => {
  it('has json, aif and argdown, each with a help line', () => {
    assert.deepEqual(Object.keys(GRAPH_FORMATS).sort(), ['aif', 'argdown', 'json']);
    for (const f of Object.values(GRAPH_FORMATS)) assert.ok(f.help.length > 20 && !f.help.includes('\n'));
  });

  it('json: the graph, with its claim and edge counts', () => {
    const r = GRAPH_FORMATS.json!.render(arc.db, { thread: V3 });
    const g = JSON.parse(r.text) as { format: string; claims: unknown[]; edges: unknown[] };
    assert.equal(g.format, 'argmap-graph');
    assert.ok(g.claims.length > 0 && g.edges.length > 0);
    assert.equal(r.what, `${g.claims.length} claims, ${g.edges.length} edges`);
  });

  it('aif: AIF JSON, counted in nodes; three nodes per claim at least', () => {
    const json = JSON.parse(GRAPH_FORMATS.json!.render(arc.db, { thread: V3 }).text) as { claims: unknown[] };
    const r = GRAPH_FORMATS.aif!.render(arc.db, { thread: V3 });
    const doc = JSON.parse(r.text) as { nodes: unknown[] };
    assert.equal(r.what, `${doc.nodes.length} AIF nodes`);
    assert.ok(doc.nodes.length >= 3 * json.claims.length);
  });

  it('argdown: one statement line per exported claim', () => {
    const json = JSON.parse(GRAPH_FORMATS.json!.render(arc.db, { thread: V3 }).text) as { claims: unknown[] };
    const r = GRAPH_FORMATS.argdown!.render(arc.db, { thread: V3 });
    const statements = r.text.split('\n').filter((l) => /^\[[^\]]+\]: /.test(l));
    assert.equal(statements.length, json.claims.length);
    assert.equal(r.what, `${json.claims.length} statements`);
  });
});
