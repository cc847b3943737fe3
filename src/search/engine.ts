/**
 * Runs a parsed query against the sharded lunr index: works out which term shards the query
 * needs, loads them (through a loader the caller supplies: `<script>` tags in the browser, files
 * in tests), and evaluates the query clause by clause as lunr would (AND across clauses, OR inside
 * one, exclusions, facets, dates). Results from all shards form one ranking because the shards
 * partition one index: every score is the score the unsharded index would give. A phrase is
 * scored as all of its words and then kept only where the words stand next to each other, from
 * the position files of its terms' shards. Pure: no DOM, no Node APIs.
 */
import { lunr, phraseTerms, queryTerm, registerLunr } from './lunr-setup.ts';
import {
  decodeDays,
  decodeThreads,
  FIELDS,
  facetTerm,
  type Manifest,
  type ManifestRecord,
  POSITION_FIELDS,
  type PositionTerm,
  type ShardTerm,
  type StoredDoc,
  TEXT_FIELDS,
} from './index-build.ts';
import {
  HEADER_FIELDS,
  hasPositive,
  isExact,
  isFacet,
  isTerm,
  type Alternative,
  type Clause,
  type ParsedQuery,
  type Term,
} from './query.ts';
import { allowedMisses, isPlainWord, matchRecords } from './rank.ts';

/** Results a search fills with partial matches when fewer hold every word (the page's first page). */
export const PARTIAL_FILL = 20;

export interface Loader {
  /** Load term shard `i` (its file is manifest.shards[i].file). */
  shard(i: number): Promise<ShardTerm[]>;
  /** Load document chunk `i`. */
  chunk(i: number): Promise<StoredDoc[]>;
  /**
   * Load the position file of term shard `i` (manifest.shards[i].positions). Without it, or for a
   * site built before positions, a phrase matches all of its words.
   */
  positions?(i: number): Promise<PositionTerm[]>;
}

export interface Hit {
  ref: number;
  score: number;
  /** The message misses one of the query's plain words; shown after every full match (as the CLI). */
  partial?: true;
}

/** A thread's best hit and the number of hits in that thread. */
export interface ThreadHit extends Hit {
  count: number;
}

export interface SearchResult {
  hits: Hit[];
  /** Term shards this query needed (indexes into manifest.shards). */
  shards: number[];
  errors: string[];
}

/**
 * The lunr fields each text field is looked up in. The site's index holds subject, author and own
 * text only (index-build.ts): quoted text and the patch's parts are not in it, so `q:` and the
 * `df*:` operators and the recipients (`t:` `c:` `tc:` `a:`) have no field here, and `nq:` `b:` `bs:` search the part of theirs it has.
 */
const FIELD_OF: Record<Term['field'], readonly string[]> = {
  any: TEXT_FIELDS,
  subject: ['subject'],
  author: ['author'],
  nq: ['body'],
  b: ['body'],
  bs: ['subject', 'body'],
  q: [],
  dfn: [],
  dfa: [],
  dfb: [],
  dfhh: [],
  t: [],
  c: [],
  tc: [],
  a: [],
};

/** What the site says about a field it answers only in part. */
const PARTLY: Partial<Record<Term['field'], string>> = {
  nq: 'operator nq: searches own text only here; the patch part only in `argmap search` for now',
  b: 'operator b: searches own text only here; quoted text and the patch part only in `argmap search` for now',
  bs: 'operator bs: searches subject and own text only here; quoted text and the patch part only in `argmap search` for now',
};

/** The operator as a user types it, for messages. */
function operatorOf(a: Alternative): string {
  if (isExact(a)) return a.field === 'mid' ? 'm:' : 'patchid:';
  return `${a.field}:`;
}

/**
 * The query the site's index can answer: alternatives it has no field for (`q:`, `dfn:`, `dfa:`,
 * `dfb:`, `dfhh:`, `t:`, `c:`, `tc:`, `a:`, `m:`, `patchid:`) are left out, and a note for each operator says so, as does
 * one for each operator answered only in part. The CLI (`argmap search`, FTS5) answers them all.
 */
