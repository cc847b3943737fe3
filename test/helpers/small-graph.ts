/**
 * A three-claim exported graph written by hand, for the exporters' own tests (export-aif,
 * export-argdown): Michal Hocko objects to a proposal of Chris Down's; Johannes Weiner asks about
 * it and supports the objection. Expected outputs in those tests are written from this by hand.
 */
import type { ExportClaim, GraphExport } from '../../src/graph/export-json.ts';

function claim(
  p: Partial<ExportClaim> & Pick<ExportClaim, 'key' | 'messageId' | 'n' | 'text' | 'stance'>,
): ExportClaim {
  return {
    kind: 'para',
    author: null,
    authorId: null,
    date: null,
    ruleStance: p.stance,
    stanceReason: 'test',
    stanceSource: 'rules',
    confidence: 1,
    altStance: null,
    altP: null,
    subject: null,
    status: null,
    statusEvidence: null,
    topics: [],
    ...p,
  };
}

export const SMALL_GRAPH: GraphExport = {
  format: 'argmap-graph',
  version: 1,
  scope: { kind: 'thread', id: '7', title: '[PATCH] mm: throttle' },
  claims: [
    claim({
      key: 'a@x#p1',
      messageId: 'a@x',
      n: 1,
      author: 'Chris Down',
      date: '2019-05-01T18:41:04Z',
      text: '  Throttle allocators\n  over memory.high. ',
      stance: 'proposes',
      topics: ['memory.high'],
    }),
    claim({
      key: 'b@x#p1',
      messageId: 'b@x',
      n: 1,
      author: 'Michal Hocko',
      date: '2019-05-07T08:44:19Z',
      text: '- This is wrong',
      stance: 'objects-to',
      status: 'open',
    }),
    claim({
      key: 'b@x#p2',
      messageId: 'b@x',
      n: 2,
      author: null,
      date: null,
      text: 'Why [now]?',
      stance: 'asks',
    }),
  ],
  edges: [
    { from: 'b@x#p1', to: 'a@x#p1', relation: 'objects-to', evidence: 'quote' },
    { from: 'b@x#p2', to: 'a@x#p1', relation: 'asks', evidence: null },
    { from: 'b@x#p2', to: 'b@x#p1', relation: 'supports', evidence: null },
    { from: 'b@x#p2', to: 'gone@x#p1', relation: 'supports', evidence: null },
  ],
  series: null,
};
