/**
 * Text processing for the lunr index, shared by the Node build and the browser bundle (both must
 * turn text into terms identically, and lunr needs the same pipeline functions registered before
 * `Index.load`). Pure apart from lunr itself.
 *
 * Differences from lunr's defaults, each for a reason seen in kernel mail:
 * - words keep inner `.`, `/`, `_`, `+` and `-` (`memory.high`, `mm/vmscan.c`, `lru_gen`,
 *   `per-memcg`), and are also indexed by their parts, so `memory` finds `memory.high`;
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

/** The terms of a text as indexed: words, their parts for compound words, stop words removed, stemmed. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (let w of words(text)) {
    if (w.length > MAX_WORD) w = w.slice(0, MAX_WORD);
    const t = processCached(w);
    if (t !== null) out.push(t);
    if (/[./+-]/.test(w)) {
      for (const part of w.split(/[./+-]+/)) {
        if (part.length < 2 || part === w) continue;
        const p = processCached(part);
        if (p !== null) out.push(p);
      }
    }
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
