/**
 * Quote resolution: for every quoted segment (depth ≥ 1), the message and segment whose own text
 * it reproduces.
 *
 * Order of search, per quoted segment at depth d (docs/graph.md, "Quote resolution"):
 *  1. the ancestor d steps up the reply chain (the message the markers say it comes from);
 *  2. the other ancestors, nearest first, up to MAX_ANCESTOR_PROBE steps (mixed `>`/`> >` styles,
 *     quotes of quotes whose intermediate message trimmed the markers);
 *  3. any earlier message of the thread, through a thread-wide shingle index built on first need;
 *  4. when no present message has the words and the chain has a missing (ghost) message within d
 *     steps, that ghost;
 *  5. otherwise the depth-d ancestor with a low confidence (`depth`), as a reader would assume.
 * A candidate is accepted when at least MIN_COVERAGE of the quote's shingles occur in its own
 * (non-quoted) text. Only own text is indexed, so a quote of a quote matches the message that
 * wrote the words, not the messages that quoted them on the way.
 *
 * Cost: each message's shingle index is built at most once per thread and only when a reply
 * quotes it; each quoted segment probes a bounded number of candidates. The thread-wide index is
 * built once per thread. Nothing is quadratic in the thread size.
 */
import { IntMap, SHINGLE_WORDS, shingles, wordHashes } from '../mail/shingle.ts';
import type { Segment } from './segment.ts';

/** Fraction of a quote's shingles that must occur in a candidate's own text to accept it. */
export const MIN_COVERAGE = 0.5;
/**
 * Ancestors probed beyond the depth-d one. Bounds the work per quote on a 500-deep reply chain;
 * real mis-nesting is off by one or two levels.
 */
export const MAX_ANCESTOR_PROBE = 8;
/** Most candidates checked from the thread-wide index per quote (the ones with most shared shingles). */
const MAX_THREAD_CANDIDATES = 3;
/**
 * Shingles kept in one thread-wide index. A thread of hundreds of large patch postings could
 * otherwise hold tens of millions; beyond the cap the remaining messages are not indexed
 * thread-wide (they are still found as ancestors).
 */
export const MAX_THREAD_SHINGLES = 4_000_000;
/** Longest ancestor walk (a crafted chain could be 100,000 deep; the threader allows that). */
const MAX_WALK = 10_000;

/** What the resolver needs to know about each message of a thread. */
export interface ThreadMessage {
  /** messages.id */
  row: number;
  /** Index of the parent in the thread array, or -1. */
  parent: number;
  ghost: boolean;
  /** ISO date or null. */
  date: string | null;
  body: string;
  segments: Segment[];
}

/** The outcome for one quoted segment. */
export interface Resolution {
  /** Index (in the thread array) of the source message, or -1 when unresolved. */
  source: number;
  /** Index of the source segment within the source message's segments, or -1. */
  segment: number;
  /** Further source segments with a substantial share of the quote (a quote spanning paragraphs). */
  alsoSegments: number[];
  coverage: number;
  confidence: number;
  method: 'ancestor' | 'ancestor-near' | 'thread' | 'short' | 'ghost' | 'depth' | 'none';
}

interface Indexed {
  /** shingle → index of the first own segment holding it */
  map: IntMap;
  /** per segment: its words joined (only for the short-quote test) */
  norm: (string | null)[] | null;
}

/** Kinds whose text counts as the writer's own (what a later quote can reproduce). */
const SOURCE_KINDS = new Set([
  'own',
  'changelog',
  'attribution',
  'trailer',
  'signature',
  'diffstat',
  'diff',
  'snip',
]);

/** Per-thread quote resolver. */
export class ThreadResolver {
  private idx: (Indexed | undefined)[] = [];
  private threadMap: IntMap | null = null;
  private threadBuilt = false;
  /** Milliseconds spent, for the benchmark's largest-thread report. */
  ms = 0;
  /** Per-message shingle indexes built (at most one per message: the linearity guarantee). */
  indexBuilds = 0;
  /** Candidate messages scored, over all quotes (at most MAX_ANCESTOR_PROBE + 1 + MAX_THREAD_CANDIDATES each). */
  probes = 0;