export function siteQuery(q: ParsedQuery): { query: ParsedQuery; notes: string[] } {
  const notes = new Set<string>();
  const clauses: Clause[] = [];
  for (const c of q.clauses) {
    const alternatives: Alternative[] = [];
    for (const a of c.alternatives) {
      if (isExact(a) || (isTerm(a) && FIELD_OF[a.field].length === 0)) {
        notes.add(`operator ${operatorOf(a)} only in \`argmap search\` for now (left out here)`);
        continue;
      }
      if (isTerm(a) && PARTLY[a.field]) notes.add(PARTLY[a.field]!);
      alternatives.push(isTerm(a) && isCompound(a) ? { ...a, phrase: true } : a);
    }
    if (alternatives.length) clauses.push({ ...c, alternatives });
  }
  return { query: { ...q, clauses }, notes: [...notes] };
}

/**
 * An unquoted compound word (`memory.reclaim`, `memory_high_write`) is the phrase of its parts,
 * as FTS5 (the CLI and the server) and lore read it: "memory reclaim" in prose matches too,
 * and the three hosts count the same messages. A compound with a one-letter part (`mm/vmscan.c`)
 * stays one word: the index keeps no one-letter parts, so its phrase would lose the `c` that FTS5
 * requires, while the whole word finds what FTS5 finds.
 */
function isCompound(a: Term): boolean {
  if (a.phrase || a.prefix || a.text.includes(' ')) return false;
  const parts = a.text.split(/[./+_-]+/).filter(Boolean);
  return parts.length > 1 && parts.every((p) => p.length >= 2) && phraseTerms([a.text]).length > 1;
}

/** A term as lunr should look it up: processed word, or a raw prefix for `word*`. */
export interface Lookup {
  term: string;
  prefix: boolean;
  fields: readonly string[];
  /** In a phrase: the word's place, counted from the phrase's first word (lunr-setup's phraseTerms). */
  offset?: number;
}

export function lookupsOf(alt: Alternative): Lookup[][] | null {
  if (isExact(alt)) return null;
  if (isFacet(alt)) {
    const t = facetTerm(alt.value);
    return t ? [[{ term: t, prefix: false, fields: [alt.field] }]] : null;
  }
  const fields = FIELD_OF[alt.field];
  if (!fields.length) return null;
  if (alt.phrase) {
    // The words must stand at these offsets from each other in one field (SearchEngine.isPhrase).
    const ps = phraseTerms(alt.text.split(' ')).map((p) => ({
      term: p.term,
      offset: p.offset,
      prefix: false,
      fields,
    }));
    return ps.length ? [ps] : null;
  }
  const parts: Lookup[] = [];
  for (const w of alt.text.split(' ')) {
    if (alt.prefix) {
      parts.push({ term: w.toLowerCase(), prefix: true, fields });
      continue;
    }
    const t = queryTerm(w);
    if (t !== null) parts.push({ term: t, prefix: false, fields });
  }
  return parts.length ? [parts] : null;
}

/** lunr's serialized index shape (what `lunr.Index.load` takes). */
export interface SerializedIndex {
  version: string;
  fields: string[];
  fieldVectors: [string, number[]][];
  invertedIndex: [string, Record<string, unknown>][];
  pipeline: string[];
}

/**
 * Merge term shards back into one serialized lunr index: the inverted index of the shards' terms
 * and, per document field, the vector entries of those terms (sorted by term index, as lunr keeps
 * them). Scoring only ever reads the query terms' entries, so a partial vector scores exactly as
 * the full one.
 */
