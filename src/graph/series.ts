/**
 * Patch series and versions: group patch mails into postings (a cover letter and its N/M parts,
 * also when the cover is missing), then chain postings of the same proposal across threads and
 * years into one series: v1 → RESEND → v2 … vN, including title changes between versions and
 * reverts of the merged change.
 *
 * Chaining rules, each recorded in `patches.chained_by` (docs/graph.md, "Series"):
 *  - `title`: two postings share a normalised cover or part title and their authors are
 *    compatible (same person, or one signed off the other's patch);
 *  - `lore-link`: a posting links to an earlier posting's Message-ID (lore URLs in change logs);
 *  - `similar-title`: same author, a higher version number, posted within MAX_VERSION_GAP_DAYS,
 *    and titles sharing at least MIN_TITLE_SIMILARITY of their words;
 *  - `revert-of`: `Revert "TITLE"` joins the series that posted TITLE, as role `revert`.
 * Union-find over postings; no recursion.
 */
import type { Db } from '../store/db.ts';
import {
  SeriesTables,
  type PatchFeatureRow,
  type PatchRow,
  type SeriesRow,
  type StoredPatchRow,
  type StoredSeriesRow,
  patchValues,
} from '../store/series-tables.ts';
import { patchId } from './patchid.ts';
import { findRoot } from '../util/union-find.ts';
import { relieveHeap } from '../util/heap.ts';

/** Longest gap between two versions chained by title similarity alone. */
export const MAX_VERSION_GAP_DAYS = 365;
/** Word-set similarity (Jaccard) needed to chain a retitled version. */
export const MIN_TITLE_SIMILARITY = 0.5;
/** Parts of one posting sent without a cover are grouped when posted within this time. */
const PART_WINDOW_MS = 2 * 3600 * 1000;
/** Titles shorter than this many words are too generic to chain on equality alone ("fix typo"). */
const MIN_TITLE_WORDS = 3;

export interface SeriesStats {
  series: number;
  patches: number;
  postings: number;
  chained: Record<string, number>;
}

interface Patch {
  id: number;
  messageId: string;
  parent: number | null;
  author: number | null;
  date: string;
  title: string;
  norm: string;
  revision: number;
  revisionInferred: boolean;
  part: number;
  total: number;
  /** The subject had no N/M: part and total are assumed (1/1) or filled in by `fillParts`. */
  counterInferred: boolean;
  isRfc: boolean;
  isResend: boolean;
  patchId: string | null;
  /** Lore/Message-ID links in the text before the diff; versionContext: the line names a version. */
  links: { id: string; versionContext: boolean }[];
  revertOf: string | null;
  signers: readonly number[];
  posting: number;
}

interface Posting {
  idx: number;
  patches: Patch[];
  author: number | null;
  date: string;
  revision: number;
  isRfc: boolean;
  isResend: boolean;
  titles: Set<string>;
  revertOf: string | null;
  signers: Set<number>;
  chainedBy: string | null;
}

const STOP = new Set([
  'mm',
  'a',
  'an',
  'the',
  'to',
  'for',
  'of',
  'in',
  'on',
  'and',
  'memcg',
  'cgroup',
  'with',
]);

