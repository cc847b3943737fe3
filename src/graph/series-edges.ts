/**
 * Edges between versions of a proposal:
 *  - `supersedes`: a paragraph of posting k+1 → the paragraph of posting k it rewrites (word
 *    shingle similarity ≥ MIN_SUPERSEDE_SIMILARITY); evidence `same` or `changed 0.63`.
 *  - `implements`: a change-log item of posting k+1 ("Converted … to take nodemask_t* as Shakeel
 *    and Muchun suggested") → the review claim on an earlier posting that asked for it, when the
 *    item names the reviewer and shares words with the claim, or shares several content words.
 * Also returns, for every paragraph of a posting that has a later posting, whether it stayed the
 * same, changed or was dropped: objection status uses it ("the quoted text changed").
 */
import type { Db } from '../store/db.ts';
import {
  CarriedTrailerTables,
  VersionEdgeTables,
  type VersionedPatchRow,
} from '../store/series-edge-tables.ts';
import { shingles, wordHashes } from '../mail/shingle.ts';
import { parseTrailerLine } from '../mail/trailers.ts';
import { ruleIdOf } from './stance.ts';
import { relieveHeap } from '../util/heap.ts';

/** Similarity (Jaccard of word 4-gram sets) for "this paragraph is a rewrite of that one". */
export const MIN_SUPERSEDE_SIMILARITY = 0.3;
/** At or above this similarity a paragraph counts as unchanged. */
const SAME_SIMILARITY = 0.95;
/** Score needed for a change-log item to implement a review claim (see scoreItem). */
const MIN_IMPLEMENTS_SCORE = 3;
/** Review claims considered per series (a 500-message review of a 40-patch series is the worst case). */
const MAX_REVIEW_CLAIMS = 20_000;

/** What happened to a posted paragraph in the next posting. */
export type Fate = { status: 'same' | 'changed' | 'dropped'; byClaim: number | null; posting: string };

type PatchMsg = VersionedPatchRow;

interface Review {
  id: number;
  author: number | null;
  date: string;
  words: Set<string>;
}