export function mergeShards(shards: ShardTerm[][], pipeline: string[]): SerializedIndex {
  // Terms in term-index order, so every vector receives its entries already sorted by index.
  const entries: ShardTerm[] = [];
  for (const shard of shards) for (const e of shard) entries.push(e);
  entries.sort((a, b) => a[1] - b[1]);
  const nF = FIELDS.length;
  const inverted: [string, Record<string, unknown>][] = new Array(entries.length);
  // One vector per (document, field): keyed by doc * nF + field to avoid building strings per entry.
  const vectors = new Map<number, number[]>();
  let i = 0;
  for (const entry of entries) {
    const term = entry[0];
    const index = entry[1];
    const posting: Record<string, unknown> = { _index: index };
    for (let f = 0; f < nF; f++) {
      const refs: Record<string, object> = {};
      const p = (entry[2 + f] as number[] | undefined) ?? [];
      let doc = 0;
      for (let k = 0; k < p.length; k += 2) {
        doc += p[k]!;
        // lunr copies metadata out of these objects and never writes to them: one can be shared.
        refs[docRef(doc)] = NO_METADATA;
        const slot = doc * nF + f;
        const v = vectors.get(slot);
        if (v) v.push(index, p[k + 1]! / 1000);
        else vectors.set(slot, [index, p[k + 1]! / 1000]);
      }
      posting[FIELDS[f]!] = refs;
    }
    inverted[i++] = [term, posting];
  }
  inverted.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const fieldVectors: [string, number[]][] = [];
  for (const [slot, v] of vectors)
    fieldVectors.push([`${FIELDS[slot % nF]!}/${docRef(Math.floor(slot / nF))}`, v]);
  return { version: lunr.version, fields: [...FIELDS], fieldVectors, invertedIndex: inverted, pipeline };
}

const NO_METADATA: object = Object.freeze({});

/**
 * The lunr document ref of document number n. Not the bare number: V8 stores integer keys of a
 * plain object as array elements, and lunr's postings keyed by scattered document numbers then
 * grow like sparse arrays (quadratic); `d123` keys stay ordinary properties.
 */
export function docRef(n: number): string {
  return 'd' + n;
}

/** Document number of a lunr ref made by {@link docRef}. */
export function refNumber(ref: string): number {
  return Number(ref.slice(1));
}

/** One term of a loaded shard, decoded: per field, its documents and their vector entries. */
interface LoadedTerm {
  index: number;
  /** Per field: document numbers (ascending) and the BM25 weight of this term in that field. */
  docs: Int32Array[];
  weights: Float64Array[];
  /** Shard and place in it, to find the term's positions. */
  shard: number;
  slot: number;
  /** Per text field, where each posting's entry starts in the positions (decoded on first use). */
  posStarts?: Int32Array[];
  pos?: PositionTerm;
}

/**
 * Evaluates queries the way `lunr.Index.query` does, over the loaded shards directly.
 *
 * lunr's own `Index.load` rebuilds every posting object and document vector, and `query` builds a
 * MatchData object per matching field; on the archive's shards that costs hundreds of
 * milliseconds per query. The score it computes is simple, so this scores directly from typed
 * arrays: for each field, the dot product of the query vector (1 per matched term, summed when a
 * term is matched twice) with the document's vector entries for those terms, divided by the query
 * vector's length, summed over fields; a REQUIRED term must occur in one of the clause's fields.
 * test/search/engine.test.ts checks refs and scores against `lunr.Index.query` on merged shards.
 */
export class SearchEngine {
  readonly days: number[];
  /** Thread number of every document (empty for a manifest from before threads were recorded). */
  readonly threads: number[];
  private shardData = new Map<number, ShardTerm[]>();
  private loading = new Map<number, Promise<ShardTerm[]>>();
  private chunkData = new Map<number, StoredDoc[]>();
  /** Terms of every loaded shard: raw until first used, then decoded. */
  private terms = new Map<string, LoadedTerm | ShardTerm>();
  /** Sorted terms of each loaded shard, for prefix expansion. */
  private sortedTerms = new Map<number, string[]>();
  private positionData = new Map<number, PositionTerm[]>();
  private loadingPositions = new Map<number, Promise<void>>();
  /** Shard and place of every loaded term. */
  private termPlace = new Map<string, number>();

  constructor(
    readonly manifest: Manifest,
    private loader: Loader,
  ) {
    registerLunr();
    this.days = decodeDays(manifest.days);
    this.threads = decodeThreads(manifest.threads ?? []);
  }

  /**
   * The decision records that answer a query, best first, as the CLI and the server lead with
   * them (src/search/rank.ts `matchRecords`, over the records the manifest carries).
   */
  records(q: ParsedQuery): ManifestRecord[] {
    const all = this.manifest.records ?? [];
    const bySlug = new Map(all.map((r) => [r.slug, r]));
    return matchRecords(
      q,
      all.map((r) => ({ slug: r.slug, meta: { title: r.title, summary: r.summary, status: r.status } })),
    ).map((h) => bySlug.get(h.slug)!);
  }

