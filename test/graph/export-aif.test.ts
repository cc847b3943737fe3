// toAif (src/graph/export-aif.ts) on a hand-written graph (test/helpers/small-graph.ts). Node ids
// are handed out in order; the expected nodes and edges were written by hand from the IAT scheme
// in the module's comment (I + L + YA per claim; TA per reply, with an S-node and its YA anchor
// when the relation is propositional).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toAif } from '../../src/graph/export-aif.ts';
import { SMALL_GRAPH } from '../helpers/small-graph.ts';

describe('toAif', () => {
  const doc = toAif(SMALL_GRAPH);
  const node = (id: string): [string, string] => {
    const n = doc.nodes.find((x) => x.nodeID === id)!;
    return [n.type, n.text];
  };

  it('makes an I-, L- and YA-node per claim, with its illocution', () => {
    assert.deepEqual(['1', '2', '3', '6', '7', '8', '11', '12', '13'].map(node), [
      ['I', 'Throttle allocators over memory.high.'],
      ['L', 'Chris Down : Throttle allocators over memory.high.'],
      ['YA', 'Asserting'],
      ['I', '- This is wrong'],
      ['L', 'Michal Hocko : - This is wrong'],
      ['YA', 'Challenging'],
      ['I', 'Why [now]?'],
      ['L', 'Unknown : Why [now]?'],
      ['YA', 'Pure Questioning'],
    ]);
    assert.equal(doc.nodes.find((n) => n.nodeID === '1')!.timestamp, '2019-05-01 18:41:04');
    assert.equal(doc.nodes.find((n) => n.nodeID === '11')!.timestamp, '');
    // L → YA → I
    assert.deepEqual(
      doc.edges.filter((e) => ['4', '5'].includes(e.edgeID)).map((e) => [e.fromID, e.toID]),
      [
        ['2', '3'],
        ['3', '1'],
      ],
    );
  });

  it('names each author once as a participant, split into first name and surname', () => {
    assert.deepEqual(doc.participants, [
      { participantID: '1', firstname: 'Chris', surname: 'Down' },
      { participantID: '2', firstname: 'Michal', surname: 'Hocko' },
      { participantID: '3', firstname: 'Unknown', surname: '' },
    ]);
    assert.deepEqual(
      doc.locutions.map((l) => [l.nodeID, l.personID, l.source]),
      [
        ['2', '1', 'a@x#p1'],
        ['7', '2', 'b@x#p1'],
        ['12', '3', 'b@x#p2'],
      ],
    );
  });

  it('turns an objection into TA + CA, a question into TA only, support into TA + RA; drops dangling edges', () => {
    const types = doc.nodes.slice(9).map((n) => [n.type, n.text]);
    assert.deepEqual(types, [
      ['TA', 'Default Transition'],
      ['CA', 'Default Conflict'],
      ['YA', 'Disagreeing'],
      ['TA', 'Default Transition'],
      ['TA', 'Default Transition'],
      ['RA', 'Default Inference'],
      ['YA', 'Agreeing'],
    ]);
    const byText = (t: string): string => doc.nodes.find((n) => n.type === t)!.nodeID;
    const ca = byText('CA');
    const edges = doc.edges.map((e) => [e.fromID, e.toID]);
    // objection b#p1 → a#p1: earlier L (2) → TA → reply L (7); reply I (6) → CA → earlier I (1)
    const ta = doc.nodes[9]!.nodeID;
    for (const e of [
      ['2', ta],
      [ta, '7'],
      ['6', ca],
      [ca, '1'],
    ])
      assert.ok(
        edges.some((x) => x[0] === e[0] && x[1] === e[1]),
        e.join(' → '),
      );
    assert.equal(
      doc.nodes.filter((n) => n.type === 'TA').length,
      3,
      'the edge to a claim outside the graph is left out',
    );
    const ids = new Set(doc.nodes.map((n) => n.nodeID));
    for (const e of doc.edges) assert.ok(ids.has(e.fromID) && ids.has(e.toID), e.edgeID);
  });
});