/** Cut text out of a body by UTF-8 byte offsets (what claim_rows stores). */
function slicer(body: string): (start: number, end: number) => string {
  let ascii = true;
  for (let i = 0; i < body.length; i++)
    if (body.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  if (ascii) return (a, b) => body.slice(a, b);
  const buf = Buffer.from(body, 'utf8');
  return (a, b) => buf.subarray(a, b).toString('utf8');
}

interface ClaimText {
  id: number;
  text: string;
  stance: string;
  kind: string;
  stance_reason: string;
  author_id: number | null;
}

const STOP = new Set(
  (
    'this that with from have will would should could which when there their also some more than then into only just like about ' +
    'because memory cgroup memcg patch patches kernel version thanks added adding removed remove changed change changes since ' +
    'suggested comment comments review reviews fixed the and for are was were been being what your you they them other these those ' +
    'does done make made using used use case cases based after before where here need needs'
  ).split(' '),
);

function contentWords(t: string): Set<string> {
  const out = new Set<string>();
  for (const w of t.toLowerCase().split(/[^a-z0-9_]+/)) if (w.length >= 4 && !STOP.has(w)) out.add(w);
  return out;
}

function shingleSet(t: string): Set<number> {
  return new Set(shingles(wordHashes(t)));
}

/**
 * Write supersedes/implements edges for every series (with `scoped`, for the series of the
 * stored incremental scope only); returns the number of edges, and fills in the fates.
 */
export function seriesEdges(db: Db, fates: Map<number, Fate> = new Map(), scoped = false): number {
  const q = new VersionEdgeTables(db, scoped);
  const rows: PatchMsg[] = q.versionedPatches();
  const claimCache = new Map<number, ClaimText[]>();
  const claimsOf = (messageId: number): ClaimText[] => {
    const hit = claimCache.get(messageId);
    if (hit) return hit;
    const list = loadClaims(messageId);
    claimCache.set(messageId, list);
    return list;
  };
  const loadClaims = (messageId: number): ClaimText[] => {
    const rows = q.paragraphClaims(messageId);
    if (!rows.length) return [];
    const cut = slicer(q.body(messageId) ?? '');
    return rows.map((r) => ({ ...r, text: cut(r.start, r.end) }));
  };
  // a reviewer is "named" in a change-log item by any word of their name (first or last name)
  const nameRes = new Map<number, RegExp | null>();
  const nameRe = (id: number): RegExp | null => {
    if (nameRes.has(id)) return nameRes.get(id)!;
    const words = (q.personName(id) ?? '')
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length >= 3);
    const re = words.length ? new RegExp(`\\b(?:${words.join('|')})\\b`) : null;
    nameRes.set(id, re);
    return re;
  };
  // review claims per thread: objections, alternatives, questions and nacks, with their words
  const reviewCache = new Map<number, Review[]>();
  const reviewClaims = (thread: number): Review[] => {
    const out: Review[] = [];
    let msg = -1;
    let cut: (a: number, b: number) => string = () => '';
    for (const r of q.reviewClaims(thread)) {
      if (r.msg !== msg) {
        msg = r.msg;
        cut = slicer(q.body(msg) ?? '');
      }
      out.push({ id: r.id, author: r.author, date: r.date ?? '', words: contentWords(cut(r.start, r.end)) });
      if (out.length >= MAX_REVIEW_CLAIMS) break;
    }
    return out;
  };
  let n = 0;
  const bySeries = new Map<number, PatchMsg[]>();
  for (const r of rows) {
    const l = bySeries.get(r.series_id) ?? [];
    l.push(r);
    bySeries.set(r.series_id, l);
  }
  for (const list of bySeries.values()) {
    // both caches serve one series' postings; kept across series they held every review claim of
    // the archive with its word set (hundreds of MB at 10x)
    claimCache.clear();
    reviewCache.clear();
    // the bodies and word sets of one series are garbage once it is done (at 10x the heap grew
    // to 750 MB of them before V8 collected)
    relieveHeap();
    const postings = new Map<number, PatchMsg[]>();
    for (const r of list) {
      if (r.role !== 'patch') continue;
      const l = postings.get(r.posting) ?? [];
      l.push(r);
      postings.set(r.posting, l);
    }
    const order = [...postings.keys()].sort((a, b) => a - b);
    for (let k = 1; k < order.length; k++) {
      const older = postings.get(order[k - 1]!)!;
      const newer = postings.get(order[k]!)!;
      // supersedes: pair messages (cover↔cover, same title, else same part number)
      for (const nm of newer) {
        const om =
          (nm.is_cover ? older.find((o) => o.is_cover) : undefined) ??
          older.find((o) => !o.is_cover && o.normalised === nm.normalised) ??
          older.find((o) => !o.is_cover && !nm.is_cover && o.part === nm.part) ??
          (older.length === 1 && !nm.is_cover && nm.part <= 1 ? older[0] : undefined);
        if (!om) continue;
        const oc = claimsOf(om.message_id).filter((c) => c.stance !== 'neutral');
        const nc = claimsOf(nm.message_id).filter((c) => c.stance !== 'neutral');
        // inverted index: shingle → older paragraphs holding it; similarity from shared counts
        const osize: number[] = [];
        const inv = new Map<number, number[]>();
        oc.forEach((c, i) => {
          const set = shingleSet(c.text);
          osize.push(set.size);
          for (const h of set) (inv.get(h) ?? inv.set(h, []).get(h)!).push(i);
        });
        const matched = new Map<number, { by: number; sim: number }>();
        for (const c of nc) {
          const set = shingleSet(c.text);
          const shared = new Map<number, number>();
          for (const h of set) for (const i of inv.get(h) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
          let best = -1;
          let bestSim = 0;
          for (const [i, k] of shared) {
            const sim = k / (set.size + osize[i]! - k);
            if (sim > bestSim) {
              bestSim = sim;
              best = i;
            }
          }
          if (best >= 0 && bestSim >= MIN_SUPERSEDE_SIMILARITY) {
            const old = oc[best]!;
            const ev = bestSim >= SAME_SIMILARITY ? 'same' : `changed ${bestSim.toFixed(2)}`;
            n += q.insertEdge(c.id, old.id, 'supersedes', ev);
            const prev = matched.get(old.id);
            if (!prev || prev.sim < bestSim) matched.set(old.id, { by: c.id, sim: bestSim });
          }
        }
        for (const c of oc) {
          const m = matched.get(c.id);
          fates.set(c.id, {
            status: !m ? 'dropped' : m.sim >= SAME_SIMILARITY ? 'same' : 'changed',
            byClaim: m ? m.by : null,
            posting: `v${nm.version}${nm.is_resend ? ' RESEND' : ''} of ${nm.date.slice(0, 10)}`,
          });
        }
      }
      // implements: change-log items of the newer posting → review claims on earlier postings
      const items: { src: number; text: string }[] = [];
      for (const nm of newer) {
        for (const c of claimsOf(nm.message_id))
          if (ruleIdOf(c.stance_reason) === 'form.changelog')
            for (const t of splitItems(c.text)) items.push({ src: c.id, text: t });
        const h = q.headClaim(nm.message_id);
        if (h !== undefined)
          for (const block of q.changelogNotes(nm.message_id))
            for (const t of splitItems(block)) items.push({ src: h, text: t });
      }
      if (!items.length) continue;
      const threads = new Set<number>();
      for (let j = 0; j < k; j++)
        for (const r of postings.get(order[j]!)!) if (r.thread_id !== null) threads.add(r.thread_id);
      const until = newer[0]!.date;
      const review: Review[] = [];
      for (const t of threads) {
        let list = reviewCache.get(t);
        if (!list) reviewCache.set(t, (list = reviewClaims(t)));
        for (const c of list) if (c.date < until && review.length < MAX_REVIEW_CLAIMS) review.push(c);
      }
      if (!review.length) continue;
      const byWord = new Map<string, number[]>();
      review.forEach((c, i) => {
        for (const w of c.words) (byWord.get(w) ?? byWord.set(w, []).get(w)!).push(i);
      });
      for (const it of items) {
        const lower = it.text.toLowerCase();
        const shared = new Map<number, number>();
        for (const w of contentWords(it.text))
          for (const i of byWord.get(w) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
        let best: Review | null = null;
        let bestScore = 0;
        for (const [i, k] of shared) {
          const c = review[i]!;
          const named = c.author !== null && (nameRe(c.author)?.test(lower) ?? false);
          const score = k + (named ? 2 : 0);
          if (score > bestScore && (named ? k >= 1 : k >= MIN_IMPLEMENTS_SCORE)) {
            bestScore = score;
            best = c;
          }
        }
        if (best && bestScore >= MIN_IMPLEMENTS_SCORE)
          n += q.insertEdge(it.src, best.id, 'implements', `changelog: ${it.text.slice(0, 120)}`);
      }
    }
  }
  return n;
}

/** Change-log items: list items, else lines; headings ("v3:") and empty lines dropped. */
function splitItems(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l) continue;
    if (
      /^(?:[-*•+]|\d{1,2}[.)])\s/.test(l) ||
      /^(?:RFC\s*)?v\d+\b.*:$/i.test(l) ||
      /^changes\b.*:$/i.test(l)
    ) {
      if (cur) out.push(cur);
      cur = /:$/.test(l) && !/^[-*•+]/.test(l) ? '' : l.replace(/^(?:[-*•+]|\d{1,2}[.)])\s+/, '');
    } else cur = cur ? `${cur} ${l}` : l;
  }
  if (cur) out.push(cur);
  return out.filter((x) => x.length >= 8);
}