  /**
   * One hit per thread: the thread's best hit (hits are in rank order, so its first), with how
   * many of the hits are in that thread. Threads rank by their best hit.
   */
  byThread(hits: Hit[]): ThreadHit[] {
    const at = new Map<number, ThreadHit>();
    const out: ThreadHit[] = [];
    for (const h of hits) {
      const t = this.threads[h.ref] ?? -1 - h.ref;
      const g = at.get(t);
      if (g) g.count++;
      else {
        const first: ThreadHit = { ...h, count: 1 };
        at.set(t, first);
        out.push(first);
      }
    }
    return out;
  }

  /** Index of the shard that holds `term`. */
  shardFor(term: string): number {
    const s = this.manifest.shards;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]!.first <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Shards that may hold terms starting with `prefix`. */
  shardsForPrefix(prefix: string): number[] {
    const first = this.shardFor(prefix);
    const out = [first];
    const s = this.manifest.shards;
    for (let i = first + 1; i < s.length && s[i]!.first.startsWith(prefix); i++) out.push(i);
    return out;
  }

  private addShard(i: number, data: ShardTerm[]): void {
    this.shardData.set(i, data);
    const sorted: string[] = new Array<string>(data.length);
    for (let k = 0; k < data.length; k++) {
      const entry = data[k]!;
      this.terms.set(entry[0], entry);
      this.termPlace.set(entry[0], k);
      sorted[k] = entry[0];
    }
    this.sortedTerms.set(i, sorted);
  }

  /** A loaded term's postings as typed arrays (decoded on first use: most terms never are). */
  private term(term: string): LoadedTerm {
    const e = this.terms.get(term)!;
    if (!Array.isArray(e)) return e;
    const docs: Int32Array[] = [];
    const weights: Float64Array[] = [];
    for (let f = 0; f < FIELDS.length; f++) {
      const p = (e[2 + f] as number[] | undefined) ?? [];
      const n = p.length >> 1;
      const d = new Int32Array(n);
      const w = new Float64Array(n);
      let doc = 0;
      for (let k = 0; k < n; k++) {
        doc += p[2 * k]!;
        d[k] = doc;
        w[k] = p[2 * k + 1]! / 1000;
      }
      docs.push(d);
      weights.push(w);
    }
    const t: LoadedTerm = {
      index: e[1],
      docs,
      weights,
      shard: this.shardFor(term),
      slot: this.termPlace.get(term) ?? -1,
    };
    this.terms.set(term, t);
    return t;
  }

  private async ensure(shards: number[]): Promise<void> {
    await Promise.all(
      shards.map((i): Promise<unknown> => {
        if (this.shardData.has(i)) return Promise.resolve();
        let p = this.loading.get(i);
        if (!p) {
          p = this.loader.shard(i).then((d) => {
            if (!this.shardData.has(i)) this.addShard(i, d);
            return d;
          });
          this.loading.set(i, p);
        }
        return p;
      }),
    );
  }

  /** Whether this engine can check phrases (the site has position files and the loader reads them). */
  get hasPositions(): boolean {
    return Boolean(this.loader.positions) && this.manifest.shards.every((s) => s.positions);
  }

  private async ensurePositions(shards: number[]): Promise<void> {
    const load = this.loader.positions?.bind(this.loader);
    if (!load || !this.hasPositions) return;
    await Promise.all(
      shards.map((i) => {
        if (this.positionData.has(i)) return Promise.resolve();
        let p = this.loadingPositions.get(i);
        if (!p) {
          p = load(i).then((d) => void this.positionData.set(i, d));
          this.loadingPositions.set(i, p);
        }
        return p;
      }),
    );
  }

  /** Shards whose positions a query needs: those of its phrases' terms. */
  positionShardsFor(q: ParsedQuery): number[] {
    const need = new Set<number>();
    for (const c of q.clauses)
      for (const alt of c.alternatives)
        if (isTerm(alt) && alt.phrase)
          for (const group of lookupsOf(alt) ?? []) for (const l of group) need.add(this.shardFor(l.term));
    return [...need].sort((a, b) => a - b);
  }

