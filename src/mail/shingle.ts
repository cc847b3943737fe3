/**
 * Word tokens and word shingles for quote resolution, and a compact integer hash map.
 *
 * A quote is matched to its source by the word 4-grams ("shingles") it shares with the source's
 * own text. Words ignore case, punctuation, quote markers and line breaks, so re-wrapped quotes,
 * `>`/`> >` styles and trimmed lines still share almost all their shingles with the original.
 * Everything is hashed to 32-bit integers and kept in typed arrays: the whole archive's text goes
 * through here, and JavaScript strings or Map entries per word would cost ten times the memory.
 */

/** Words per shingle. Four words are specific enough that unrelated messages rarely share one. */
export const SHINGLE_WORDS = 4;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    (c >= 0xc0 && c !== 0xa0 && c !== 0xfeff && c !== 0x2026 && (c < 0x2000 || c > 0x206f)) // letters beyond ASCII, not spaces/punctuation
  );
}

/**
 * Hashes of the words of `text[start, end)`, lower-cased ASCII. Quote markers, punctuation and
 * whitespace separate words and are otherwise ignored.
 */
export function wordHashes(text: string, start = 0, end = text.length): Int32Array {
  const out: number[] = [];
  let h = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (isWordChar(c)) {
      if (c >= 65 && c <= 90) c += 32;
      if (!inWord) {
        h = FNV_OFFSET;
        inWord = true;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (inWord) {
      out.push(h | 0);
      inWord = false;
    }
  }
  if (inWord) out.push(h | 0);
  return Int32Array.from(out);
}

/** Combine `k` consecutive word hashes starting at `i` into one shingle hash (never 0). */
export function shingleAt(words: Int32Array, i: number, k = SHINGLE_WORDS): number {
  let h = 0x9e3779b1 | 0;
  for (let j = 0; j < k; j++) {
    h = Math.imul(h ^ words[i + j]!, 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h === 0 ? 1 : h;
}

/** All shingles of a word sequence; a sequence shorter than k words gives one shingle of all of them. */
export function shingles(words: Int32Array, k = SHINGLE_WORDS): Int32Array {
  if (words.length === 0) return new Int32Array(0);
  if (words.length < k) return Int32Array.of(shingleAt(words, 0, words.length));
  const out = new Int32Array(words.length - k + 1);
  for (let i = 0; i + k <= words.length; i++) out[i] = shingleAt(words, i, k);
  return out;
}

/**
 * An open-addressing hash map from non-zero 32-bit keys to 32-bit values, in two typed arrays.
 * `set` keeps the first value stored for a key unless `overwrite` is given.
 */
export class IntMap {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) & this.mask;
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  /** The value for `key`, or `missing`. */
  get(key: number, missing = -1): number {
    const i = this.slot(key);
    return this.keys[i] === 0 ? missing : this.vals[i]!;
  }

  /** Store `value` for `key`; returns false when the key was already present (value kept unless overwrite). */
  set(key: number, value: number, overwrite = false): boolean {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const i = this.slot(key);
    if (this.keys[i] !== 0) {
      if (overwrite) this.vals[i] = value;
      return false;
    }
    this.keys[i] = key;
    this.vals[i] = value;
    this.size++;
    return true;
  }

  /** Bytes held by the two arrays (for memory accounting). */
  get bytes(): number {
    return this.keys.byteLength * 2;
  }

  private grow(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    this.keys = new Int32Array(oldK.length * 2);
    this.vals = new Int32Array(oldK.length * 2);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < oldK.length; i++) {
      const k = oldK[i]!;
      if (k === 0) continue;
      const s = this.slot(k);
      this.keys[s] = k;
      this.vals[s] = oldV[i]!;
    }
  }
}
