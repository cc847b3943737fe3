/**
 * How search ranks, apart from BM25 itself: which words of a query are optional, how a message's
 * substance weighs, and which decision records answer a query. One module so that the CLI (over
 * FTS5) and any other host rank by the same rules. The three weights were chosen on the tune half
 * of the judged set only (docs/benchmarks.md, "Search quality"); the test half was never used to
 * choose.
 *
 * The rules, each answering a failure seen on the judged query set (data/eval/QUERIES.md):
 * - **Stop words are optional.** "why was memory.reclaim merged" must not require "why" and
 *   "was"; a stop word still counts when it is all the query has, or with a field (`b:why`).
 * - **A reply's subject is inherited.** "Re: [PATCH] memory.reclaim" says nothing about what the
 *   reply's writer wrote, so subject matches weigh far less in replies than in postings.
 * - **Substance.** BM25 favours short documents, so "+1", "Thanks." and a message that only
 *   quotes outranked the patches they answer. A message's score is scaled by a prior that grows
 *   with the number of words its writer wrote (own text), reaching 1 at {@link FULL_WEIGHT_WORDS}.
 * - **Discussion.** A posting that drew many direct replies is one people argued about; the
 *   score grows by {@link DISCUSSION_WEIGHT} per doubling of direct replies.
 * - **Partial matches after full ones.** When fewer messages than asked for hold every word, the
 *   rest of the list is filled with messages that miss one word (of three or more), marked partial.
 * - **Decision records first.** A record whose title and summary hold every word of a plain-word
 *   query is the curated answer to it, and leads the results.
 */
import type { DecisionRecord } from '../decisions/record.ts';
import { isFacet, type Clause, type ParsedQuery, type Term } from './query.ts';

/**
 * English function words that a question carries and a reviewer's mail does not need to: optional
 * in a query. `not`/`no` are in on purpose ("why not memory.high" is about memory.high).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or of to in on at by for from with as is are was were be been being it its this that these those ' +
    'there here what which who whom whose why how when where do does did done can could should would will shall may might ' +
    'must i we you they he she me us them my our your their not no so than then if about into over'
  ).split(' '),
);

/** Own-text words at which a message's substance prior reaches 1. */
export const FULL_WEIGHT_WORDS = 100;
/**
 * BM25 weights of the subject, author and own-text columns, for postings and for replies (whose
 * subject is inherited). The static site's index bakes the same weights into its scores
 * (src/search/index-build.ts).
 */
export const COLUMN_WEIGHTS = {
  posting: { subject: 3, author: 2, body: 1 },
  reply: { subject: 0.5, author: 2, body: 1 },
} as const;
const asBm25 = (w: { subject: number; author: number; body: number }): string =>
  [w.subject, w.author, w.body].map((x) => x.toFixed(1)).join(', ');
/** {@link COLUMN_WEIGHTS} as FTS5's bm25() takes them. */
export const POSTING_WEIGHTS = asBm25(COLUMN_WEIGHTS.posting);
export const REPLY_WEIGHTS = asBm25(COLUMN_WEIGHTS.reply);
/** Messages (best first by BM25) that the substance prior re-ranks; the rest keep BM25 order. */
export const RERANK_DEPTH = 400;
/** Decision records shown ahead of the messages, at most. */
export const MAX_RECORDS = 3;

/** A plain word clause: one unquoted, unprefixed word in any field, not negated. */
export function isPlainWord(c: Clause): boolean {
  if (c.negate || c.alternatives.length !== 1) return false;
  const a = c.alternatives[0]!;
  return !isFacet(a) && a.field === 'any' && !a.phrase && !a.prefix;
}

/**
 * The positive clauses a message must satisfy: every clause except plain stop words, unless the
 * query has nothing else to hold on to.
 */