  /** The positions of a term in field `f` of the document at posting `k` of that field. */
  private positionsAt(t: LoadedTerm, f: number, k: number): number[] | null {
    if (!t.pos) {
      const data = this.positionData.get(t.shard)?.[t.slot];
      if (!data) return null;
      t.pos = data;
      t.posStarts = [];
      for (let g = 0; g < POSITION_FIELDS; g++) {
        const flat = data[g] ?? [];
        const starts = new Int32Array(t.docs[g]!.length);
        for (let i = 0, at = 0; i < starts.length; i++) {
          starts[i] = at;
          at += 1 + flat[at]!;
        }
        t.posStarts.push(starts);
      }
    }
    const flat = t.pos[f]!;
    const at = t.posStarts![f]![k]!;
    const out: number[] = new Array<number>(flat[at]!);
    let p = 0;
    for (let i = 0; i < out.length; i++) out[i] = p += flat[at + 1 + i]!;
    return out;
  }

  /**
   * Whether the phrase's words stand at their offsets in one of its fields of document `doc`
   * (FTS5's phrase: same field, consecutive positions). Without positions, true: the phrase is
   * then all of its words.
   */
  isPhrase(group: Lookup[], doc: number): boolean {
    const fieldNo = (name: string): number => FIELDS.indexOf(name as (typeof FIELDS)[number]);
    for (const name of group[0]?.fields ?? []) {
      const f = fieldNo(name);
      if (f < 0 || f >= POSITION_FIELDS) continue;
      const lists: { at: Set<number>; offset: number }[] = [];
      let ok = true;
      for (const l of group) {
        if (!this.terms.has(l.term)) return false;
        const t = this.term(l.term);
        const k = lowerBound(t.docs[f]!, doc);
        if (k >= t.docs[f]!.length || t.docs[f]![k] !== doc) {
          ok = false;
          break;
        }
        const ps = this.positionsAt(t, f, k);
        if (!ps) return true;
        lists.push({ at: new Set(ps), offset: l.offset ?? 0 });
      }
      if (!ok || !lists.length) continue;
      // Every start the first word allows, checked against the others.
      const [first, ...rest] = lists;
      for (const p of first!.at) {
        const start = p - first!.offset;
        if (rest.every((x) => x.at.has(start + x.offset))) return true;
      }
    }
    return false;
  }

