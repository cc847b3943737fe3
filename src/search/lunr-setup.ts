/**
 * Text processing for the lunr index, shared by the Node build and the browser bundle (both must
 * turn text into terms identically, and lunr needs the same pipeline functions registered before
 * `Index.load`). Pure apart from lunr itself.
 *
 * Differences from lunr's defaults, each for a reason seen in kernel mail:
 * - words keep inner `.`, `/`, `_`, `+` and `-` (`memory.high`, `mm/vmscan.c`, `lru_gen`,
 *   `per-memcg`), and are also indexed by their parts, so `memory` finds `memory.high` and
 *   `memory_high_write` (as FTS5, which splits at every one of these, does in the CLI);
 * - code-like words (with `_`, a digit, `.`, `/` or `-`) are not stemmed: `shrink_node` stays
 *   `shrink_node`, so `shrink_node*` matches it;
 * - `not` and `no` are not stop words (NACK-style searches need them);
 * - letters are Unicode-aware (lunr's trimmer is ASCII `\W`, which turns `über` into `ber`).
 */
import lunr from 'lunr';
import { words } from './query.ts';

const KEEP = new Set(['not', 'no']);
const LUNR_STOP_WORDS: string[] = (() => {
  // lunr does not export its list; recover it by probing the filter with the documented words.
  const candidates =
    'a able about across after all almost also am among an and any are as at be because been but by can cannot could dear did do does either else ever every for from get got had has have he her hers him his how however i if in into is it its just least let like likely may me might most must my neither no nor not of off often on only or other our own rather said say says she should since so some than that the their them then there these they this tis to too twas us wants was we were what when where which while who whom why will with would yet you your';
  return candidates.split(' ').filter((w) => !lunr.stopWordFilter(new lunr.Token(w, {})));
})();

/** The stop words dropped from index and queries. */
export const STOP_WORDS: ReadonlySet<string> = new Set(LUNR_STOP_WORDS.filter((w) => !KEEP.has(w)));

function isCodeLike(w: string): boolean {
  return /[_\d./+-]/.test(w);
}

/** One word → its indexed term (stop words → null). */
export function processWord(w: string): string | null {
  if (STOP_WORDS.has(w)) return null;
  if (isCodeLike(w)) return w;
  return lunr.stemmer(new lunr.Token(w, {})).toString();
}

const cache = new Map<string, string | null>();
const CACHE_MAX = 500_000;

function processCached(w: string): string | null {
  let t = cache.get(w);
  if (t === undefined) {
    t = processWord(w);
    if (cache.size < CACHE_MAX) cache.set(w, t);
  }
  return t;
}

/** Longest word indexed; longer tokens (base64, hashes run together) are cut. */
export const MAX_WORD = 64;

/**
 * How many words SQLite FTS5's unicode61 tokenizer (the CLI's) makes of `w`: its runs of letters
 * and digits. Positions count in these units, so that `mm/vmscan.c` takes three positions on the
 * site as in the CLI and a phrase is adjacent in both or in neither.
 */
export function tokenSpan(w: string): number {
  if (!/[^\p{L}\p{N}]/u.test(w)) return w ? 1 : 0;
  let n = 0;
  let inRun = false;
  for (const ch of w) {
    const letter = /[\p{L}\p{N}]/u.test(ch);
    if (letter && !inRun) n++;
    inRun = letter;
  }
  return n;
}

/**
 * The terms of a text as indexed: words, their parts for compound words (split at `.` `/` `+` `-`,
 * and those parts again at `_`: `mm/lru_gen.c` is also `mm`, `lru_gen`, `lru` and `gen`), stop
 * words removed, stemmed. With `positions`, also each term's position (pushed in step with the
 * terms): words count in {@link tokenSpan} units, stop words included; a compound word stands at
 * the position of its first part and each part at its own, so `memory.high` is `memory` followed
 * by `high`.
 */
export function indexTerms(text: string, positions?: number[]): string[] {
  const out: string[] = [];
  let pos = 0;
  for (let w of words(text)) {
    if (w.length > MAX_WORD) w = w.slice(0, MAX_WORD);
    const t = processCached(w);
    if (t !== null) {
      out.push(t);
      positions?.push(pos);
    }
    if (/[./+_-]/.test(w)) {
      const emit = (part: string, at: number): void => {
        const p = processCached(part);
        if (p !== null) {
          out.push(p);
          positions?.push(at);
        }
      };
      let at = pos;
      for (const part of w.split(/[./+-]+/)) {
        if (part.length >= 2 && part !== w) emit(part, at);
        if (part.includes('_')) {
          let sub = at;
          for (const piece of part.split(/_+/)) {
            if (piece.length >= 2) emit(piece, sub);
            sub += tokenSpan(piece);
          }
        }
        at += tokenSpan(part);
      }
      pos = at;
    } else pos += 1;
  }
  return out;
}

/**
 * A phrase as position lookups: each word's term (and the word it came from) and its offset from
 * the phrase's first word
 * (in {@link tokenSpan} units; stop words are left out but keep their place, so inside a phrase
 * one stands for any one word). A compound word is looked up by its smallest parts, so the phrase
 * `"memory.high limit"` also matches "memory high limit" and `"memory high"` matches
 * `memory_high_write`, as FTS5 (which splits at these characters) does; a compound with no part
 * of two letters or more is looked up whole. Stop words at either end constrain nothing and are
 * dropped.
 */
export function phraseTerms(phraseWords: string[]): { term: string; offset: number; word: string }[] {
  const out: { term: string; offset: number; word: string }[] = [];
  let at = 0;
  for (const raw of phraseWords) {
    const w = raw.toLowerCase().slice(0, MAX_WORD);
    if (/[./+_-]/.test(w)) {
      const parts: { term: string; offset: number; word: string }[] = [];
      let p = at;
      for (const part of w.split(/[./+_-]+/)) {
        if (part.length >= 2) {
          const t = processWord(part);
          if (t !== null) parts.push({ term: t, offset: p, word: part });
        }
        p += tokenSpan(part);
      }
      if (parts.length) out.push(...parts);
      else {
        const t = processWord(w);
        if (t !== null) out.push({ term: t, offset: at, word: w });
      }
      at = p;
      continue;
    }
    const t = processWord(w);
    if (t !== null) out.push({ term: t, offset: at, word: w });
    at += tokenSpan(w);
  }
  return out;
}

/** A query word as the index holds it (null if it is a stop word). */
export function queryTerm(word: string): string | null {
  return processWord(word.toLowerCase().slice(0, MAX_WORD));
}

/** Labels of the search pipeline stored in the serialized index. */
export const PIPELINE_LABELS = ['argmapStopWords', 'argmapStemmer'];

let registered = false;

/**
 * Register the pipeline functions under their labels (idempotent). Must run before
 * `lunr.Index.load` in the browser and before building with lunr in tests.
 */
export function registerLunr(): void {
  if (registered) return;
  registered = true;
  // lunr drops a token when a pipeline function returns undefined (its typings say null).
  const stop: lunr.PipelineFunction = (token) =>
    STOP_WORDS.has(token.toString()) ? (undefined as unknown as null) : token;
  const stem: lunr.PipelineFunction = (token) => (isCodeLike(token.toString()) ? token : lunr.stemmer(token));
  lunr.Pipeline.registerFunction(stop, PIPELINE_LABELS[0]!);
  lunr.Pipeline.registerFunction(stem, PIPELINE_LABELS[1]!);
}

export { lunr };
