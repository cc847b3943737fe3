/**
 * Threading, after JWZ and public-inbox's SearchThread: every message's parent comes from its own
 * In-Reply-To (first id) or else the last id of its References; ghost rows (referenced but missing
 * messages) are kept and chained by the References lists they appear in, so two replies to one
 * missing message share a thread. Messages with no threading headers keep the parent that
 * placement inferred (attribution line, quoted text, subject; a ghost for a missing parent),
 * flagged by `parent_reason`.
 *
 * No recursion and no quadratic walks: parents are linked through a union-find over tree roots,
 * so a link that would close a loop (References cycles, a message naming its own descendant) is
 * detected in near-constant time and refused. The thread id is the row id of the tree's root.
 *
 * The whole archive is re-threaded in typed arrays (a few bytes per message and per reference),
 * in date order, so the order in which sources were read never changes the result.
 *
 * Incremental: every rule above looks only at a message, the rows its headers name, its stored
 * (inferred) parent and the date order among those, so the result for one connected part of that
 * graph depends on nothing outside it. After an ingest, only the parts the new mail touches are
 * re-threaded: the closure of the changed rows over references (both ways), parents, children and
 * stored thread membership (so a thread that placement split is redone whole). That gives exactly
 * the rows a full pass gives (test/thread/threader.test.ts checks it on real mail appended piece
 * by piece); when the closure is a large share of the archive, the full pass is run instead.
 */
import type { Db } from '../store/db.ts';
import { setMeta } from '../store/db.ts';
import { ThreadingTables, type ThreadingChanges } from '../store/threading-tables.ts';
import { immediateTransaction } from '../store/transaction.ts';
import { MAX_THREAD_DEPTH } from '../util/limits.ts';
import { relieveHeap } from '../util/heap.ts';
import { INFERRED_PARENT_REASONS } from './place.ts';

export interface ThreadStats {
  messages: number;
  threads: number;
  parentsChanged: number;
  loopsRefused: number;
  /** Rows re-threaded by an incremental pass; null when the whole archive was. */
  incremental: number | null;
  ms: number;
}

/**
 * An incremental pass whose closure grows past this share of the archive's rows stops and runs
 * the full pass (which reads everything in bulk and is then the cheaper one).
 */
export const MAX_INCREMENTAL_SHARE = 0.2;

/**
 * The rows an incremental rethread must redo for `changed`, or null when they pass `limit`. A
 * breadth-first walk with an explicit queue (no recursion over user data).
 */
export function threadingScope(
  tables: ThreadingTables,
  changed: ThreadingChanges,
  limit: number,
): number[] | null {
  const seen = new Set<number>();
  const threads = new Set<number>();
  const queue: number[] = [];
  const add = (x: number | null): void => {
    if (x !== null && !seen.has(x)) {
      seen.add(x);
      queue.push(x);
    }
  };
  const addThread = (t: number | null): void => {
    if (t === null || threads.has(t)) return;
    threads.add(t);
    for (const x of tables.threadMembers(t)) add(x);
  };
  for (const x of changed.messages) add(x);
  for (const t of changed.threads) addThread(t);
  while (queue.length) {
    if (seen.size > limit) return null;
    const x = queue.pop()!;
    const row = tables.parentAndThread(x);
    if (!row) continue; // deleted: its thread was named in `changed.threads`
    add(row[0]);
    addThread(row[1]);
    for (const r of tables.refsOf(x)) add(r);
    for (const r of tables.referrers(x)) add(r);
    for (const c of tables.children(x)) add(c);
  }
  return seen.size > limit ? null : [...seen].sort((a, b) => a - b);
}

/**
 * Pick each message's parent and thread; rebuild the threads table. With `changed` (what an
 * ingest stored and placement moved), only the part of the archive those rows reach is redone.
 */
