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
 */
import type { Db } from '../store/db.ts';
import { setMeta } from '../store/db.ts';
import { ThreadingTables } from '../store/threading-tables.ts';
import { immediateTransaction } from '../store/transaction.ts';
import { MAX_THREAD_DEPTH } from '../util/limits.ts';
import { INFERRED_PARENT_REASONS } from './place.ts';

export interface ThreadStats {
  messages: number;
  threads: number;
  parentsChanged: number;
  loopsRefused: number;
  ms: number;
}

/** Pick each message's parent and thread; rebuild the threads table. */
export function rethread(db: Db): ThreadStats {
  const t0 = performance.now();
  const tables = new ThreadingTables(db);
  const maxId = tables.maxMessageId();
  const n = maxId + 1;
  const exists = new Uint8Array(n);
  const ghost = new Uint8Array(n);
  const oldParent = new Int32Array(n).fill(-1);
  const oldThread = new Int32Array(n).fill(-1);
  const inferred = new Int32Array(n).fill(-1); // attribution/subject parents, kept when no header says otherwise
  const inferredReason: (string | undefined)[] = [];
  const oldReason: (string | null)[] = new Array(n).fill(null);
  for (const r of tables.messages()) {
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
  const total = tables.refCount();
  const refTarget = new Int32Array(total);
  const refIsIrt = new Uint8Array(total);
  {
    let k = 0;
    for (const [mid, kind, ref] of tables.refs()) {
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
  const order = tables.messagesInDateOrder();
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
    for (let id = 0; id < n; id++) {
      if (!exists[id]) continue;
      const root = find(id);
      const p = parent[id]!;
      const reason = p >= 0 ? (reasonOf[id] ?? null) : null;
      if (p !== oldParent[id] || root !== oldThread[id] || reason !== oldReason[id]) {
        tables.setThreading(id, p >= 0 ? p : null, reason, root);
        changed++;
      }
    }
    tables.rebuildThreads();
    setMeta(db, 'threads_dirty', null);
  });
  return {
    messages: n - 1,
    threads: tables.threadCount(),
    parentsChanged: changed,
    loopsRefused: loops,
    ms: performance.now() - t0,
  };
}
