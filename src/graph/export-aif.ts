/**
 * AIF export in the JSON form AIFdb and OVA read (`nodes`, `edges`, `locutions`, `participants`),
 * with the Inference Anchoring Theory dialogue layer:
 *  - every claim is an I-node (the proposition) and an L-node (the locution "Author: text"),
 *    joined by a YA node (Asserting, Questioning, Challenging, Conceding, Agreeing, …);
 *  - every reply edge is a TA node (Default Transition) from the earlier locution to the reply,
 *    and, when the relation is propositional, an S-node between the two I-nodes:
 *    CA (Default Conflict) for objects-to / nacks / proposes-alternative, RA (Default Inference)
 *    for supports / acks / answers / concedes / implements, MA (Default Rephrase) for supersedes;
 *    a YA node anchors the S-node in the transition (Disagreeing, Agreeing, Arguing, Restating).
 * asks and responds-to edges are transitions only: a question asserts no proposition relation.
 */
import type { GraphExport } from './export-json.ts';

interface AifNode {
  nodeID: string;
  text: string;
  type: 'I' | 'L' | 'RA' | 'CA' | 'MA' | 'YA' | 'TA';
  timestamp: string;
}

interface AifEdge {
  edgeID: string;
  fromID: string;
  toID: string;
  formEdgeID: null;
}

export interface AifDocument {
  nodes: AifNode[];
  edges: AifEdge[];
  locutions: {
    nodeID: string;
    personID: string;
    timestamp: string;
    start: null;
    end: null;
    source: string;
  }[];
  participants: { participantID: string; firstname: string; surname: string }[];
}

const ILLOCUTION: Record<string, string> = {
  proposes: 'Asserting',
  'proposes-alternative': 'Asserting',
  'objects-to': 'Challenging',
  supports: 'Agreeing',
  asks: 'Pure Questioning',
  answers: 'Asserting',
  concedes: 'Conceding',
  acks: 'Agreeing',
  nacks: 'Disagreeing',
  neutral: 'Asserting',
};

const S_NODE: Record<string, { type: 'RA' | 'CA' | 'MA'; text: string; anchor: string }> = {
  'objects-to': { type: 'CA', text: 'Default Conflict', anchor: 'Disagreeing' },
  nacks: { type: 'CA', text: 'Default Conflict', anchor: 'Disagreeing' },
  'proposes-alternative': { type: 'CA', text: 'Default Conflict', anchor: 'Disagreeing' },
  supports: { type: 'RA', text: 'Default Inference', anchor: 'Agreeing' },
  acks: { type: 'RA', text: 'Default Inference', anchor: 'Agreeing' },
  answers: { type: 'RA', text: 'Default Inference', anchor: 'Arguing' },
  concedes: { type: 'RA', text: 'Default Inference', anchor: 'Agreeing' },
  implements: { type: 'RA', text: 'Default Inference', anchor: 'Arguing' },
  supersedes: { type: 'MA', text: 'Default Rephrase', anchor: 'Restating' },
};

/** Convert an exported graph to AIF JSON. */
export function toAif(g: GraphExport): AifDocument {
  const doc: AifDocument = { nodes: [], edges: [], locutions: [], participants: [] };
  let next = 1;
  const id = (): string => String(next++);
  const edge = (from: string, to: string): void => {
    doc.edges.push({ edgeID: id(), fromID: from, toID: to, formEdgeID: null });
  };
  const people = new Map<string, string>();
  const iNode = new Map<string, string>();
  const lNode = new Map<string, string>();
  const ts = (d: string | null): string => (d ?? '').replace('T', ' ').replace('Z', '');
  for (const c of g.claims) {
    const who = c.author ?? 'Unknown';
    let pid = people.get(who);
    if (!pid) {
      pid = String(people.size + 1);
      people.set(who, pid);
      const parts = who.split(' ');
      doc.participants.push({
        participantID: pid,
        firstname: parts[0] ?? who,
        surname: parts.slice(1).join(' '),
      });
    }
    const text = c.text.replace(/\s+/g, ' ').trim();
    const i = id();
    doc.nodes.push({ nodeID: i, text, type: 'I', timestamp: ts(c.date) });
    const l = id();
    doc.nodes.push({ nodeID: l, text: `${who} : ${text}`, type: 'L', timestamp: ts(c.date) });
    doc.locutions.push({
      nodeID: l,
      personID: pid,
      timestamp: ts(c.date),
      start: null,
      end: null,
      source: c.key,
    });
    const ya = id();
    doc.nodes.push({
      nodeID: ya,
      text: ILLOCUTION[c.stance] ?? 'Asserting',
      type: 'YA',
      timestamp: ts(c.date),
    });
    edge(l, ya);
    edge(ya, i);
    iNode.set(c.key, i);
    lNode.set(c.key, l);
  }
  for (const e of g.edges) {
    const fromI = iNode.get(e.from);
    const toI = iNode.get(e.to);
    const fromL = lNode.get(e.from);
    const toL = lNode.get(e.to);
    if (!fromI || !toI || !fromL || !toL) continue;
    // dialogue: the earlier locution (to) is answered by the reply (from)
    const ta = id();
    doc.nodes.push({ nodeID: ta, text: 'Default Transition', type: 'TA', timestamp: '' });
    edge(toL, ta);
    edge(ta, fromL);
    const s = S_NODE[e.relation];
    if (!s) continue;
    const sn = id();
    doc.nodes.push({ nodeID: sn, text: s.text, type: s.type, timestamp: '' });
    // the reply's proposition bears on the earlier one
    edge(fromI, sn);
    edge(sn, toI);
    const ya = id();
    doc.nodes.push({ nodeID: ya, text: s.anchor, type: 'YA', timestamp: '' });
    edge(ta, ya);
    edge(ya, sn);
  }
  return doc;
}
