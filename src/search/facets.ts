/**
 * Argument facets of a message, for the search operators `type:`, `status:`, `stance:` and
 * `topic:`. One module computes them for both the site's lunr index and `argmap search`, so the
 * same query finds the same messages in both.
 *
 * Sources:
 * - the argument graph: claim stances, objection status, claim topics (src/graph/query.ts);
 * - decision records: the message that raised an objection is `type:objection` with the record's
 *   status; the messages that settled it are `type:response`;
 * - the archive itself: patch postings, cover letters, RFCs, reverts, review trailers
 *   (src/store/search-tables.ts).
 */
import type { Db } from '../store/db.ts';
import type { DecisionRecord } from '../decisions/record.ts';
import type { FacetField } from './query.ts';
import { messageObjectionStatuses, messageStances, messageTopics } from '../graph/query.ts';
import { messageRowIds, ownReviewTrailers, subjectFacetRows } from '../store/search-tables.ts';

export type FacetValues = Record<FacetField, string[]>;

/** Stance (graph vocabulary) → the `type:` it implies. */
const STANCE_TYPE: Record<string, string> = {
  proposes: 'proposal',
  'proposes-alternative': 'alternative',
  'objects-to': 'objection',
  supports: 'support',
  asks: 'question',
  answers: 'answer',
  concedes: 'concession',
  acks: 'ack',
  nacks: 'nack',
};

function push(map: Map<number, Set<string>>, id: number, v: string): void {
  const s = map.get(id);
  if (s) s.add(v);
  else map.set(id, new Set([v]));
}

/** Facet lookups for a whole archive, loaded once (bulk queries, then maps). */
export class Facets {
  private stance = new Map<number, Set<string>>();
  private status = new Map<number, Set<string>>();
  private topics = new Map<number, Set<string>>();
  private types = new Map<number, Set<string>>();

  /**
   * `minConfidence`: stance facets count only claims at least this sure; decision records are
   * checked by hand and always count.
   */
  constructor(db: Db, records: DecisionRecord[] = [], opts: { minConfidence?: number } = {}) {
    for (const r of messageStances(db, opts.minConfidence ?? 0)) {
      push(this.stance, r.m, r.v);
      const t = STANCE_TYPE[r.v];
      if (t) push(this.types, r.m, t);
    }
    for (const r of messageObjectionStatuses(db)) push(this.status, r.m, r.v);
    for (const r of messageTopics(db)) push(this.topics, r.m, r.v.toLowerCase());
    // Decision records: who raised each objection, how it ended, which replies settled it.
    const rowOf = messageRowIds(db);
    for (const rec of records) {
      for (const o of rec.objections) {
        const st = (o.status ?? 'open').replace(/^addressed in v\d+$/, 'addressed');
        for (const m of (o.raisedBy ?? '').matchAll(/\[msg:([^\]\s#]+)/g)) {
          const id = rowOf(m[1]!);
          if (id === undefined) continue;
          push(this.types, id, 'objection');
          push(this.status, id, st);
        }
        for (const s of o.settledBy) {
          const id = rowOf(s.target);
          if (id !== undefined) push(this.types, id, 'response');
        }
      }
      const msgs = rec.meta.messages;
      for (const mid of Array.isArray(msgs) ? msgs : []) {
        const id = rowOf(mid);
        if (id !== undefined) push(this.types, id, 'proposal');
      }
    }
    // The archive: postings and review trailers.
    for (const r of subjectFacetRows(db)) {
      if (r.reply) {
        push(this.types, r.m, 'reply');
        continue;
      }
      if (r.patch) push(this.types, r.m, r.counter === 0 && r.expected > 0 ? 'cover' : 'patch');
      if (r.rfc) push(this.types, r.m, 'rfc');
      if (/^revert\b/i.test(r.title)) push(this.types, r.m, 'revert');
    }
    for (const r of ownReviewTrailers(db)) {
      const t =
        r.name === 'nacked-by'
          ? 'nack'
          : r.name === 'acked-by'
            ? 'ack'
            : r.name === 'reviewed-by'
              ? 'review'
              : 'tested';
      push(this.types, r.m, t);
    }
  }

  /** Every message (row id) that carries `field:value` (value as {@link facetTerm} gives it). */
  members(field: FacetField, value: string): Set<number> {
    const out = new Set<number>();
    const map =
      field === 'type'
        ? this.types
        : field === 'status'
          ? this.status
          : field === 'stance'
            ? this.stance
            : this.topics;
    for (const [id, vals] of map) if (vals.has(value)) out.add(id);
    return out;
  }

  /** The facets of one message. */
  of(messageRowId: number): FacetValues {
    const topics = [...(this.topics.get(messageRowId) ?? [])];
    return {
      type: [...(this.types.get(messageRowId) ?? [])].sort(),
      status: [...(this.status.get(messageRowId) ?? [])].sort(),
      stance: [...(this.stance.get(messageRowId) ?? [])].sort(),
      topic: topics.sort(),
    };
  }
}