export function requiredClauses(q: ParsedQuery): { required: Clause[]; optional: Clause[] } {
  const positive = q.clauses.filter((c) => !c.negate);
  const isStop = (c: Clause): boolean => isPlainWord(c) && STOP_WORDS.has((c.alternatives[0] as Term).text);
  const required = positive.filter((c) => !isStop(c));
  if (!required.length && !q.date) return { required: positive, optional: [] };
  return { required, optional: positive.filter(isStop) };
}

/** How many required plain-word clauses a partial match may miss (one, when there are three or more). */
export function allowedMisses(required: Clause[]): number {
  return required.filter(isPlainWord).length >= 3 ? 1 : 0;
}

/**
 * The two priors together: what a message's BM25 score is multiplied by (the CLI over its top
 * RERANK_DEPTH, the static site baked into every score of the message).
 */
export function messagePrior(ownText: string, replies: number): number {
  return substance(wordCount(ownText)) * discussion(replies);
}

/** The substance prior of a message with `words` words of own text, in (0, 1]. */
export function substance(words: number): number {
  return Math.sqrt(Math.min(1, (words + 1) / FULL_WEIGHT_WORDS));
}

/** Weight of the discussion prior per doubling of direct replies. */
export const DISCUSSION_WEIGHT = 0.2;

/** The discussion prior of a message that `replies` messages answer directly, at least 1. */
export function discussion(replies: number): number {
  return 1 + DISCUSSION_WEIGHT * Math.log2(1 + replies);
}

/** Words in a text, as the prior counts them (runs of letters, digits and the code characters). */
export function wordCount(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const w = c > 32 && c !== 0x3e; // not space/control, not a quote marker
    if (w && !inWord) n++;
    inWord = w;
  }
  return n;
}

/** A decision record that answers a query. */
export interface RecordHit {
  slug: string;
  title: string;
  summary: string;
  status: string;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}._/+=-]*[\p{L}\p{N}=]|[\p{L}\p{N}]/gu;

/** The words of a text as record matching compares them: lower case, suffixes folded. */
function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map(fold);
}

/**
 * A light suffix fold, so that "revert" finds "reverted" and "merge" finds "merged" as FTS5's
 * porter stemmer lets them in messages: -ing, -ed, -es, -s (not -ss), then a final -e.
 */
function fold(w: string): string {
  if (!/^[a-z]+$/.test(w) || w.length < 4) return w;
  let s = w;
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('es') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss')) s = s.slice(0, -1);
  return s.endsWith('e') && s.length > 3 ? s.slice(0, -1) : s;
}

/**
 * Decision records whose title, summary and status hold every required word of a plain-word
 * query, best first: more words in the title or status, then the earlier the first one stands. Queries
 * with operators or facets are about messages and match no record.
 */
export function matchRecords(
  q: ParsedQuery,
  records: readonly Pick<DecisionRecord, 'slug' | 'meta'>[],
): RecordHit[] {
  if (q.date || q.clauses.some((c) => !c.negate && !isPlainWord(c))) return [];
  const { required } = requiredClauses(q);
  const wanted = required.map((c) => fold((c.alternatives[0] as Term).text));
  if (!wanted.length) return [];
  const hits: { hit: RecordHit; inTitle: number; first: number }[] = [];
  for (const r of records) {
    const title = String(r.meta.title ?? r.slug);
    const summary = String(r.meta.summary ?? '');
    const status = String(r.meta.status ?? '');
    const t = words(title);
    const st = words(status);
    const all = new Set([...t, ...words(summary), ...st]);
    if (!wanted.every((w) => all.has(w))) continue;
    // The status reads with the title ("merged: memory.reclaim …"): a word in it counts as a title word.
    const positions = wanted.map((w) => (st.includes(w) ? 0 : t.indexOf(w))).filter((i) => i >= 0);
    hits.push({
      hit: { slug: r.slug, title, summary, status },
      inTitle: positions.length,
      first: positions.length ? Math.min(...positions) : Infinity,
    });
  }
  hits.sort((a, b) => b.inTitle - a.inTitle || a.first - b.first || a.hit.slug.localeCompare(b.hit.slug));
  return hits.slice(0, MAX_RECORDS).map((h) => h.hit);
}
