/**
 * Argument facets of a message, for the search operators `type:`, `status:`, `stance:` and
 * `topic:`. One module computes them for both the site's lunr index and `argmap search`, so the
 * same query finds the same messages in both.
 *
 * Sources, each used when present:
 * - the argument graph (migration 2): claim stances, objection status, claim topics;
 * - decision records: the message that raised an objection is `type:objection` with the record's
 *   status; the messages that settled it are `type:response`;
 * - the archive itself: patch postings, cover letters, RFCs, reverts, review trailers;
 * - until the graph's topics exist, topics are the cgroup memory files and a few subjects named
 *   in the subject or own text.
 */
import type { Db } from '../store/db.ts';
import type { DecisionRecord } from '../decisions/record.ts';
import type { FacetField } from './query.ts';
import { ownText } from '../mail/owntext.ts';

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

/** cgroup v2 memory files: a mention makes the file a topic of the message. */
const MEMORY_FILES =
  /\bmemory\.(reclaim|high|max|low|min|current|peak|stat|numa_stat|events|events\.local|pressure|oom\.group|swap\.(?:current|high|max|peak|events)|zswap\.(?:current|max|writeback))\b/gi;
const KEYWORDS: [RegExp, string][] = [
  [/\bzswap\b/i, 'zswap'],
  [/\bswappiness\b/i, 'swappiness'],
  [/\bnodes=/i, 'nodes='],
  [/\bkswapd\b/i, 'kswapd'],
  [/\b(mglru|lru_gen|multi-gen lru)\b/i, 'MGLRU'],
  [/\bdemot(e|ion|ed)\b/i, 'demotion/tiering'],
  [/\bproactive(ly)? reclaim/i, 'proactive reclaim'],
  [/\bpsi\b|\bpressure stall/i, 'PSI'],
  [/\bdrop_caches\b/i, 'drop_caches'],
  [/\bvmpressure\b/i, 'vmpressure'],
];

/** Topics named in a text (the fallback before the graph's topics exist). */
export function textTopics(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(MEMORY_FILES)) out.add('memory.' + m[1]!.toLowerCase());
  for (const [re, t] of KEYWORDS) if (re.test(text)) out.add(t);
  return [...out];
}

function tableExists(db: Db, name: string): boolean {
  return Boolean(
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')").get(name),
  );
}

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
  /** Whether topics come from the graph (else from {@link textTopics}). */
  readonly graphTopics: boolean;
  readonly graph: boolean;

  constructor(db: Db, records: DecisionRecord[] = []) {
    this.graph = tableExists(db, 'claim_rows');
    if (this.graph) {
      for (const r of db
        .prepare("SELECT message_id AS m, stance FROM claim_rows WHERE stance <> 'neutral'")
        .all() as { m: number; stance: string }[]) {
        push(this.stance, r.m, r.stance);
        const t = STANCE_TYPE[r.stance];
        if (t) push(this.types, r.m, t);
      }
      if (tableExists(db, 'objections'))
        for (const r of db
          .prepare(
            'SELECT c.message_id AS m, o.status FROM objections o JOIN claim_rows c ON c.id = o.claim_id',
          )
          .all() as { m: number; status: string }[])
          push(this.status, r.m, r.status);
    }
    this.graphTopics = this.graph && tableExists(db, 'claim_topics');
    if (this.graphTopics)
      for (const r of db
        .prepare(
          'SELECT DISTINCT c.message_id AS m, t.topic FROM claim_topics t JOIN claim_rows c ON c.id = t.claim_id',
        )
        .all() as { m: number; topic: string }[])
        push(this.topics, r.m, r.topic.toLowerCase());
    // Decision records: who raised each objection, how it ended, which replies settled it.
    const byMid = db.prepare('SELECT id FROM messages WHERE message_id = ?');
    const rowOf = (mid: string): number | undefined => (byMid.get(mid) as { id: number } | undefined)?.id;
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
    for (const r of db
      .prepare(
        `SELECT s.message_id AS m, s.is_patch AS patch, s.is_reply AS reply, s.is_rfc AS rfc, s.counter, s.expected, s.title
         FROM subjects s`,
      )
      .all() as {
      m: number;
      patch: number;
      reply: number;
      rfc: number;
      counter: number;
      expected: number;
      title: string;
    }[]) {
      if (r.reply) {
        push(this.types, r.m, 'reply');
        continue;
      }
      if (r.patch) push(this.types, r.m, r.counter === 0 && r.expected > 0 ? 'cover' : 'patch');
      if (r.rfc) push(this.types, r.m, 'rfc');
      if (/^revert\b/i.test(r.title)) push(this.types, r.m, 'revert');
    }
    for (const r of db
      .prepare(
        `SELECT t.message_id AS m, lower(t.name) AS name FROM trailers t JOIN messages m ON m.id = t.message_id
         WHERE t.person_id IS NOT NULL AND t.person_id = m.author_id
           AND lower(t.name) IN ('acked-by', 'reviewed-by', 'tested-by', 'nacked-by')`,
      )
      .all() as { m: number; name: string }[]) {
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
  members(db: Db, field: FacetField, value: string): Set<number> {
    const out = new Set<number>();
    if (field === 'topic' && !this.graphTopics) {
      // Fallback topics come from the text: scan it (the CLI pays this once per query).
      for (const r of db
        .prepare('SELECT id, subject, body FROM messages WHERE is_ghost = 0')
        .iterate() as IterableIterator<{ id: number; subject: string | null; body: string | null }>) {
        if (this.of(r.id, r.subject, ownText(r.body ?? '')).topic.includes(value)) out.add(r.id);
      }
      return out;
    }
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

  /** The facets of one message (`ownText` and `subject` feed the fallback topics). */
  of(messageRowId: number, subject: string | null, ownText: string): FacetValues {
    const topics = this.graphTopics
      ? [...(this.topics.get(messageRowId) ?? [])]
      : textTopics(`${subject ?? ''}\n${ownText}`).map((t) => t.toLowerCase());
    return {
      type: [...(this.types.get(messageRowId) ?? [])].sort(),
      status: [...(this.status.get(messageRowId) ?? [])].sort(),
      stance: [...(this.stance.get(messageRowId) ?? [])].sort(),
      topic: topics.sort(),
    };
  }
}