function titleWords(t: string): Set<string> {
  return new Set(
    t
      .toLowerCase()
      .split(/[^a-z0-9_=.]+/)
      .map((w) => w.replace(/\.$/, ''))
      .filter((w) => w && !STOP.has(w)),
  );
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

/** The title inside `Revert "…"`, normalised, or null. */
export function revertedTitle(title: string): string | null {
  const m = /^revert\s+"(.+)"\s*$/i.exec(title.trim()) ?? /^revert\s+'(.+)'\s*$/i.exec(title.trim());
  return m ? normTitle(m[1]!) : null;
}

/** Lower-case, whitespace-collapsed title, as subjects.normalised has it. */
export function normTitle(t: string): string {
  return t.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Message-IDs named by lore-style links (`https://lore.kernel.org/…/<id>/`, `/r/<id>`). */
export function linkedMessageIds(text: string): string[] {
  const out: string[] = [];
  const re =
    /https?:\/\/(?:lore\.kernel\.org|lkml\.kernel\.org|patch\.msgid\.link)\/(?:[\w.-]+\/)?(?:r\/)?([^/\s<>"]+@[^/\s<>"]+?)(?:\/|\s|$|>|")/gi;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(text)) && guard++ < 200) {
    try {
      out.push(decodeURIComponent(m[1]!).replace(/^<|>$/g, ''));
    } catch {
      out.push(m[1]!);
    }
  }
  return out;
}

/** Lore links per line, flagged when the line speaks of a version ("v1:", "previous version", "RFC"). */
function versionLinks(text: string): { id: string; versionContext: boolean }[] {
  const out: { id: string; versionContext: boolean }[] = [];
  if (!/lore\.kernel\.org|lkml\.kernel\.org|patch\.msgid\.link/.test(text)) return out;
  for (const line of text.split('\n')) {
    if (!/lore\.kernel\.org|lkml\.kernel\.org|patch\.msgid\.link/.test(line)) continue;
    const versionContext = /\b(?:v\d+|rfc|resend|previous|prior|earlier|last)\b|changes|changelog/i.test(
      line.replace(/https?:\/\/\S+/g, ' '),
    );
    for (const id of linkedMessageIds(line + ' ')) out.push({ id, versionContext });
  }
  return out;
}

class UnionFind {
  p: Int32Array;
  constructor(n: number) {
    this.p = new Int32Array(n);
    for (let i = 0; i < n; i++) this.p[i] = i;
  }
  find(x: number): number {
    return findRoot(this.p, x);
  }
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // keep the smaller index (the earlier posting) as root
    if (ra < rb) this.p[rb] = ra;
    else this.p[ra] = rb;
    return true;
  }
}

/** Rebuild `series` and `patches` from the archive. */
/** What an incremental series pass changed: the series written again and their patch mails. */
export interface SeriesChange {
  /** Series ids whose rows were deleted or written (old and new ids). */
  series: Set<number>;
  /** Patch mails whose `patches` row appeared, disappeared or changed. */
  messages: Set<number>;
}

/**
 * Group and chain every patch mail of the archive into series. The chaining is always global
 * (a new version can join postings years apart); with `incremental`, only the series whose rows
 * differ from the stored ones are written, and the patch features are read from the cache.
 */
export function buildSeries(
  db: Db,
  opts: { incremental?: boolean } = {},
): { stats: SeriesStats; change: SeriesChange | null } {
  const tables = new SeriesTables(db);
  const incremental = opts.incremental ?? false;
  if (!incremental) tables.clearFeatures();
  const { patches, computed } = loadPatches(tables);
  for (const f of computed) tables.storeFeatures(f);
  const postings = groupPostings(patches);
  for (const p of postings) fillParts(p);
  const stats: SeriesStats = { series: 0, patches: patches.length, postings: postings.length, chained: {} };
  const uf = new UnionFind(postings.length);
  const chainedBy: (string | null)[] = postings.map(() => null);
  const mark = (later: number, how: string): void => {
    if (!chainedBy[later]) chainedBy[later] = how;
  };
  const compatible = (a: Posting, b: Posting): boolean =>
    (a.author !== null && a.author === b.author) ||
    (a.author !== null && b.signers.has(a.author)) ||
    (b.author !== null && a.signers.has(b.author));

  // 1. equal titles (cover or any part), authors compatible
  const byTitle = new Map<string, number[]>();
  postings.forEach((p, i) => {
    if (p.revertOf) return;
    for (const t of p.titles) {
      if (t.split(' ').length < MIN_TITLE_WORDS) continue;
      const l = byTitle.get(t) ?? [];
      l.push(i);
      byTitle.set(t, l);
    }
  });
  for (const list of byTitle.values()) {
    for (let k = 1; k < list.length; k++) {
      const a = postings[list[k - 1]!]!;
      const b = postings[list[k]!]!;
      if (compatible(a, b) && uf.union(a.idx, b.idx)) mark(b.idx, 'title');
    }
  }
  // 2. lore links to an earlier posting
  const postingOfMsg = new Map<string, number>();
  for (const p of postings) for (const x of p.patches) postingOfMsg.set(x.messageId, p.idx);
  for (const p of postings) {
    for (const x of p.patches)
      for (const { id, versionContext } of x.links) {
        const q = postingOfMsg.get(id);
        if (q === undefined || q === p.idx) continue;
        const other = postings[q]!;
        if (other.date > p.date || other.revertOf || p.revertOf) continue;
        // a link is a version link when the line says so ("v1: https://lore…") or the same people
        // posted both; otherwise it is a reference to related work
        if (!versionContext && !compatible(other, p)) continue;
        if (uf.union(q, p.idx)) mark(p.idx, 'lore-link');
      }
  }
  // 3. same author, later version, similar title, within the gap
  const byAuthor = new Map<number, number[]>();
  for (const p of postings) {
    if (p.author === null || p.revertOf) continue;
    const l = byAuthor.get(p.author) ?? [];
    l.push(p.idx);
    byAuthor.set(p.author, l);
  }
  for (const list of byAuthor.values()) {
    // Postings are in date order already. A similar title shares a word (Jaccard > 0), so only
    // earlier postings of this author that share a title word with p are compared (a prolific
    // author posts thousands a year: comparing all pairs in the window was most of the pass);
    // they are taken newest first, back to the first one outside the window, as a full walk would.
    const time = list.map((i) => Date.parse(postings[i]!.date));
    const byWord = new Map<string, number[]>(); // word → positions in `list`, ascending
    for (let k = 0; k < list.length; k++) {
      const p = postings[list[k]!]!;
      const words = new Set<string>();
      for (const w of wordSets(p)) for (const x of w) words.add(x);
      if (p.revision > 1) {
        let stop = -1; // the newest earlier position outside the gap (the walk stops there)
        for (let j = k - 1; j >= 0; j--)
          if (Math.abs(time[k]! - time[j]!) / 86_400_000 > MAX_VERSION_GAP_DAYS) {
            stop = j;
            break;
          }
        const cands = new Set<number>();
        for (const x of words) {
          const at = byWord.get(x) ?? [];
          for (let i = at.length - 1; i >= 0 && at[i]! > stop; i--) cands.add(at[i]!);
        }
        let best = -1;
        let bestSim = 0;
        for (const j of [...cands].sort((a, b) => b - a)) {
          const q = postings[list[j]!]!;
          const upgrade = q.revision < p.revision || (q.isRfc && !p.isRfc && q.revision <= p.revision);
          if (!upgrade) continue;
          const sim = titleSimilarity(q, p);
          if (sim >= MIN_TITLE_SIMILARITY && sim > bestSim) {
            best = q.idx;
            bestSim = sim;
            if (sim === 1) break; // nothing older can be strictly more similar
          }
        }
        if (best >= 0 && uf.union(best, p.idx)) mark(p.idx, 'similar-title');
      }
      for (const x of words) (byWord.get(x) ?? byWord.set(x, []).get(x)!).push(k);
    }
  }
  // 4. reverts join the series of the reverted title (latest posting before the revert)
  const revertTarget = new Map<number, number>();
  for (const p of postings) {
    if (!p.revertOf) continue;
    const cands = byTitle.get(p.revertOf) ?? [];
    let best = -1;
    for (const c of cands) if (postings[c]!.date <= p.date) best = c;
    if (best >= 0) revertTarget.set(p.idx, best);
  }
  for (const [r, target] of revertTarget) {
    uf.union(target, r);
    mark(r, 'revert-of');
  }

  // series id = row id of the first message of the first posting (stable across rebuilds)
  const groups = new Map<number, Posting[]>();
  for (const p of postings) {
    const root = uf.find(p.idx);
    const l = groups.get(root) ?? [];
    l.push(p);
    groups.set(root, l);
  }
  const seriesRows: SeriesRow[] = [];
  const patchRows: PatchRow[] = [];
  const placed = new Set<number>(); // a message already placed keeps its first row
  for (const list of groups.values()) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.idx - b.idx));
    const first = list[0]!;
    const seriesId = first.patches[0]!.id;
    const latest = [...list].reverse().find((p) => !p.revertOf) ?? first;
    const cover = latest.patches.find((x) => x.part === 0) ?? latest.patches[0]!;
    seriesRows.push({
      id: seriesId,
      title: cover.title,
      authorId: first.author,
      firstDate: first.date,
      lastDate: list[list.length - 1]!.date,
      postings: list.length,
    });
    stats.series++;
    list.forEach((p, k) => {
      const how = k === 0 ? null : (chainedBy[p.idx] ?? 'title');
      if (how) stats.chained[how] = (stats.chained[how] ?? 0) + 1;
      for (const x of p.patches) {
        if (placed.has(x.id)) continue;
        placed.add(x.id);
        patchRows.push({
          messageId: x.id,
          seriesId,
          version: p.revision,
          part: x.part,
          total: x.total,
          isCover: x.part === 0,
          patchId: x.patchId,
          posting: k + 1,
          isRfc: p.isRfc,
          isResend: p.isResend,
          role: p.revertOf ? 'revert' : 'patch',
          chainedBy: how,
        });
      }
    });
  }
  if (!incremental) {
    tables.clear();
    for (const r of seriesRows) tables.insertSeries(r);
    for (const r of patchRows) tables.insertPatch(r);
    return { stats, change: null };
  }
  const change = diffSeries(tables.storedSeries(), tables.storedPatchKeys(), seriesRows, patchRows);
  for (const id of change.series) tables.deleteSeries(id);
  for (const r of seriesRows) if (change.series.has(r.id)) tables.insertSeries(r);
  for (const r of patchRows) if (change.series.has(r.seriesId)) tables.insertPatch(r);
  return { stats, change };
}