  constructor(private readonly msgs: ThreadMessage[]) {}

  private index(m: number): Indexed {
    let x = this.idx[m];
    if (x) return x;
    const msg = this.msgs[m]!;
    this.indexBuilds++;
    let total = 0;
    for (const s of msg.segments) if (s.depth === 0) total += s.end - s.start;
    const map = new IntMap(Math.max(16, total / 6));
    msg.segments.forEach((s, si) => {
      if (s.depth !== 0 || !SOURCE_KINDS.has(s.kind)) return;
      const sh = shingles(wordHashes(msg.body, s.start, s.end));
      for (let k = 0; k < sh.length; k++) map.set(sh[k]!, si);
    });
    x = { map, norm: null };
    this.idx[m] = x;
    return x;
  }

  private buildThreadIndex(): void {
    this.threadBuilt = true;
    const map = new IntMap(1024);
    // earliest message first, so a shingle names the first message that wrote it
    const order = this.msgs.map((_, i) => i).filter((i) => !this.msgs[i]!.ghost);
    order.sort((a, b) => cmpDate(this.msgs[a]!.date, this.msgs[b]!.date) || a - b);
    for (const m of order) {
      const msg = this.msgs[m]!;
      for (const s of msg.segments) {
        if (s.depth !== 0 || !SOURCE_KINDS.has(s.kind)) continue;
        const sh = shingles(wordHashes(msg.body, s.start, s.end));
        for (let k = 0; k < sh.length; k++) map.set(sh[k]!, m);
        if (map.size > MAX_THREAD_SHINGLES) {
          this.threadMap = map;
          return;
        }
      }
    }
    this.threadMap = map;
  }

  /** Score one candidate message for a quote: coverage and the best source segment. */
  private score(cand: number, sh: Int32Array): { coverage: number; segment: number; also: number[] } {
    const ix = this.index(cand);
    this.probes++;
    const hits = new Map<number, number>();
    let found = 0;
    for (let k = 0; k < sh.length; k++) {
      const s = ix.map.get(sh[k]!);
      if (s < 0) continue;
      found++;
      hits.set(s, (hits.get(s) ?? 0) + 1);
    }
    let best = -1;
    let bestN = 0;
    for (const [s, n] of hits)
      if (n > bestN || (n === bestN && s < best)) {
        best = s;
        bestN = n;
      }
    const also: number[] = [];
    for (const [s, n] of hits) if (s !== best && n >= 2 && n >= 0.2 * found) also.push(s);
    also.sort((a, b) => a - b);
    return { coverage: sh.length ? found / sh.length : 0, segment: best, also };
  }

  /** Short quotes (fewer words than a shingle): the words must occur in sequence in one segment. */
  private scoreShort(cand: number, words: Int32Array): number {
    const ix = this.index(cand);
    const msg = this.msgs[cand]!;
    if (!ix.norm)
      ix.norm = msg.segments.map((s) =>
        s.depth === 0 && SOURCE_KINDS.has(s.kind)
          ? ',' + Array.from(wordHashes(msg.body, s.start, s.end)).join(',') + ','
          : null,
      );
    const needle = ',' + Array.from(words).join(',') + ',';
    for (let s = 0; s < ix.norm.length; s++) if (ix.norm[s]?.includes(needle)) return s;
    return -1;
  }

  /** Ancestors of message m: [distance 1, distance 2, …] as thread indexes (ghosts included). */
  ancestors(m: number, max: number): number[] {
    const out: number[] = [];
    let p = this.msgs[m]!.parent;
    const seen = new Set<number>();
    while (p >= 0 && out.length < max && !seen.has(p)) {
      seen.add(p);
      out.push(p);
      p = this.msgs[p]!.parent;
    }
    return out;
  }