export function rethread(db: Db, opts: { changed?: ThreadingChanges } = {}): ThreadStats {
  const t0 = performance.now();
  const tables = new ThreadingTables(db);
  const maxId = tables.maxMessageId();
  const n = maxId + 1;
  const scope = opts.changed
    ? threadingScope(tables, opts.changed, Math.max(1000, Math.floor(n * MAX_INCREMENTAL_SHARE)))
    : null;
  const exists = new Uint8Array(n);
  const ghost = new Uint8Array(n);
  const oldParent = new Int32Array(n).fill(-1);
  const oldThread = new Int32Array(n).fill(-1);
  const inferred = new Int32Array(n).fill(-1); // attribution/subject parents, kept when no header says otherwise
  const inferredReason: (string | undefined)[] = [];
  const oldReason: (string | null)[] = new Array(n).fill(null);
  let read = 0;
  for (const r of scope ? tables.messagesIn(scope) : tables.messages()) {
    // every row is garbage a moment later: collect now and then (see util/heap.ts)
    if ((++read & 0xffff) === 0) relieveHeap();
    const [id, g, p, reason, th] = r;
    exists[id] = 1;
    ghost[id] = g;
    if (p !== null) oldParent[id] = p;
    if (th !== null) oldThread[id] = th;
    oldReason[id] = reason;
    if (p !== null && reason !== null && INFERRED_PARENT_REASONS.has(reason)) {
      inferred[id] = p;
      inferredReason[id] = reason;
    }
  }

  // Union-find over the forest being built: uf[x] leads to x's tree root.
  const uf = new Int32Array(n);
  for (let i = 0; i < n; i++) uf[i] = i;
  const find = (x: number): number => {
    let r = x;
    let steps = 0;
    while (uf[r] !== r && steps++ < MAX_THREAD_DEPTH) r = uf[r]!;
    // Path halving keeps later finds short.
    let c = x;
    while (uf[c] !== r) {
      const next = uf[c]!;
      uf[c] = r;
      c = next;
    }
    return r;
  };
  const parent = new Int32Array(n).fill(-1);
  const reasonOf: (string | undefined)[] = new Array(n);
  let loops = 0;
  const link = (child: number, par: number, reason: string): boolean => {
    if (child === par || parent[child] !== -1 || !exists[par]) return false;
    // child has no parent yet, so it is the root of its tree: the link closes a loop exactly when
    // par already hangs below child.
    const rp = find(par);
    if (rp === child) {
      loops++;
      return false;
    }
    parent[child] = par;
    reasonOf[child] = reason;
    uf[child] = rp; // child was a root: its tree joins par's
    return true;
  };

  // Load threading headers grouped by message into flat arrays (two ints per reference).
  const refStart = new Int32Array(n + 1);
  const refCounts = new Int32Array(n);
  const scopedRefs = scope ? tables.refsIn(scope) : null;
  const total = scopedRefs ? scopedRefs.length : tables.refCount();
  const refTarget = new Int32Array(total);
  const refIsIrt = new Uint8Array(total);
  {
    let k = 0;
    for (const [mid, kind, ref] of scopedRefs ?? tables.refs()) {
      if ((++read & 0xffff) === 0) relieveHeap();
      refCounts[mid]!++;
      refTarget[k] = ref;
      refIsIrt[k] = kind === 'in-reply-to' ? 1 : 0;
      k++;
    }
    for (let i = 0; i < n; i++) refStart[i + 1] = refStart[i]! + refCounts[i]!;
  }
  // Messages are linked in date order (then Message-ID), as public-inbox does, so the result does
  // not depend on which source was read first: the earliest References list that names a ghost
  // decides where the ghost hangs.
  const order = scope ? tables.messagesInDateOrderIn(scope) : tables.messagesInDateOrder();
  for (const cur of order) {
    const a = refStart[cur]!;
    const b = refStart[cur + 1]!;
    let viaIrt = -1;
    for (let k = a; k < b; k++)
      if (refIsIrt[k] && refTarget[k] !== cur) {
        viaIrt = refTarget[k]!;
        break;
      }
    if (viaIrt >= 0 && link(cur, viaIrt, 'in-reply-to')) continue;
    for (let k = b - 1; k >= a; k--) if (!refIsIrt[k] && link(cur, refTarget[k]!, 'references')) break;
  }
  // Real messages without headers keep their inferred parents.
  for (let id = 0; id < n; id++) {
    if (exists[id] && !ghost[id] && parent[id] === -1 && inferred[id]! >= 0)
      link(id, inferred[id]!, inferredReason[id]!);
  }
  // Ghosts are chained by the References lists that name them (the earliest list wins), as JWZ does.
  for (const cur of order) {
    const a = refStart[cur]!;
    const b = refStart[cur + 1]!;
    const chain: number[] = [];
    for (let k = a; k < b; k++) if (!refIsIrt[k] && refTarget[k] !== cur) chain.push(refTarget[k]!);
    for (let k = chain.length - 1; k >= 1; k--) {
      const c = chain[k]!;
      if (ghost[c] && parent[c] === -1) link(c, chain[k - 1]!, 'references');
    }
  }
  // Ghosts that placement made for a missing parent keep the parent it found for them.
  for (let id = 0; id < n; id++) {
    if (exists[id] && ghost[id] && parent[id] === -1 && inferred[id]! >= 0)
      link(id, inferred[id]!, inferredReason[id]!);
  }

  // Write back only what changed.
  let changed = 0;
  immediateTransaction(db, () => {
    const touchedThreads = new Set<number>(); // old and new thread ids of the scope's rows
    const write = (id: number): void => {
      if (!exists[id]) return;
      const root = find(id);
      const p = parent[id]!;
      const reason = p >= 0 ? (reasonOf[id] ?? null) : null;
      if (scope) {
        if (oldThread[id]! >= 0) touchedThreads.add(oldThread[id]!);
        touchedThreads.add(root);
      }
      if (p !== oldParent[id] || root !== oldThread[id] || reason !== oldReason[id]) {
        tables.setThreading(id, p >= 0 ? p : null, reason, root);
        changed++;
      }
    };
    if (scope) {
      for (const id of scope) write(id);
      for (const t of opts.changed!.threads) touchedThreads.add(t);
      tables.rebuildThreadsIn([...touchedThreads]);
    } else {
      for (let id = 0; id < n; id++) write(id);
      tables.rebuildThreads();
    }
    setMeta(db, 'threads_dirty', null);
  });
  return {
    messages: n - 1,
    threads: tables.threadCount(),
    parentsChanged: changed,
    loopsRefused: loops,
    incremental: scope ? scope.length : null,
    ms: performance.now() - t0,
  };
}