/** The stored patch rows as the incremental pass compares them: message → its series and row key. */
export type StoredPatchKeys = Map<number, { series: number; key: string }>;

/**
 * A patch row as one comparable string: its fields joined by NUL, NULL as ''. The same string as
 * `SeriesTables.storedPatchKeys` makes in SQL (test/store/series-tables.test.ts checks the two).
 */
function patchKey(r: PatchRow): string {
  return patchValues(r).join('\u0000');
}

/** `StoredPatchKeys` of stored rows, made in JavaScript (for tests and as the SQL's oracle). */
export function storedPatchKeys(rows: StoredPatchRow[]): StoredPatchKeys {
  const out: StoredPatchKeys = new Map();
  for (const r of rows)
    out.set(r.message_id, {
      series: r.series_id,
      key: [
        r.series_id,
        r.version,
        r.part,
        r.total,
        r.is_cover,
        r.patch_id,
        r.posting,
        r.is_rfc,
        r.is_resend,
        r.role,
        r.chained_by,
      ].join('\u0000'),
    });
  return out;
}

function seriesKey(r: StoredSeriesRow): string {
  return [r.title, r.author_id, r.first_date, r.last_date, r.postings].join('\u0000');
}

/**
 * Which series must be written again: every series (old id and new id) of a patch mail whose row
 * changed, appeared or disappeared, and every series whose own row changed. Writing those and
 * keeping the others leaves exactly the rows a full pass would write.
 */