  /** The loaded terms a lookup stands for (itself, or every term with the prefix). */
  private expand(l: Lookup): string[] {
    if (!l.prefix) return this.terms.has(l.term) ? [l.term] : [];
    const out: string[] = [];
    for (const i of this.shardsForPrefix(l.term)) {
      const sorted = this.sortedTerms.get(i) ?? [];
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! < l.term) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < sorted.length && sorted[k]!.startsWith(l.term); k++) out.push(sorted[k]!);
    }
    return out;
  }

  /** Shards a query needs. */
  shardsFor(q: ParsedQuery): number[] {
    const need = new Set<number>();
    for (const c of q.clauses)
      for (const alt of c.alternatives)
        for (const group of lookupsOf(alt) ?? [])
          for (const l of group)
            for (const s of l.prefix ? this.shardsForPrefix(l.term) : [this.shardFor(l.term)]) need.add(s);
    return [...need].sort((a, b) => a - b);
  }

  /**
   * One lunr query: every lookup of the group REQUIRED, in its fields. Returns document → score
   * exactly as `lunr.Index.query` would.
   */
  scoreGroup(group: Lookup[]): Map<number, number> {
    const nF = FIELDS.length;
    const N = this.days.length;
    const fieldNo = (name: string): number => FIELDS.indexOf(name as (typeof FIELDS)[number]);
    // Query vector per field: term index → weight (1 per match of the term, as lunr's upsert adds).
    const qv: Map<number, number>[] = FIELDS.map(() => new Map());
    const used: { t: LoadedTerm; f: number }[] = [];
    // Required: a document must hold every lookup (in any of its fields). Count lookups per
    // document with a stamp so a document is counted once per lookup.
    const count = new Int32Array(N);
    const stamp = new Int32Array(N).fill(-1);
    let smallest: Int32Array[] | null = null;
    let smallestSize = Infinity;
    for (let li = 0; li < group.length; li++) {
      const l = group[li]!;
      const lists: Int32Array[] = [];
      let size = 0;
      for (const term of this.expand(l)) {
        const t = this.term(term);
        for (const name of l.fields) {
          const f = fieldNo(name);
          qv[f]!.set(t.index, (qv[f]!.get(t.index) ?? 0) + 1);
          used.push({ t, f });
          const d = t.docs[f]!;
          lists.push(d);
          size += d.length;
          for (let k = 0; k < d.length; k++) {
            const doc = d[k]!;
            if (stamp[doc] !== li) {
              stamp[doc] = li;
              count[doc]!++;
            }
          }
        }
      }
      // A required term that does not exist matches nothing (lunr: requiredMatches = empty).
      if (size === 0) return new Map();
      if (size < smallestSize) {
        smallestSize = size;
        smallest = lists;
      }
    }
    if (!smallest) return new Map();
    const need = group.length;
    // Dot products per field over the distinct (term, field) pairs of the query.
    const dots: (Float64Array | null)[] = FIELDS.map(() => null);
    const seen = new Set<number>();
    for (const { t, f } of used) {
      const key = t.index * nF + f;
      if (seen.has(key)) continue;
      seen.add(key);
      const q = qv[f]!.get(t.index)!;
      const d = t.docs[f]!;
      const w = t.weights[f]!;
      const dot = (dots[f] ??= new Float64Array(N));
      for (let k = 0; k < d.length; k++) {
        const doc = d[k]!;
        if (count[doc] === need) dot[doc]! += q * w[k]!;
      }
    }
    const mags = qv.map((m) => {
      let s2 = 0;
      for (const x of m.values()) s2 += x * x;
      return Math.sqrt(s2);
    });
    const out = new Map<number, number>();
    for (const list of smallest) {
      for (let k = 0; k < list.length; k++) {
        const doc = list[k]!;
        if (count[doc] !== need || out.has(doc)) continue;
        let score = 0;
        for (let f = 0; f < nF; f++) {
          const dot = dots[f];
          if (dot && dot[doc]! !== 0 && mags[f]! > 0) score += dot[doc]! / mags[f]!;
        }
        out.set(doc, score);
      }
    }
    return out;
  }

  /**
   * Start loading the shards a (perhaps half-typed) query needs, without searching: the search
   * page calls this on every keystroke, so by the time typing pauses the shards are there. A
   * half-typed word falls in the same shard as the whole word (shards are ranges of sorted terms).
   */
  prefetch(q: ParsedQuery): Promise<void> {
    return Promise.all([
      this.ensure(this.shardsFor(q).slice(0, 4)),
      this.ensurePositions(this.positionShardsFor(q).slice(0, 4)),
    ]).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Documents (refs → score) matching any alternative of a clause. */
  private evalClause(c: Clause): Map<number, number> {
    const out = new Map<number, number>();
    for (const alt of c.alternatives)
      for (const group of lookupsOf(alt) ?? []) {
        const phrase = isTerm(alt) && alt.phrase && group.length > 1;
        for (const [ref, score] of this.scoreGroup(group)) {
          if (phrase && !this.isPhrase(group, ref)) continue;
          out.set(ref, (out.get(ref) ?? 0) + score);
        }
      }
    return out;
  }

  /** Run a query: load what it needs, return ranked hits (best first; ties newest first). */
  /**
   * `limit`: when fewer messages than this hold every word of a query of three or more plain words,
   * up to `limit` messages that miss one plain word follow them, marked partial (the CLI's rule,
   * src/search/rank.ts `allowedMisses`).
   */
  async search(asked: ParsedQuery, opts: { limit?: number } = {}): Promise<SearchResult> {
    const limit = opts.limit ?? PARTIAL_FILL;
    const { query: q, notes } = siteQuery(asked);
    const errors = [...asked.errors, ...notes];
    if (!hasPositive(q)) {
      // A query of CLI-only operators has been answered by its notes.
      if (q.clauses.length || (asked.clauses.length && !notes.length))
        errors.push('a query needs at least one word or filter that is not excluded');
      return { hits: [], shards: [], errors };
    }
    const shards = this.shardsFor(q);
    const positions = this.positionShardsFor(q);
    await Promise.all([this.ensure(shards), this.ensurePositions(positions)]);
    if (positions.length && !this.hasPositions)
      errors.push('this site was built without positions: a phrase matches all of its words');
    // A clause of stop words only ("why", "was") has nothing in the index, which holds no stop
    // words: it is optional, as in the CLI (src/search/rank.ts), instead of an AND that matches
    // nothing. A query of stop words alone is answered by a note.
    const indexed = (c: Clause): boolean =>
      c.alternatives.some((a) => (lookupsOf(a) ?? []).some((g) => g.length > 0));
    const clauses = q.clauses.filter((c) => c.negate || indexed(c));
    if (!clauses.some((c) => !c.negate) && !q.date && q.clauses.some((c) => !c.negate)) {
      errors.push(
        'every word of this query is too common to be indexed here (a stop word): add another word',
      );
      return { hits: [], shards, errors };
    }
    let acc: Map<number, number> | null = null;
    const excluded = new Set<number>();
    const positive: { c: Clause; m: Map<number, number> }[] = [];
    for (const c of clauses) {
      const m = this.evalClause(c);
      if (c.negate) {
        for (const ref of m.keys()) excluded.add(ref);
        continue;
      }
      positive.push({ c, m });
      if (acc === null) acc = m;
      else {
        const next = new Map<number, number>();
        for (const [ref, s] of acc) {
          const t = m.get(ref);
          if (t !== undefined) next.set(ref, s + t);
        }
        acc = next;
      }
    }
    const from = q.date?.from ? dayOf(q.date.from) : -Infinity;
    const until = q.date?.until ? dayOf(q.date.until) : Infinity;
    const inDate = (ref: number): boolean => {
      if (!q.date) return true;
      const d = this.days[ref] ?? -1;
      return d >= 0 && d >= from && d < until;
    };
    const hits: Hit[] = [];
    if (acc === null) {
      // Only a date (and perhaps exclusions): every message of the range, newest first.
      for (let ref = 0; ref < this.days.length; ref++)
        if (inDate(ref) && !excluded.has(ref)) hits.push({ ref, score: 0 });
    } else {
      for (const [ref, score] of acc) if (inDate(ref) && !excluded.has(ref)) hits.push({ ref, score });
    }
    const order = (a: Hit, b: Hit): number =>
      b.score - a.score || (this.days[b.ref] ?? -1) - (this.days[a.ref] ?? -1) || b.ref - a.ref;
    hits.sort(order);
    // Partial matches: every must-hold clause (operators, facets) and all plain words but one.
    const misses = allowedMisses(positive.map((p) => p.c));
    if (misses && hits.length < limit) {
      const plain = positive.filter((p) => isPlainWord(p.c));
      const strict = positive.filter((p) => !isPlainWord(p.c));
      const count = new Map<number, { n: number; score: number }>();
      for (const p of plain)
        for (const [ref, sc] of p.m) {
          const e = count.get(ref);
          if (e) {
            e.n++;
            e.score += sc;
          } else count.set(ref, { n: 1, score: sc });
        }
      const partial: Hit[] = [];
      for (const [ref, e] of count) {
        if (e.n < plain.length - misses || e.n === plain.length) continue;
        if (!strict.every((p) => p.m.has(ref)) || !inDate(ref) || excluded.has(ref)) continue;
        let score = e.score;
        for (const p of strict) score += p.m.get(ref)!;
        partial.push({ ref, score, partial: true });
      }
      partial.sort(order);
      hits.push(...partial.slice(0, limit));
    }
    return { hits, shards, errors };
  }

  /** The loaded shards as one serialized lunr index (for checking this engine against lunr). */
  lunrIndex(): lunr.Index {
    return lunr.Index.load(mergeShards([...this.shardData.values()], this.manifest.pipeline));
  }

  /** The stored documents for some refs (loads their chunks). */
  async docs(refs: number[]): Promise<StoredDoc[]> {
    const size = this.manifest.chunkSize;
    const need = [...new Set(refs.map((r) => Math.floor(r / size)))].filter((c) => !this.chunkData.has(c));
    await Promise.all(
      need.map(async (c) => {
        this.chunkData.set(c, await this.loader.chunk(c));
      }),
    );
    return refs.map((r) => this.chunkData.get(Math.floor(r / size))![r % size]!);
  }
}