  /** Resolve one quoted segment of message m. */
  resolve(m: number, segIndex: number): Resolution {
    const t0 = performance.now();
    try {
      return this.resolveInner(m, segIndex);
    } finally {
      this.ms += performance.now() - t0;
    }
  }

  private resolveInner(m: number, segIndex: number): Resolution {
    const msg = this.msgs[m]!;
    const seg = msg.segments[segIndex]!;
    const d = Math.max(1, seg.depth);
    const words = wordHashes(msg.body, seg.start, seg.end);
    const none: Resolution = {
      source: -1,
      segment: -1,
      alsoSegments: [],
      coverage: 0,
      confidence: 0,
      method: 'none',
    };
    if (words.length === 0) return none;
    const anc = this.ancestors(m, Math.min(MAX_WALK, d + MAX_ANCESTOR_PROBE));
    const atDepth = anc[d - 1] ?? -1;
    // probe order: the depth-d ancestor, then the others nearest first
    const probe: number[] = [];
    if (atDepth >= 0) probe.push(atDepth);
    for (const a of anc) if (a !== atDepth) probe.push(a);

    if (words.length < SHINGLE_WORDS) {
      for (const a of probe.slice(0, 2)) {
        if (this.msgs[a]!.ghost) continue;
        const s = this.scoreShort(a, words);
        if (s >= 0)
          return { source: a, segment: s, alsoSegments: [], coverage: 1, confidence: 0.6, method: 'short' };
      }
    } else {
      const sh = shingles(words);
      for (const a of probe) {
        if (this.msgs[a]!.ghost) continue;
        const r = this.score(a, sh);
        if (r.coverage >= MIN_COVERAGE) {
          // Found farther up than the markers say, but the message the markers point at is
          // missing: that message re-quoted these words without markers (or wrote them), so it
          // is the quote's source as far as this thread can tell.
          if (atDepth >= 0 && this.msgs[atDepth]!.ghost && anc.indexOf(a) > d - 1)
            return { ...none, source: atDepth, coverage: r.coverage, confidence: 0.4, method: 'ghost' };
          const exact = a === atDepth;
          return {
            source: a,
            segment: r.segment,
            alsoSegments: r.also,
            coverage: r.coverage,
            confidence: round2(r.coverage * (exact ? 1 : 0.9)),
            method: exact ? 'ancestor' : 'ancestor-near',
          };
        }
      }
      // thread-wide: the earliest writer of most of these shingles, written before this message
      if (!this.threadBuilt) this.buildThreadIndex();
      const tm = this.threadMap!;
      const votes = new Map<number, number>();
      for (let k = 0; k < sh.length; k++) {
        const w = tm.get(sh[k]!);
        if (w >= 0 && w !== m) votes.set(w, (votes.get(w) ?? 0) + 1);
      }
      const ranked = [...votes.entries()]
        .filter(([w]) => cmpDate(this.msgs[w]!.date, msg.date) <= 0)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, MAX_THREAD_CANDIDATES);
      for (const [w] of ranked) {
        const r = this.score(w, sh);
        if (r.coverage >= MIN_COVERAGE)
          return {
            source: w,
            segment: r.segment,
            alsoSegments: r.also,
            coverage: r.coverage,
            confidence: round2(r.coverage * 0.8),
            method: 'thread',
          };
      }
    }
    // Not found in any present message: a missing ancestor within d steps is the likely writer.
    if (atDepth >= 0 && this.msgs[atDepth]!.ghost)
      return { ...none, source: atDepth, confidence: 0.4, method: 'ghost' };
    for (let k = 0; k < Math.min(d, anc.length); k++)
      if (this.msgs[anc[k]!]!.ghost) return { ...none, source: anc[k]!, confidence: 0.3, method: 'ghost' };
    if (atDepth >= 0) return { ...none, source: atDepth, confidence: 0.15, method: 'depth' };
    if (anc.length) return { ...none, source: anc[anc.length - 1]!, confidence: 0.1, method: 'depth' };
    return none;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Compare ISO dates; unknown dates sort as equal (they never exclude a candidate). */
function cmpDate(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}