export function diffSeries(
  oldSeries: StoredSeriesRow[],
  before: StoredPatchKeys,
  newSeries: SeriesRow[],
  newPatches: PatchRow[],
): SeriesChange {
  const series = new Set<number>();
  const messages = new Set<number>();
  const seen = new Set<number>();
  for (const r of newPatches) {
    seen.add(r.messageId);
    const b = before.get(r.messageId);
    if (b && b.key === patchKey(r)) continue;
    messages.add(r.messageId);
    series.add(r.seriesId);
    if (b) series.add(b.series);
  }
  for (const [m, b] of before)
    if (!seen.has(m)) {
      messages.add(m);
      series.add(b.series);
    }
  const oldRows = new Map<number, string>();
  for (const r of oldSeries) oldRows.set(r.id, seriesKey(r));
  const newIds = new Set<number>();
  for (const r of newSeries) {
    newIds.add(r.id);
    const k = seriesKey({
      id: r.id,
      title: r.title,
      author_id: r.authorId,
      first_date: r.firstDate,
      last_date: r.lastDate,
      postings: r.postings,
    });
    if (oldRows.get(r.id) !== k) series.add(r.id);
  }
  for (const id of oldRows.keys()) if (!newIds.has(id)) series.add(id);
  return { series, messages };
}