/** First index of a sorted array holding a value ≥ x. */
function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function dayOf(ymd: string): number {
  return Math.floor(Date.parse(ymd + 'T00:00:00Z') / 86_400_000);
}

/**
 * A word or prefix to mark in a snippet; or (with `phrase`, `stem` empty) a phrase whose first
 * occurrence the snippet should start at: its words' beginnings and their offsets.
 */
export interface MarkTerm {
  stem: string;
  prefix: boolean;
  phrase?: { start: string; offset: number }[];
}

/** What a stemmed term and the word it came from begin with ("memory" → "memori": "memor"). */
function commonStart(word: string, term: string): string {
  let i = 0;
  while (i < word.length && i < term.length && word[i] === term[i]) i++;
  return word.slice(0, Math.max(i, 1));
}

/** The words and prefixes to mark in a snippet, and the phrases to centre it on. */
export function markTerms(q: ParsedQuery): MarkTerm[] {
  const out: MarkTerm[] = [];
  for (const c of q.clauses) {
    if (c.negate) continue;
    for (const alt of c.alternatives) {
      if (!isTerm(alt) || HEADER_FIELDS.has(alt.field)) continue;
      if (alt.phrase) {
        // The phrase's words as written, cut where their stems differ from them.
        const starts = phraseTerms(alt.text.split(' ')).map((t) => ({
          start: commonStart(t.word, t.term),
          offset: t.offset,
        }));
        if (starts.length > 1) out.push({ stem: '', prefix: false, phrase: starts });
      }
      for (const w of alt.text.split(' ')) {
        if (alt.prefix) out.push({ stem: w, prefix: true });
        else {
          // Marked by what the word and its stem share: the stem of "memory" is "memori".
          const t = queryTerm(w);
          if (t !== null) out.push({ stem: commonStart(w.toLowerCase(), t), prefix: true });
        }
      }
    }
  }
  return out;
}

