/**
 * Seeded choice of the replies that become archive pages. Nothing here looks at what argmap does
 * with a message: the choice depends only on the seed and on the raw headers.
 */
import { ancestors, type Corpus } from './mail.ts';

import { rng } from '../../src/util/rng.ts';

export { rng };

export function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export interface SelectOptions {
  seed: number;
  /** How many replies to choose (at least). */
  count: number;
  /** At most this many from one thread. */
  cap: number;
  /** At least this many threads. */
  minThreads: number;
}

export interface Selection {
  /** Chosen Message-IDs, in the order they were drawn. */
  ids: string[];
  /** Thread key → chosen ids of that thread. */
  byThread: Map<string, string[]>;
  /** Pairs of chosen replies by one author where one is an ancestor of the other. */
  sameAuthorPairs: [string, string][];
  /** Candidates (replies whose In-Reply-To parent is held) and the threads they span. */
  candidates: number;
  candidateThreads: number;
}

/** A reply usable as ground truth: In-Reply-To parent held, unambiguous id, a date and some text. */
export function isCandidate(c: Corpus, id: string): boolean {
  const m = c.byId.get(id)!;
  return (
    c.parentHeader.get(id) === 'in-reply-to' &&
    !c.ambiguous.has(id) &&
    !c.ambiguous.has(c.parentOf.get(id)!) &&
    m.dateMs !== null &&
    m.text.trim() !== ''
  );
}

const authorKey = (c: Corpus, id: string): string => {
  const m = c.byId.get(id)!;
  return m.fromAddr || m.fromName.toLowerCase();
};

/**
 * Draw replies thread by thread in a seeded round robin, so that every thread gives some before
 * any gives many, up to `cap` per thread. Within a thread the order is seeded, except that one
 * pair of replies by the same author in the same sub-thread (one an ancestor of the other), when
 * the thread has one, is drawn first: those are the pages the merge and placement rules confuse
 * most easily, and a uniform draw would rarely hold both halves of a pair.
 */
export function selectReplies(c: Corpus, o: SelectOptions): Selection {
  const rand = rng(o.seed);
  const perThread = new Map<string, string[]>();
  const ids = [...c.byId.keys()].sort();
  let candidates = 0;
  for (const id of ids) {
    if (!isCandidate(c, id)) continue;
    candidates++;
    const t = c.threadOf.get(id)!;
    const l = perThread.get(t) ?? [];
    l.push(id);
    perThread.set(t, l);
  }
  const threads = shuffle([...perThread.keys()].sort(), rand);
  const queues = new Map<string, string[]>();
  for (const t of threads) {
    const order = shuffle(perThread.get(t)!, rand);
    const set = new Set(order);
    const pairs: [string, string][] = [];
    for (const b of order)
      for (const a of ancestors(c, b))
        if (set.has(a) && authorKey(c, a) === authorKey(c, b)) pairs.push([a, b]);
    const first = pairs.length ? pairs[Math.floor(rand() * pairs.length)]! : null;
    queues.set(t, first ? [...first, ...order.filter((x) => !first.includes(x))] : order);
  }
  const byThread = new Map<string, string[]>();
  const chosen: string[] = [];
  let progress = true;
  while (progress && (chosen.length < o.count || byThread.size < o.minThreads)) {
    progress = false;
    for (const t of threads) {
      if (chosen.length >= o.count && byThread.size >= o.minThreads) break;
      const q = queues.get(t)!;
      const got = byThread.get(t) ?? [];
      if (!q.length || got.length >= o.cap) continue;
      const id = q.shift()!;
      got.push(id);
      byThread.set(t, got);
      chosen.push(id);
      progress = true;
    }
  }
  const chosenSet = new Set(chosen);
  const sameAuthorPairs: [string, string][] = [];
  for (const b of chosen)
    for (const a of ancestors(c, b))
      if (chosenSet.has(a) && authorKey(c, a) === authorKey(c, b)) sameAuthorPairs.push([a, b]);
  return { ids: chosen, byThread, sameAuthorPairs, candidates, candidateThreads: perThread.size };
}

/**
 * Threads for the whole-thread variant: in seeded order, threads of at least two messages are
 * taken whole until they hold `count` candidate replies and there are `minThreads` of them.
 */
export function selectWholeThreads(c: Corpus, o: SelectOptions): string[] {
  const rand = rng(o.seed ^ 0x5eed);
  const size = new Map<string, number>();
  const replies = new Map<string, number>();
  for (const id of c.byId.keys()) {
    const t = c.threadOf.get(id)!;
    size.set(t, (size.get(t) ?? 0) + 1);
    if (isCandidate(c, id)) replies.set(t, (replies.get(t) ?? 0) + 1);
  }
  const order = shuffle(
    [...size.keys()].filter((t) => size.get(t)! >= 2 && (replies.get(t) ?? 0) > 0).sort(),
    rand,
  );
  const out: string[] = [];
  let n = 0;
  for (const t of order) {
    if (n >= o.count && out.length >= o.minThreads) break;
    out.push(t);
    n += replies.get(t) ?? 0;
  }
  return out;
}
