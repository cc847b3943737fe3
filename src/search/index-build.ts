/**
 * Builds the site's search index: a lunr index over every message's own text, split into
 * term shards plus document chunks, so that one query loads only the shards that hold its terms
 * and the chunks that hold its top results.
 *
 * Why not lunr.Builder, and why shards by term rather than by year: a lunr index of the whole
 * 36k-message archive is tens of MB gzipped, and lunr.Builder needs ~1.5 GB of heap for it.
 * Sharding by year would still make every query load every year. So this builder computes exactly
 * what lunr.Builder computes (same terms, same `_index` order, same BM25 field vectors rounded to
 * 3 decimals; test/search/index-build.test.ts checks it against lunr.Builder) with compact typed
 * arrays, then cuts the sorted term list into shards. The browser scores straight from the shards
 * it loaded (./engine.ts).
 *
 * Each term shard has a position file for the same terms: where in the subject, author and own
 * text each posting's occurrences are, for exact phrases. A position file is loaded only by a
 * query with a phrase, so words-only queries download what they did before positions existed.
 */
import { indexTerms, PIPELINE_LABELS } from './lunr-setup.ts';
import type { FacetValues } from './facets.ts';
import { COLUMN_WEIGHTS } from './rank.ts';

/** Indexed fields, in lunr registration order. Facet fields hold exact values. */
export const FIELDS = ['subject', 'author', 'body', 'type', 'status', 'stance', 'topic'] as const;
export type Field = (typeof FIELDS)[number];
export const TEXT_FIELDS: readonly Field[] = ['subject', 'author', 'body'];
/** lunr field boosts: a posting's column weights (a reply's subject weighs {@link COLUMN_WEIGHTS}.reply.subject). */
export const FIELD_BOOST: Record<Field, number> = {
  ...COLUMN_WEIGHTS.posting,
  type: 1,
  status: 1,
  stance: 1,
  topic: 1,
};

/** lunr's BM25 parameters (defaults of lunr.Builder). */
const K1 = 1.2;
const B = 0.75;

/**
 * Own text indexed per message (characters). The whole own text: the search is about what was
 * said, and a word deep in a long review must be found. What bounds it is the body limit applied at
 * ingest (`MAX_BODY_CHARS`, src/util/limits.ts); the longest own text of the 36k-message archive is
 * 253k characters.
 */
export const INDEX_TEXT_CAP = Infinity;
/** Documents per document chunk file. */
export const CHUNK_SIZE = 10;
/** Target size of one term shard (bytes of JSON). */
export const SHARD_BYTES = 80_000;

export interface SearchDoc {
  /** Link target, relative to the site root (thread page + message anchor). */
  url: string;
  subject: string;
  author: string;
  /** Own text (quotes, diffs, signature and trailers removed), capped. */
  body: string;
  facets: FacetValues;
  date: string | null;
  /** The thread's subject and page. */
  thread: string;
  threadUrl: string;
  messageId: string;
  /**
   * lunr's document boost: every score of the document is multiplied by it. The site passes the
   * CLI's message prior (src/search/rank.ts `messagePrior`), so both rank by substance and
   * discussion. Default 1.
   */
  boost?: number;
  /** The subject is a reply's ("Re: …", inherited): it weighs as in the CLI's replies. */
  reply?: boolean;
}

/** One stored document as the chunk files hold it. */
export type StoredDoc = [
  url: string,
  subject: string,
  author: string,
  date: string,
  thread: string,
  threadUrl: string,
  text: string,
  messageId: string,
];

export interface ShardInfo {
  /** First term of the shard (shards are contiguous ranges of the sorted term list). */
  first: string;
  file: string;
  terms: number;
  bytes: number;
  /** The shard's position file (absent in a site built before positions). */
  positions?: string;
  positionBytes?: number;
}

export interface Manifest {
  version: 1;
  docCount: number;
  fields: readonly Field[];
  pipeline: string[];
  shards: ShardInfo[];
  chunkSize: number;
  chunks: string[];
  /** Day number (days since 1970-01-01, UTC) of every document, delta-encoded; -1 for undated. */
  days: number[];
  /** The thread of every document, encoded by {@link encodeThreads} (for one result per thread). */
  threads: number[];
  /** The decision records a query can match (src/search/rank.ts `matchRecords`); absent before records were shown. */
  records?: ManifestRecord[];
  builtAt: string;
}