export interface SnippetPart {
  text: string;
  mark: boolean;
}

/**
 * A snippet of `text` around the first match of any term, as parts to put in the DOM with
 * textContent (never as HTML). Stems match the words they came from (`reclaim` marks
 * `reclaiming`).
 */
export function snippet(text: string, terms: MarkTerm[], width = 240): SnippetPart[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const alts = terms.map((t) => esc(t.stem)).filter(Boolean);
  if (!alts.length) return [{ text: flat.slice(0, width) + (flat.length > width ? '…' : ''), mark: false }];
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alts.join('|')})[\\p{L}\\p{N}_]*`, 'giu');
  // A phrase's first occurrence, else the first marked word. Letters and separators are disjoint
  // classes and every repetition is bounded or followed by a disjoint one: linear on any text.
  let firstAt = -1;
  for (const t of terms) {
    if (!t.phrase) continue;
    let src = '';
    for (let i = 0; i < t.phrase.length; i++) {
      const p = t.phrase[i]!;
      if (i > 0) {
        const gap = Math.min(8, Math.max(1, p.offset - t.phrase[i - 1]!.offset));
        src += `[\\p{L}\\p{N}]*(?:[^\\p{L}\\p{N}]+[\\p{L}\\p{N}]+){${gap - 1}}[^\\p{L}\\p{N}]+`;
      }
      src += esc(p.start);
    }
    const m = new RegExp(`(?<![\\p{L}\\p{N}])${src}`, 'iu').exec(flat);
    if (m && (firstAt < 0 || m.index < firstAt)) firstAt = m.index;
  }
  if (firstAt < 0) firstAt = re.exec(flat)?.index ?? -1;
  let start = 0;
  if (firstAt >= 0) start = Math.max(0, firstAt - Math.floor(width / 3));
  // Start at a word boundary.
  if (start > 0) {
    const sp = flat.indexOf(' ', start);
    if (sp >= 0 && sp < start + 20) start = sp + 1;
  }
  const end = Math.min(flat.length, start + width);
  const win = flat.slice(start, end);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', mark: false });
  let last = 0;
  re.lastIndex = 0;
  for (const m of win.matchAll(re)) {
    if (m.index > last) parts.push({ text: win.slice(last, m.index), mark: false });
    parts.push({ text: m[0], mark: true });
    last = m.index + m[0].length;
  }
  if (last < win.length) parts.push({ text: win.slice(last), mark: false });
  if (end < flat.length) parts.push({ text: '…', mark: false });
  return parts;
}