/** Best word-set similarity between any title of one posting and any title of the other. */
function titleSimilarity(a: Posting, b: Posting): number {
  let best = 0;
  for (const x of wordSets(a)) for (const y of wordSets(b)) best = Math.max(best, jaccard(x, y));
  return best;
}

const wordSetCache = new WeakMap<Posting, Set<string>[]>();
function wordSets(p: Posting): Set<string>[] {
  let w = wordSetCache.get(p);
  if (!w) wordSetCache.set(p, (w = [...p.titles].map(titleWords)));
  return w;
}

/**
 * Every patch mail: `[PATCH …]` postings that are not replies, and RFC postings that carry a diff.
 * What is read out of a body (patch-id, links, signers) comes from `patch_features` when it was
 * computed from the same body; the features computed here are returned for the cache.
 */
function loadPatches(tables: SeriesTables): { patches: Patch[]; computed: PatchFeatureRow[] } {
  const out: Patch[] = [];
  const computed: PatchFeatureRow[] = [];
  for (const r of tables.patchMails()) {
    // a full pass reads every patch body once: collect the read ones now and then
    if ((out.length & 0xfff) === 0) relieveHeap();
    let pid: string | null;
    let links: { id: string; versionContext: boolean }[];
    let signers: number[];
    if (r.cached) {
      pid = r.cached.patchId;
      links = r.cached.links;
      signers = r.cached.signers;
    } else {
      const body = r.body ?? '';
      pid = patchId(body);
      if (!pid) for (const t of tables.diffAttachments(r.id)) if ((pid = patchId(t))) break;
      const diffAt = body.search(/^diff --git /m);
      const head = diffAt >= 0 ? body.slice(0, diffAt) : body;
      links = head.length < 200_000 ? versionLinks(head) : [];
      signers = tables.signers(r.id);
      computed.push({
        messageId: r.id,
        messageKey: r.message_id,
        patchId: pid,
        links: JSON.stringify(links),
        signers: JSON.stringify(signers),
      });
    }
    const counterInferred = r.counter_inferred === 1;
    out.push({
      id: r.id,
      messageId: r.message_id,
      parent: r.parent_id,
      author: r.author_id,
      date: r.date ?? '',
      title: r.title,
      norm: normTitle(r.title),
      revision: r.revision,
      revisionInferred: r.revision_inferred === 1,
      part: counterInferred ? 1 : r.counter,
      total: counterInferred ? 1 : r.expected,
      counterInferred,
      isRfc: r.is_rfc === 1,
      isResend: r.is_resend === 1,
      patchId: pid,
      links,
      revertOf: revertedTitle(r.title),
      signers,
      posting: -1,
    });
  }
  return { patches: out, computed };
}

/**
 * Postings: a cover (0/N) with the parts threaded under it; parts without a cover grouped by
 * author, version and N when sent close together; single patches alone.
 */