/** A decision record as the search page matches and shows it. */
export interface ManifestRecord {
  slug: string;
  /** Relative to the site root. */
  url: string;
  title: string;
  summary: string;
  status: string;
}

/** A term shard: `[term, termIndex, postings per field]`, postings `[docDelta, score×1000, …]`. */
export type ShardTerm = [term: string, index: number, ...postings: number[][]];

/**
 * A term's positions, in step with its {@link ShardTerm}: one array per text field (subject,
 * author, body), holding for each posting of that field, in posting order, the number of
 * occurrences and then their positions, the first absolute and the rest as deltas.
 */
export type PositionTerm = number[][];

/** Fields whose positions are kept (the first fields of {@link FIELDS}). */
export const POSITION_FIELDS = TEXT_FIELDS.length;

function growU32(a: Uint32Array, need: number): Uint32Array {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

function dayNumber(iso: string | null): number {
  if (!iso) return -1;
  const t = Date.parse(iso.slice(0, 10) + 'T00:00:00Z');
  return Number.isFinite(t) ? Math.floor(t / 86_400_000) : -1;
}

/** Incremental index builder: add documents in date order, then {@link IndexBuilder.finish}. */
export class IndexBuilder {
  private dict = new Map<string, number>();
  private termStrings: string[] = [];
  /** Per (doc, field) entry: start offset into termIds/tfs, and its field length. */
  private dfStart: Uint32Array = new Uint32Array(1 << 16);
  private dfLength: Uint32Array = new Uint32Array(1 << 16);
  private termIds: Uint32Array = new Uint32Array(1 << 20);
  private tfs: Uint32Array = new Uint32Array(1 << 20);
  private entries = 0;
  /** Per entry: where its positions start in `pos` (text fields; facet entries have none). */
  private posStart: Uint32Array = new Uint32Array(1 << 20);
  private pos: Uint32Array = new Uint32Array(1 << 22);
  private posLength = 0;
  private docs = 0;
  private fieldLengthSum = new Float64Array(FIELDS.length);
  private days: number[] = [];
  private threadOf = new Map<string, number>();
  private threads: number[] = [];
  private boosts: number[] = [];
  private replies: boolean[] = [];

  /** Add a document; returns its ref (0, 1, …). `onStored` receives the document as chunks store it. */
  add(doc: SearchDoc): number {
    const ref = this.docs++;
    this.days.push(dayNumber(doc.date));
    this.boosts.push(doc.boost ?? 1);
    this.replies.push(doc.reply === true);
    let t = this.threadOf.get(doc.threadUrl);
    if (t === undefined) this.threadOf.set(doc.threadUrl, (t = this.threadOf.size));
    this.threads.push(t);
    for (let f = 0; f < FIELDS.length; f++) {
      const field = FIELDS[f]!;
      const positions: number[] | undefined = f < POSITION_FIELDS ? [] : undefined;
      const terms = fieldTerms(field, doc, positions);
      const slot = ref * FIELDS.length + f;
      this.dfStart = growU32(this.dfStart, slot + 1);
      this.dfLength = growU32(this.dfLength, slot + 1);
      this.dfStart[slot] = this.entries;
      this.dfLength[slot] = terms.length;
      this.fieldLengthSum[f]! += terms.length;
      // Term frequencies in first-occurrence order (the order lunr.Builder meets them in).
      const tf = new Map<number, number>();
      const at = new Map<number, number[]>();
      for (let k = 0; k < terms.length; k++) {
        const t = terms[k]!;
        let id = this.dict.get(t);
        if (id === undefined) {
          id = this.termStrings.length;
          this.dict.set(t, id);
          this.termStrings.push(t);
        }
        tf.set(id, (tf.get(id) ?? 0) + 1);
        if (positions) {
          const list = at.get(id);
          if (list) list.push(positions[k]!);
          else at.set(id, [positions[k]!]);
        }
      }
      this.termIds = growU32(this.termIds, this.entries + tf.size);
      this.tfs = growU32(this.tfs, this.entries + tf.size);
      this.posStart = growU32(this.posStart, this.entries + tf.size);
      if (positions) this.pos = growU32(this.pos, this.posLength + terms.length);
      for (const [id, n] of tf) {
        this.termIds[this.entries] = id;
        this.tfs[this.entries] = n;
        this.posStart[this.entries] = this.posLength;
        if (positions) for (const p of at.get(id)!) this.pos[this.posLength++] = p;
        this.entries++;
      }
    }
    return ref;
  }

  get documentCount(): number {
    return this.docs;
  }

  /** Number of (field, doc) entry end for a slot. */
  private slotEnd(slot: number): number {
    const next = slot + 1;
    return next < this.docs * FIELDS.length ? this.dfStart[next]! : this.entries;
  }

  /**
   * Compute scores and cut the index into shards. Returns the shards' contents (term lists) and
   * the manifest without file names filled in for chunks (the caller names them).
   */
  finish(): {
    shards: { first: string; terms: ShardTerm[] }[];
    days: number[];
    threads: number[];
    fields: readonly Field[];
  } {
    const T = this.termStrings.length;
    const nF = FIELDS.length;
    const N = this.docs;
    const avg = FIELDS.map((_, f) => (N ? this.fieldLengthSum[f]! / N : 0));
    // Document frequency as lunr.idf counts it: documents per field, summed over fields.
    const df = new Uint32Array(T);
    for (let e = 0; e < this.entries; e++) df[this.termIds[e]!]!++;
    const idf = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      const x = (N - df[t]! + 0.5) / (df[t]! + 0.5);
      idf[t] = Math.log(1 + Math.abs(x));
    }
    // Entries grouped by term (CSR), in (doc, field) order within a term.
    const start = new Uint32Array(T + 1);
    for (let e = 0; e < this.entries; e++) start[this.termIds[e]! + 1]!++;
    for (let t = 0; t < T; t++) start[t + 1]! += start[t]!;
    const fill = start.slice(0, T);
    const eSlot = new Uint32Array(this.entries);
    const eScore = new Int32Array(this.entries);
    const eEntry = new Uint32Array(this.entries);
    for (let slot = 0; slot < N * nF; slot++) {
      const f = slot % nF;
      const doc = Math.floor(slot / nF);
      const fieldLength = this.dfLength[slot]!;
      const boost =
        FIELDS[f] === 'subject' && this.replies[doc] ? COLUMN_WEIGHTS.reply.subject : FIELD_BOOST[FIELDS[f]!];
      for (let e = this.dfStart[slot]!, end = this.slotEnd(slot); e < end; e++) {
        const t = this.termIds[e]!;
        const tf = this.tfs[e]!;
        let score = (idf[t]! * ((K1 + 1) * tf)) / (K1 * (1 - B + B * (fieldLength / avg[f]!)) + tf);
        score *= boost;
        score *= this.boosts[doc]!; // document boost
        const pos = fill[t]!++;
        eSlot[pos] = slot;
        eScore[pos] = Math.round(score * 1000);
        eEntry[pos] = e;
      }
    }
    // Sorted terms → shards of about SHARD_BYTES.
    const order = Array.from({ length: T }, (_, i) => i).sort((a, b) => {
      const x = this.termStrings[a]!;
      const y = this.termStrings[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const shards: { first: string; terms: ShardTerm[] }[] = [];
    const shardTermIds: number[][] = [];
    let curIds: number[] = [];
    let cur: ShardTerm[] = [];
    let bytes = 0;
    for (const t of order) {
      const perField: number[][] = FIELDS.map(() => []);
      const lastDoc = new Int32Array(nF).fill(0);
      for (let e = start[t]!; e < start[t + 1]!; e++) {
        const slot = eSlot[e]!;
        const doc = Math.floor(slot / nF);
        const f = slot % nF;
        perField[f]!.push(doc - lastDoc[f]!, eScore[e]!);
        lastDoc[f] = doc;
      }
      const entry: ShardTerm = [this.termStrings[t]!, t, ...perField];
      const size = this.termStrings[t]!.length + 16 + (start[t + 1]! - start[t]!) * 9;
      if (cur.length && bytes + size > SHARD_BYTES) {
        shards.push({ first: cur[0]![0], terms: cur });
        shardTermIds.push(curIds);
        cur = [];
        curIds = [];
        bytes = 0;
      }
      cur.push(entry);
      curIds.push(t);
      bytes += size;
    }
    if (cur.length || !shards.length) {
      shards.push({ first: cur[0]?.[0] ?? '', terms: cur });
      shardTermIds.push(curIds);
    }
    // Position files are made one at a time on request (`positions`): all of them at once would
    // hold every occurrence of every word of the archive as JavaScript arrays.
    this.positionsOf = (k: number): PositionTerm[] =>
      shardTermIds[k]!.map((t) => {
        const perField: number[][] = [];
        for (let f = 0; f < POSITION_FIELDS; f++) perField.push([]);
        for (let e = start[t]!; e < start[t + 1]!; e++) {
          const f = eSlot[e]! % nF;
          if (f >= POSITION_FIELDS) continue;
          const orig = eEntry[e]!;
          const out = perField[f]!;
          const n = this.tfs[orig]!;
          const from = this.posStart[orig]!;
          out.push(n);
          let prev = 0;
          for (let k2 = 0; k2 < n; k2++) {
            const p = this.pos[from + k2]!;
            out.push(p - prev);
            prev = p;
          }
        }
        return perField;
      });
    return { shards, days: this.days, threads: this.threads, fields: FIELDS };
  }

  private positionsOf: ((k: number) => PositionTerm[]) | null = null;

  /** The position file of shard `k` (after {@link IndexBuilder.finish}), in step with its terms. */
  positions(k: number): PositionTerm[] {
    if (!this.positionsOf) throw new Error('IndexBuilder.positions before finish');
    return this.positionsOf(k);
  }
}

/** The terms of one field of a document, as indexed (and, for text fields, their positions). */
export function fieldTerms(field: Field, doc: SearchDoc, positions?: number[]): string[] {
  switch (field) {
    case 'subject':
      return indexTerms(doc.subject.replace(/^\s*((re|fwd?|aw|sv)\s*:\s*)+/i, ''), positions);
    case 'author':
      return indexTerms(doc.author, positions);
    case 'body':
      return indexTerms(doc.body, positions);
    default:
      return doc.facets[field].map(facetTerm).filter(Boolean);
  }
}

/** A facet value as indexed and queried: lower case, no wildcard characters. */
export function facetTerm(v: string): string {
  return v
    .toLowerCase()
    .replace(/[*~^:]/g, '')
    .trim();
}

/** Delta-encode day numbers (the manifest stays small: most deltas are 0 or 1). */
export function encodeDays(days: number[]): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const d of days) {
    out.push(d < 0 ? -1 - prev : d - prev);
    if (d >= 0) prev = d;
  }
  return out;
}

/** Undo {@link encodeDays}. */
export function decodeDays(enc: number[]): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const e of enc) {
    const d = prev + e;
    if (e < 0 && d === -1) {
      out.push(-1);
      continue;
    }
    if (d < 0) {
      out.push(-1);
      continue;
    }
    out.push(d);
    prev = d;
  }
  return out;
}

export { PIPELINE_LABELS };

/**
 * Encode each document's thread number (threads numbered 0, 1, … in order of first appearance):
 * 0 for a thread's first document, otherwise how many threads have started since this one did.
 * Documents come in date order, so most replies belong to a recent thread and the numbers are
 * small (the 36k archive: 4,592 threads).
 */
export function encodeThreads(threads: number[]): number[] {
  const out: number[] = [];
  let started = 0;
  for (const t of threads) {
    if (t === started) {
      out.push(0);
      started++;
    } else out.push(started - t);
  }
  return out;
}

/** Undo {@link encodeThreads}. */
export function decodeThreads(enc: number[]): number[] {
  const out: number[] = [];
  let started = 0;
  for (const e of enc) out.push(e === 0 ? started++ : started - e);
  return out;
}