/**
 * Trailers carried in a posting ("Acked-by: Michal Hocko" in the nodes= v3 patch, given on RFC
 * v2): an `acks`/`nacks` edge from the trailer line to the patch it sits in (the version it was
 * carried into), with the reply that first gave it as evidence when the archive has it
 * ("carried from v2: <message-id>"), else "carried (given elsewhere)". With `scoped`, only the
 * series of the stored incremental scope.
 */
export function carriedTrailerEdges(db: Db, scoped = false): number {
  const q = new CarriedTrailerTables(db, scoped);
  const rows = q.trailerClaims();
  if (!rows.length) return 0;
  // the threads of each series, with the posting each thread belongs to (its first)
  const threadsOf = new Map<number, Map<number, string>>();
  for (const r of q.seriesThreads()) {
    const t = threadsOf.get(r.series) ?? threadsOf.set(r.series, new Map()).get(r.series)!;
    if (!t.has(r.thread)) t.set(r.thread, `v${r.version}${r.resend ? ' RESEND' : ''}`);
  }
  // review trailers given in replies, by person and trailer name, in date order
  const given = new Map<string, { thread: number; date: string; mid: string }[]>();
  for (const r of q.givenTrailers()) {
    const k = `${r.person}|${r.name}`;
    (given.get(k) ?? given.set(k, []).get(k)!).push({ thread: r.thread, date: r.date ?? '', mid: r.mid });
  }
  let n = 0;
  for (const r of rows) {
    const t = parseTrailerLine(r.text);
    if (!t) continue;
    // the patch's head claim: its first real paragraph (not an in-body From: line)
    const ps = q.paragraphs(r.msg);
    const h = (ps.find((p) => !/^\s*From:\s/.test(p.text) && p.text.trim().split(/\s+/).length >= 4) ?? ps[0])
      ?.id;
    if (h === undefined) continue;
    const person = t.addr ? (q.personByAddress(t.addr) ?? null) : null;
    const threads = threadsOf.get(r.series);
    const g =
      person !== null && threads
        ? (given.get(`${person}|${t.name}`) ?? []).find((x) => x.date < r.date && threads.has(x.thread))
        : undefined;
    const ev = g ? `carried from ${threads!.get(g.thread)}: ${g.mid}` : 'carried (given elsewhere)';
    n += q.insertEdge(r.claim, h, t.name === 'Nacked-by' ? 'nacks' : 'acks', ev);
  }
  return n;
}
