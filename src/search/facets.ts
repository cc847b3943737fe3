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
import {
  messageObjectionStatuses,
  messageStances,
  messagesWithObjectionStatus,
  messagesWithStance,
  messagesWithTopic,
  messageTopics,
} from '../graph/query.ts';
import {
  messageRowIds,
  messagesWithOwnReviewTrailer,
  messagesWithSubjectKind,
  ownReviewTrailers,
  subjectFacetRows,
  type SubjectKind,
} from '../store/search-tables.ts';

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

/** What a search needs of facets: the messages that carry one `field:value`. */
export interface FacetSource {
  members(field: FacetField, value: string): Set<number>;
}

/** The review trailer behind each review `type:`. */
const TRAILER_TYPE: Record<string, string> = {
  ack: 'acked-by',
  review: 'reviewed-by',
  tested: 'tested-by',
  nack: 'nacked-by',
};

/** The decision records' facets: few messages, so held in memory (types and statuses by value). */
function recordFacets(
  db: Db,
  records: DecisionRecord[],
): { types: Map<string, Set<number>>; status: Map<string, Set<number>> } {
  const types = new Map<string, Set<number>>();
  const status = new Map<string, Set<number>>();
  const add = (m: Map<string, Set<number>>, v: string, id: number): void => {
    const s = m.get(v);
    if (s) s.add(id);
    else m.set(v, new Set([id]));
  };
  const rowOf = messageRowIds(db);
  for (const rec of records) {
    for (const o of rec.objections) {
      const st = (o.status ?? 'open').replace(/^addressed in v\d+$/, 'addressed');
      for (const m of (o.raisedBy ?? '').matchAll(/\[msg:([^\]\s#]+)/g)) {
        const id = rowOf(m[1]!);
        if (id === undefined) continue;
        add(types, 'objection', id);
        add(status, st, id);
      }
      for (const s of o.settledBy) {
        const id = rowOf(s.target);
        if (id !== undefined) add(types, 'response', id);
      }
    }
    const msgs = rec.meta.messages;
    for (const mid of Array.isArray(msgs) ? msgs : []) {
      const id = rowOf(mid);
      if (id !== undefined) add(types, 'proposal', id);
    }
  }
  return { types, status };
}

/** Facet member sets kept by a {@link FacetQuery}, at most. */
export const FACET_CACHE_ENTRIES = 64;

/**
 * Facets answered one `field:value` at a time from the archive's indexes, for hosts that search
 * a big archive for a long time (the CLI and `serve --db`): memory grows with what a query asks
 * for, not with the archive, where {@link Facets} holds every message's facets (the site build
 * needs those). The same sets as {@link Facets.members}: test/search/facets.test.ts compares them
 * for every value of its fixture archive.
 */
export class FacetQuery implements FacetSource {
  private readonly records: { types: Map<string, Set<number>>; status: Map<string, Set<number>> };
  private readonly cache = new Map<string, Set<number>>();
  private readonly minConfidence: number;

  constructor(
    private readonly db: Db,
    records: DecisionRecord[] = [],
    opts: { minConfidence?: number } = {},
  ) {
    this.records = recordFacets(db, records);
    this.minConfidence = opts.minConfidence ?? 0;
  }

  members(field: FacetField, value: string): Set<number> {
    const key = `${field}:${value}`;
    let s = this.cache.get(key);
    if (!s) {
      if (this.cache.size >= FACET_CACHE_ENTRIES) this.cache.clear();
      this.cache.set(key, (s = this.compute(field, value)));
    }
    return s;
  }

  private compute(field: FacetField, value: string): Set<number> {
    const stanceOf = (stance: string): number[] =>
      stance === 'neutral' ? [] : messagesWithStance(this.db, stance, this.minConfidence);
    if (field === 'stance') return new Set(stanceOf(value));
    if (field === 'topic') return new Set(messagesWithTopic(this.db, value));
    if (field === 'status')
      return new Set([
        ...messagesWithObjectionStatus(this.db, value),
        ...(this.records.status.get(value) ?? []),
      ]);
    // type: from stances, the records, subjects and review trailers
    const out = new Set<number>(this.records.types.get(value) ?? []);
    for (const [stance, type] of Object.entries(STANCE_TYPE))
      if (type === value) for (const m of stanceOf(stance)) out.add(m);
    if (['reply', 'patch', 'cover', 'rfc', 'revert'].includes(value))
      for (const r of messagesWithSubjectKind(this.db, value as SubjectKind))
        if (value !== 'revert' || /^revert\b/i.test(r.title)) out.add(r.m);
    const trailer = TRAILER_TYPE[value];
    if (trailer) for (const m of messagesWithOwnReviewTrailer(this.db, trailer)) out.add(m);
    return out;
  }
}

/** Facet lookups for a whole archive, loaded once (bulk queries, then maps). */
export class Facets implements FacetSource {
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
    const rec = recordFacets(db, records);
    for (const [v, ids] of rec.types) for (const id of ids) push(this.types, id, v);
    for (const [v, ids] of rec.status) for (const id of ids) push(this.status, id, v);
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
    const typeOfTrailer = new Map(Object.entries(TRAILER_TYPE).map(([type, name]) => [name, type]));
    for (const r of ownReviewTrailers(db)) push(this.types, r.m, typeOfTrailer.get(r.name) ?? 'tested');
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
