/**
 * Bounded-memory statistics for long runs: a log-bucket latency histogram (percentiles without
 * storing every event) and growable numeric columns for time series.
 */

/** Buckets per decade: adjacent bucket edges differ by 10^(1/40) ≈ 5.9%. */
const PER_DECADE = 40;
/** Smallest value kept apart from zero, µs (below any cost in the model). */
const MIN_VALUE = 0.01;
/** Decades covered above MIN_VALUE: 0.01 µs … 10^8 µs (100 s). */
const DECADES = 10;
const NBUCKETS = PER_DECADE * DECADES + 2;

/** A histogram of latencies (µs) with weights; exact count, sum and max. */
export class LogHistogram {
  readonly counts = new Float64Array(NBUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  private lastValue = -1;
  private lastBucket = 0;

  add(value: number, weight = 1): void {
    if (!(weight > 0) || !Number.isFinite(value)) return;
    const v = Math.max(0, value);
    // Many events cost exactly the same; skip the logarithm for a repeat.
    const b = v === this.lastValue ? this.lastBucket : bucketOf(v);
    this.lastValue = v;
    this.lastBucket = b;
    this.counts[b] = (this.counts[b] ?? 0) + weight;
    this.count += weight;
    this.sum += v * weight;
    if (v > this.max) this.max = v;
  }

  /** The q-quantile (0..1), as the upper edge of its bucket clamped to the exact max. 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const want = q * this.count;
    let acc = 0;
    for (let i = 0; i < NBUCKETS; i++) {
      acc += this.counts[i] ?? 0;
      if (acc >= want && (this.counts[i] ?? 0) > 0) return Math.min(upperEdge(i), this.max);
    }
    return this.max;
  }

  mean(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  /** The empirical CDF as [value µs, cumulative fraction] points, one per non-empty bucket. */
  cdf(): [number, number][] {
    const out: [number, number][] = [];
    if (this.count === 0) return out;
    let acc = 0;
    for (let i = 0; i < NBUCKETS; i++) {
      const c = this.counts[i] ?? 0;
      if (c <= 0) continue;
      acc += c;
      out.push([Math.min(upperEdge(i), this.max), acc / this.count]);
    }
    return out;
  }

  merge(other: LogHistogram): void {
    for (let i = 0; i < NBUCKETS; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }
}

function bucketOf(v: number): number {
  if (v < MIN_VALUE) return 0;
  const i = 1 + Math.floor(Math.log10(v / MIN_VALUE) * PER_DECADE);
  return Math.min(NBUCKETS - 1, i);
}

function upperEdge(i: number): number {
  if (i === 0) return MIN_VALUE;
  return MIN_VALUE * 10 ** (i / PER_DECADE);
}

/** A growable column of doubles. */
export class Column {
  private data = new Float64Array(256);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  /** Values rounded to `decimals`; a non-finite value (a limit of "max") becomes null. */
  toArray(decimals = 3): (number | null)[] {
    const f = 10 ** decimals;
    const out = new Array<number | null>(this.length);
    for (let i = 0; i < this.length; i++) {
      const v = this.data[i] ?? 0;
      out[i] = Number.isFinite(v) ? Math.round(v * f) / f : null;
    }
    return out;
  }

  get(i: number): number {
    return this.data[i] ?? 0;
  }
}