function groupPostings(patches: Patch[]): Posting[] {
  const byId = new Map<number, Patch>();
  for (const p of patches) byId.set(p.id, p);
  const postings: Posting[] = [];
  const open = new Map<string, { posting: Posting; last: number }>(); // coverless groups
  const newPosting = (first: Patch): Posting => {
    const p: Posting = {
      idx: postings.length,
      patches: [],
      author: first.author,
      date: first.date,
      revision: first.revision,
      isRfc: first.isRfc,
      isResend: first.isResend,
      titles: new Set(),
      revertOf: first.revertOf,
      signers: new Set(),
      chainedBy: null,
    };
    postings.push(p);
    return p;
  };
  const add = (p: Posting, x: Patch): void => {
    p.patches.push(x);
    x.posting = p.idx;
    p.titles.add(x.norm);
    for (const s of x.signers) p.signers.add(s);
    // a cover's explicit version wins over a part's inferred one, and the other way round
    if (p.revision === 1 && !x.revisionInferred) p.revision = x.revision;
    if (x.isRfc) p.isRfc = true;
    if (x.isResend) p.isResend = true;
  };
  for (const x of patches) {
    // a part threaded under a cover or an earlier part of the same send (same author and version)
    let joined = false;
    let a = x.parent;
    for (let steps = 0; a !== null && steps < 3; steps++) {
      const anc = byId.get(a);
      if (!anc) break;
      const sameSend =
        anc.author === x.author &&
        (anc.revision === x.revision || x.revisionInferred) &&
        Math.abs(Date.parse(anc.date) - Date.parse(x.date)) <= PART_WINDOW_MS;
      if (anc.posting >= 0 && sameSend && (anc.total === x.total || anc.part === 0 || anc.total === 1)) {
        add(postings[anc.posting]!, x);
        joined = true;
        break;
      }
      a = anc.parent;
    }
    if (joined) continue;
    if (x.total <= 1 && x.part <= 1) {
      add(newPosting(x), x);
      continue;
    }
    const key = `${x.author}|${x.revisionInferred ? '?' : x.revision}|${x.total}|${x.isRfc}`;
    const t = Date.parse(x.date);
    const g = open.get(key);
    if (
      g &&
      x.part > 0 &&
      Number.isFinite(t) &&
      t - g.last <= PART_WINDOW_MS &&
      !g.posting.patches.some((y) => y.part === x.part)
    ) {
      add(g.posting, x);
      g.last = t;
      continue;
    }
    const p = newPosting(x);
    add(p, x);
    open.set(key, { posting: p, last: Number.isFinite(t) ? t : 0 });
  }
  return postings;
}

/** git send-email's Message-IDs: `<date>.<pid>-<N>-<author>`, N counting the mails of one send. */
const SEND_EMAIL_COUNTER = /^\d{14}\.\d+-(\d+)-/;

/**
 * A posting whose subjects mostly say N/M but some say nothing (seen: "[RFC PATCH V1]" on parts
 * 1 and 2 of a 4-part send, "[RFC PATCH v1 3/4]" on the rest): the unnumbered parts get their
 * number from git send-email's counter in the Message-ID when it fits (1..M, not taken by an
 * explicit part), so the posting does not show two "1/1" parts. The subject row keeps
 * counter_inferred, so the guess stays visible.
 */
function fillParts(p: Posting): void {
  const explicit = p.patches.filter((x) => !x.counterInferred && x.part > 0);
  const guessed = p.patches.filter((x) => x.counterInferred);
  if (!explicit.length || !guessed.length) return;
  const total = Math.max(...explicit.map((x) => x.total));
  if (total <= 1 || explicit.some((x) => x.total !== total)) return;
  const taken = new Set(explicit.map((x) => x.part));
  for (const x of guessed) {
    const n = Number(SEND_EMAIL_COUNTER.exec(x.messageId)?.[1] ?? NaN);
    // with a cover letter the counter starts at the cover (0/M is mail 1)
    const part = p.patches.some((y) => y.part === 0 && !y.counterInferred) ? n - 1 : n;
    if (!Number.isInteger(part) || part < 1 || part > total || taken.has(part)) continue;
    x.part = part;
    x.total = total;
    taken.add(part);
  }
}
