/**
 * Merging archive pages into the other copies of the same mail, and placing messages that carry
 * no threading headers (archive pages, mail whose headers were stripped).
 *
 * 1. **Identity** (./identity.ts). A hypermail page has no Message-ID. It is merged into another
 *    copy — raw mail, or another page of the same message (saved twice, as text and HTML) — only
 *    when the copy has the same normalised subject and author, the page's printed clock fits the
 *    copy's date (the label's offset plus a receipt delay, or an exact quarter-hour offset), and
 *    the own text is nearly identical (the whole body too when the own text is short), and no
 *    other candidate passes as well. Anything less is not a merge: losing a message is the worst
 *    thing this tool can do, so a page that is not provably a copy stays a message of its own.
 * 2. **Placement**. A message without In-Reply-To/References gets its parent from evidence,
 *    strongest first, and never a parent dated after it:
 *    - the attribution line ("On Mon, Apr 4, 2022 at 12:56 PM X wrote:") matched to a message by
 *      that author sent at that local time (any quarter-hour zone); several fits are told apart by
 *      the quoted text. When the line names a time and no message of the archive fits it, the
 *      parent is missing: a ghost stands for it (placed under the message the quote's own
 *      attribution names, when there is one), rather than a wrong message;
 *    - the text quoted at depth 1 found in a candidate's **own** text (replies in a sub-thread
 *      quote the same text, but only the message that wrote it has it as own text);
 *    - the subject: the latest earlier message with the same subject;
 *    - otherwise it stays a root.
 *    Each inferred link is flagged in `messages.parent_reason` and recorded in `placements` with
 *    its evidence and a confidence; below LOW_CONFIDENCE it is reported as a guess.
 */
import { hypermailWallClock } from '../mail/date.ts';
import type { Attribution } from '../mail/attribution.ts';
import { getMeta, setMeta, type Db } from '../store/db.ts';
import { nameKey } from '../store/people.ts';
import {
  LOW_CONFIDENCE,
  PlacementTables,
  type PlaceRow,
  type PlacementRecord,
  type PostingRow,
} from '../store/placement.ts';
import type { ThreadingChanges } from '../store/threading-tables.ts';
import { relieveHeap } from '../util/heap.ts';
import { MAX_PLACEMENT_CANDIDATES } from '../util/limits.ts';
import { compareTexts, fitWallClock, wallClockWindow, type TextMatch, type TimeFit } from './identity.ts';
import { containment, ownShingles, quoteShingles, replyEvidence, type FoundAttribution } from './evidence.ts';

/** How far back a parent may be. */
const PARENT_WINDOW_MS = 60 * 86400_000;
/** A quote whose shingles are at least this much in a candidate's own text names that candidate. */
const STRONG_QUOTE = 0.8;
const WEAK_QUOTE = 0.5;
/** How much better than the runner-up a quote match must be to decide on its own. */
const QUOTE_MARGIN = 0.15;
/**
 * How far after the named time an archive page's receipt time may be (a candidate page's date is
 * when the archive received it, seconds to minutes after the sender's Date).
 */
const PAGE_RECEIPT_SLACK_MS = 60 * 60_000;
/** How long before a numbered patch its series' first message may have been sent. */
const SERIES_WINDOW_MS = 86400_000;

/** The `parent_reason` values of inferred parents, which threading keeps when no header says otherwise. */
export const INFERRED_PARENT_REASONS: ReadonlySet<string> = new Set([
  'attribution',
  'quote',
  'series',
  'subject',
  'missing-parent',
]);

/** What one placement pass did. */
export interface PlaceStats {
  merged: number;
  byAttribution: number;
  byQuote: number;
  bySeries: number;
  bySubject: number;
  missingParents: number;
  lowConfidence: number;
  /** Pages that fitted more than one other copy equally: not merged. */
  ambiguous: number;
}

const isPage = (r: PlaceRow): boolean => (r.format ?? '').startsWith('hypermail');

/** The page's clock: an exact instant (HTML pages with the sender's Date) or a printed wall clock. */
function pageClock(
  p: PlaceRow,
): { exact: number } | { wallMs: number; labelOffsetMinutes: number | null } | null {
  if (!p.dateApprox) {
    const t = p.date ? Date.parse(p.date) : NaN;
    return Number.isNaN(t) ? null : { exact: t };
  }
  const w = p.dateRaw ? hypermailWallClock(p.dateRaw) : null;
  return w;
}

/**
 * Whether the clocks of page `p` and copy `c` can be the same mail, and how: a copy with an exact
 * date (raw mail, an HTML page with the sender's Date) is fitted by the page's wall clock; two
 * exact dates must be equal; two wall clocks (two pages) must show the same time to the second,
 * up to a whole quarter-hour offset.
 */
function fitClocks(
  p: PlaceRow,
  c: PlaceRow,
): TimeFit | { rule: 'same-date'; offsetMinutes: null; delaySeconds: 0 } | null {
  const a = pageClock(p);
  const b = isPage(c) ? pageClock(c) : c.date ? { exact: Date.parse(c.date) } : null;
  if (!a || !b) return null;
  if ('exact' in a && 'exact' in b)
    return Math.abs(a.exact - b.exact) < 1000
      ? { rule: 'same-date', offsetMinutes: null, delaySeconds: 0 }
      : null;
  if ('wallMs' in a && 'exact' in b) return fitWallClock(a.wallMs, b.exact, a.labelOffsetMinutes);
  if ('exact' in a && 'wallMs' in b) return fitWallClock(b.wallMs, a.exact, b.labelOffsetMinutes);
  if ('wallMs' in a && 'wallMs' in b) return fitWallClock(a.wallMs, b.wallMs, null);
  return null;
}

function sameAuthor(a: PlaceRow, b: PlaceRow): boolean {
  if (a.authorId !== null && a.authorId === b.authorId) return true;
  const ka = nameKey(a.fromName ?? '');
  if (ka !== '' && ka === nameKey(b.fromName ?? '')) return true;
  // An address-only sender on a page that obfuscates domains: the local parts must agree.
  const la = localPart(addrOf(a));
  return la !== null && la.length >= 3 && la === localPart(addrOf(b));
}

/** Merge pass: every page that is provably another copy of a message becomes a copy of it. */
function mergePages(t: PlacementTables, stats: PlaceStats): void {
  const gone = new Set<number>();
  for (const p of t.pages()) {
    if (gone.has(p.id) || !p.subjectNorm || !p.rawSha) continue;
    const clock = pageClock(p);
    if (!clock) continue;
    const win =
      'exact' in clock ? { from: clock.exact - 1000, to: clock.exact + 1000 } : wallClockWindow(clock.wallMs);
    // A page dated by its sender's Date may still be compared with another page's wall clock.
    const from = new Date(
      Math.min(win.from, 'exact' in clock ? clock.exact - 14 * 3600_000 : win.from),
    ).toISOString();
    const to = new Date(
      Math.max(win.to, 'exact' in clock ? clock.exact + 12 * 3600_000 : win.to),
    ).toISOString();
    const fits: { row: PlaceRow; time: NonNullable<ReturnType<typeof fitClocks>>; text: TextMatch }[] = [];
    for (const c of t.sameSubject(p.subjectNorm, from, to, p.id, MAX_PLACEMENT_CANDIDATES)) {
      if (gone.has(c.id) || !sameAuthor(p, c)) continue;
      const time = fitClocks(p, c);
      if (!time) continue;
      const text = compareTexts(p.body ?? '', c.body ?? '');
      if (text.same) fits.push({ row: c, time, text });
    }
    if (!fits.length) continue;
    // Raw mail is the better primary copy; among pages, the older row.
    const raw = fits.filter((f) => !isPage(f.row));
    const pool = raw.length ? raw : fits;
    if (pool.length > 1) {
      stats.ambiguous++;
      continue;
    }
    const into = pool[0]!;
    // A page merged into a later page keeps the older row as the message: swap so ids stay stable.
    const [keep, drop] = !isPage(into.row) || into.row.id < p.id ? [into.row, p] : [p, into.row];
    t.mergeInto(drop.id, keep.id);
    t.recordIdentity({
      messageId: keep.id,
      pageSha: drop.rawSha ?? p.rawSha,
      timeRule: into.time.rule,
      zoneOffsetMinutes: into.time.offsetMinutes,
      delaySeconds: into.time.delaySeconds,
      ownSimilarity: +into.text.own.toFixed(4),
      bodySimilarity: +into.text.body.toFixed(4),
    });
    gone.add(drop.id);
    stats.merged++;
  }
}

/**
 * The offsets from UTC (minutes) that time zones use: whole hours from UTC-12 to UTC+14 and the
 * half- and three-quarter-hour zones (India, Nepal, Newfoundland, Iran, central Australia, the
 * Chatham Islands …). An attribution's time is read in one of them; allowing every quarter hour
 * would let any time fit within a few minutes.
 */
const ZONE_OFFSETS: readonly number[] = [
  ...Array.from({ length: 27 }, (_, i) => (i - 12) * 60),
  -570,
  -210,
  -150,
  210,
  270,
  330,
  345,
  390,
  525,
  570,
  630,
  765,
  825,
];

/** How much later than the sending time an attribution or a date may read. */
export interface FitSlack {
  /** The candidate is an archive page dated when the archive received it: up to this after it was sent. */
  candidateLateMs: number;
  /**
   * The attribution shows a time up to this after the candidate was sent: mail clients that print
   * minutes (Gmail, Thunderbird) show when they received the mail, not its Date header.
   */
  namedLateMs: number;
}

/**
 * Receipt lag allowed for attribution times given to the minute (Gmail shows its own receipt
 * time). Measured over the 14,302 raw replies of the cgroups archive whose attribution names a
 * full date and whose parent is known from In-Reply-To: of the 3,924 given to the minute, 94.5%
 * are within the minute, another 3.3% 1 to 5 minutes late, and 1.2% more than 5 minutes late;
 * of the 10,378 given to the second, 99.1% are exact.
 */
export const NAMED_LATE_MS = 5 * 60_000;

/** How a candidate's date fits an attribution's time under the best time zone. */
export interface AttributionFit {
  /** Milliseconds between the named time and the candidate's date in that zone. */
  errorMs: number;
  /** Within the rounding tolerance (a minute, or two seconds when the attribution gives seconds). */
  exact: boolean;
}

/**
 * How a candidate's UTC date fits an attribution's local time, or null when no time zone makes
 * it fit: exactly (to the rounding tolerance), or loosely (within the slack beyond it).
 */
export function attributionFit(
  when: NonNullable<Attribution['when']>,
  utcMs: number,
  slack: FitSlack = { candidateLateMs: 0, namedLateMs: 0 },
): AttributionFit | null {
  if (when.hour === undefined || when.minute === undefined) return null;
  const d = new Date(utcMs);
  const tolerance = when.second === undefined ? 60_000 : 2_000;
  const lo = -slack.candidateLateMs - tolerance;
  const hi = slack.namedLateMs + tolerance;
  // Without a day (Thunderbird's m/d/yy is read for its year only), the writer's local day may be
  // the candidate's UTC day or the one either side of it.
  const shifts = when.day === undefined ? [-1, 0, 1] : [0];
  let best: number | null = null;
  for (const shift of shifts) {
    // Read the attribution's wall clock as if it were UTC; the difference is the writer's zone offset.
    const year = when.year ?? d.getUTCFullYear();
    const month = (when.month ?? d.getUTCMonth() + 1) - 1;
    const day = (when.day ?? d.getUTCDate()) + shift;
    const wall = Date.UTC(year, month, day, when.hour, when.minute, when.second ?? 0);
    for (const off of ZONE_OFFSETS) {
      const e = wall - utcMs - off * 60_000;
      if (e >= lo && e <= hi && (best === null || Math.abs(e) < best)) best = Math.abs(e);
    }
  }
  return best === null ? null : { errorMs: best, exact: best <= tolerance };
}

/** The slack a candidate gets: a page's receipt date, and a minute-precision attribution's receipt time. */
function slackFor(c: PlaceRow, when: NonNullable<Attribution['when']>): FitSlack {
  return {
    candidateLateMs: c.dateApprox ? PAGE_RECEIPT_SLACK_MS : 0,
    namedLateMs: when.second === undefined ? NAMED_LATE_MS : 0,
  };
}

/** Words for the evidence line: the attribution as written. */
function quoteLine(a: FoundAttribution): string {
  return a.line.length > 160 ? a.line.slice(0, 157) + '…' : a.line;
}

interface Scored {
  row: PlaceRow;
  fit: AttributionFit | null;
  quote: number;
}

/** How far around an attribution's full date (year, month, day) its author's messages are looked for. */
const NAMED_DAY_WINDOW_MS = 36 * 3600_000;

/**
 * Which orphans an incremental pass places again (see `placeMessages`): those dated `since` or
 * later, and `ids`.
 */
interface Replace {
  since: string | null;
  ids: number[];
}

/**
 * Placement pass: every message without threading headers gets a parent from its evidence; with
 * `replace`, only the orphans it names, and then, for each missing-parent ghost they left or
 * joined, its newest user again (see `placeMessages`).
 */
function placeOrphans(t: PlacementTables, stats: PlaceStats, replace: Replace | null): void {
  if (!replace) t.clearPlacements();
  const ownCache = new Map<number, Set<number>>();
  const ownOf = (r: PlaceRow): Set<number> => {
    let s = ownCache.get(r.id);
    if (!s) ownCache.set(r.id, (s = ownShingles(r.body ?? '')));
    return s;
  };
  const record = (p: PlacementRecord): void => {
    t.recordPlacement(p);
    if (p.confidence < LOW_CONFIDENCE) stats.lowConfidence++;
  };
  /** The orphan that last placed each ghost: in a full pass, its newest user. */
  const ghostWriter = new Map<number, number>();
  const placeOne = (o: PlaceRow): void => {
    const tMs = Date.parse(o.date!);
    const ev = replyEvidence(o.body ?? '');
    const parentAttr = ev.attributions.find((a) => a.depth === 0) ?? null;
    const grandAttr = ev.attributions.find((a) => a.depth === 1) ?? null;
    const authors = parentAttr ? t.authorsFor(parentAttr.parsed.name, parentAttr.parsed.addr) : [];
    const from = new Date(tMs - PARENT_WINDOW_MS).toISOString();
    // 0. A numbered patch that is not a reply hangs under its series' first message, as git
    // send-email threads them. Decided before the candidates are read: at 10x most header-less
    // mail is such a patch, and reading up to MAX_PLACEMENT_CANDIDATES bodies for each was most of
    // placement; the record still counts the candidates (with no attribution, those of the subject).
    const put = (
      parentId: number | null,
      method: PlacementRecord['method'],
      reason: string | null,
      confidence: number,
      evidence: string,
      candidates: number,
    ): void => {
      t.setParent(o.id, parentId, reason);
      record({ messageId: o.id, parentId, method, confidence, evidence, candidates });
    };
    if (!o.isReply && o.counter >= 1 && o.expected >= 2 && !parentAttr) {
      const head = seriesHead(t, o);
      if (head) {
        put(
          head.id,
          'series',
          'series',
          0.85,
          `patch ${o.counter}/${o.expected}, sent with ${head.messageId} (the first message of that send)`,
          t.subjectCandidateCount(o.subjectNorm, from, o.date!, o.id, MAX_PLACEMENT_CANDIDATES),
        );
        stats.bySeries++;
        return;
      }
    }
    const cands = t.candidates(o.subjectNorm, authors, from, o.date!, o.id, MAX_PLACEMENT_CANDIDATES);
    const named = parentAttr?.parsed.when;
    if (named?.year && named.month && named.day && authors.length) {
      // A reply may come months later; a full date in the attribution says where to look.
      const day = Date.UTC(named.year, named.month - 1, named.day, 12);
      const lo = new Date(day - NAMED_DAY_WINDOW_MS).toISOString();
      const hi = new Date(Math.min(day + NAMED_DAY_WINDOW_MS, tMs)).toISOString();
      const have = new Set(cands.map((c) => c.id));
      if (lo < from)
        for (const c of t.candidates(null, authors, lo, hi, o.id, MAX_PLACEMENT_CANDIDATES))
          if (!have.has(c.id)) cands.push(c);
    }
    const quote = quoteShingles(ev.quoted);
    const when = parentAttr?.parsed.when;
    const timed = when && when.hour !== undefined;
    const scored: Scored[] = cands.map((c) => ({
      row: c,
      fit:
        timed && parentAttr && writtenBy(c, authors, parentAttr.parsed)
          ? attributionFit(when, Date.parse(c.date!), slackFor(c, when))
          : null,
      quote: quote.size ? containment(quote, ownOf(c)) : 0,
    }));
    const byQuote = [...scored].sort(
      (a, b) => b.quote - a.quote || Date.parse(b.row.date!) - Date.parse(a.row.date!),
    );
    const topQuote = byQuote[0];
    const secondQuote = byQuote.find((s) => s.row.id !== topQuote?.row.id);
    const place = (
      parent: PlaceRow | null,
      parentId: number | null,
      method: PlacementRecord['method'],
      reason: string | null,
      confidence: number,
      evidence: string,
    ): void => put(parentId ?? parent?.id ?? null, method, reason, confidence, evidence, cands.length);

    // 1. The attribution line names the parent by author and time: exactly (to its rounding), or,
    // when no message fits exactly, loosely (a mail client printing when it received the mail).
    const exact = scored.filter((s) => s.fit?.exact);
    const loose = scored.filter((s) => s.fit && !s.fit.exact);
    const pool = exact.length ? exact : loose;
    const fitting = pool.sort((a, b) => b.quote - a.quote || a.fit!.errorMs - b.fit!.errorMs);
    const looseOk =
      exact.length > 0 ||
      loose.length === 1 ||
      (fitting.length > 1 &&
        fitting[0]!.quote >= WEAK_QUOTE &&
        fitting[0]!.quote - fitting[1]!.quote >= QUOTE_MARGIN);
    if (fitting.length && looseOk) {
      const best = fitting[0]!;
      const other = fitting[1];
      let confidence = exact.length ? 0.95 : 0.8;
      let note = exact.length ? '' : `; ${Math.round(best.fit!.errorMs / 1000)} s from its date`;
      if (other) {
        confidence = 0.6; // two messages of that author at that time, and neither time nor quote tells them apart
        note += `; ${fitting.length} messages fit that time`;
      } else if (
        quote.size &&
        best.quote < WEAK_QUOTE &&
        topQuote &&
        topQuote.row.id !== best.row.id &&
        topQuote.quote >= STRONG_QUOTE
      ) {
        confidence = 0.6;
        note += `; but the quoted text is ${pct(topQuote.quote)} own text of ${topQuote.row.messageId}`;
      }
      place(
        best.row,
        null,
        'attribution',
        'attribution',
        confidence,
        `"${quoteLine(parentAttr!)}" fits ${best.row.messageId} (${best.row.date})` +
          (quote.size ? `; quoted text ${pct(best.quote)} its own text` : '') +
          note,
      );
      stats.byAttribution++;
      return;
    }
    // 2. The quoted text is a candidate's own text.
    const quoteWins =
      topQuote &&
      topQuote.quote >= WEAK_QUOTE &&
      (!secondQuote || topQuote.quote - secondQuote.quote >= QUOTE_MARGIN || topQuote.quote >= 0.99) &&
      (!parentAttr || writtenBy(topQuote.row, authors, parentAttr.parsed));
    if (quoteWins && topQuote) {
      const strong = topQuote.quote >= STRONG_QUOTE;
      // A timed attribution that fits nothing makes a quote match less sure: the time says otherwise.
      const confidence = timed ? (strong ? 0.65 : 0.5) : strong ? 0.85 : 0.6;
      place(
        topQuote.row,
        null,
        'quote',
        'quote',
        confidence,
        `quoted text ${pct(topQuote.quote)} own text of ${topQuote.row.messageId}` +
          (secondQuote ? ` (next best ${pct(secondQuote.quote)})` : '') +
          (timed ? `; "${quoteLine(parentAttr!)}" fits no message of that author` : ''),
      );
      stats.byQuote++;
      return;
    }
    // 3. Several of the author's messages fit loosely and nothing tells them apart: the closest, as a guess.
    if (fitting.length) {
      const best = [...fitting].sort((a, b) => a.fit!.errorMs - b.fit!.errorMs)[0]!;
      place(
        best.row,
        null,
        'attribution',
        'attribution',
        0.5,
        `"${quoteLine(parentAttr!)}" fits ${fitting.length} messages of that author only to within minutes; the closest is ${best.row.messageId}`,
      );
      stats.byAttribution++;
      return;
    }
    // 4. The attribution names a time that no message of the archive has: the parent is missing.
    if (timed && parentAttr) {
      const a = parentAttr.parsed;
      const key = [nameKey(a.name), a.addr ?? '', JSON.stringify(a.when)].join('|');
      const ghost = t.missingParent(key, a.name || a.addr || 'unknown', null, o.subjectNorm);
      place(
        null,
        ghost,
        'missing-parent',
        'missing-parent',
        0.9,
        `"${quoteLine(parentAttr)}" names a message that is not in the archive`,
      );
      placeGhost(t, ghost, grandAttr, o, cands, record);
      ghostWriter.set(ghost, o.id);
      stats.missingParents++;
      return;
    }
    // 5. The subject: the latest earlier message with the same subject.
    const sameSubject = cands.filter((c) => c.subjectNorm !== null && c.subjectNorm === o.subjectNorm);
    if (sameSubject.length) {
      const prev = sameSubject[0]!; // newest first
      place(
        prev,
        null,
        'subject',
        'subject',
        0.3,
        `latest earlier message with the subject "${o.subjectNorm}"`,
      );
      stats.bySubject++;
      return;
    }
    t.setParent(o.id, null, null);
    if (isPage(o) || ev.attributions.length)
      record({
        messageId: o.id,
        parentId: null,
        method: 'none',
        confidence: 0,
        evidence: 'no message fits its attribution, quote or subject',
        candidates: cands.length,
      });
  };
  // what the last pass decided for `o` goes first (a full pass cleared it all), then its lookups are logged
  const placeLogged = (o: PlaceRow): void => {
    if (replace) t.forgetOrphan(o.id);
    t.lookupLog = new Set();
    placeOne(o);
    t.storeLookups(o.id, t.lookupLog);
    t.lookupLog = null;
  };
  if (!replace) {
    let n = 0;
    for (const o of t.orphans()) {
      if ((++n & 0xfff) === 0) relieveHeap();
      placeLogged(o);
    }
    return;
  }
  const rows = new Map<number, PlaceRow>();
  if (replace.since !== null) for (const o of t.orphansSince(replace.since)) rows.set(o.id, o);
  for (const o of t.orphansIn(replace.ids)) rows.set(o.id, o);
  const order = [...rows.values()].sort((a, b) =>
    a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : a.id - b.id,
  );
  const ghosts = new Set<number>();
  for (const o of order) {
    const [parent, reason] = t.parentOf(o.id);
    if (reason === 'missing-parent' && parent !== null) ghosts.add(parent);
    placeLogged(o);
    const [now, nowReason] = t.parentOf(o.id);
    if (nowReason === 'missing-parent' && now !== null) ghosts.add(now);
  }
  // A ghost's own parent is decided by whichever of its users is placed last, which in a full pass
  // is its newest user. When that user was not placed again (or not last), place it once more: its
  // own placement comes out as before (nothing it reads changed), and the ghost's is the full pass's.
  for (const g of ghosts) {
    const last = t.lastUser(g);
    if (last === null || ghostWriter.get(g) === last) continue;
    for (const o of t.orphansIn([last])) placeLogged(o);
  }
}

/** Longest pause between two messages of one `git send-email` run. */
const SEND_GAP_MS = 5 * 60_000;

/**
 * The message a numbered patch was threaded under: git send-email makes every part of a send a
 * reply to its first message (the cover letter, or part 1 without one). The send is the run of
 * postings by the same author, each within SEND_GAP_MS of the next, that ends at the patch; its
 * first message is the head (a cover letter of the same series, when the run holds one).
 */
function seriesHead(t: PlacementTables, o: PlaceRow): PostingRow | null {
  const tMs = Date.parse(o.date!);
  const authors = [
    ...new Set([...(o.authorId !== null ? [o.authorId] : []), ...t.authorsFor(o.fromName ?? '', addrOf(o))]),
  ];
  const posts = t.postingsBy(authors, new Date(tMs - SERIES_WINDOW_MS).toISOString(), o.date!, o.id);
  const run: PostingRow[] = [];
  let last = tMs;
  for (const p of posts) {
    const pt = Date.parse(p.date!);
    if (last - pt > SEND_GAP_MS) break;
    if (p.counter > o.counter && p.expected === o.expected) continue; // a later part, sent with a skewed clock
    run.push(p);
    last = pt;
  }
  if (!run.length) return null;
  return run.find((p) => p.counter === 0 && p.expected === o.expected) ?? run[run.length - 1]!;
}

/** A message's address, or its name when the archive shows an address as the name. */
function addrOf(r: PlaceRow): string | null {
  if (r.fromAddr) return r.fromAddr;
  return r.fromName && /\S@\S/.test(r.fromName) ? r.fromName.trim().toLowerCase() : null;
}

const localPart = (addr: string | null): string | null => (addr ? (addr.split('@')[0] ?? null) : null);

/**
 * Whether candidate `c` is by the person an attribution names: one of the people the name or
 * address resolves to; or the same name (every word of a two-word or longer name, so "Yakunin,
 * Dmitry" is "Yakunin, Dmitry (Nebius)"); or the same address local part where an archive has
 * obfuscated the domain.
 */
function writtenBy(c: PlaceRow, authors: number[], a: Attribution): boolean {
  if (c.authorId !== null && authors.includes(c.authorId)) return true;
  const ka = nameKey(a.name);
  const kc = nameKey(c.fromName ?? '');
  if (ka && kc) {
    if (ka === kc) return true;
    const words = ka.split(' ');
    const theirs = new Set(kc.split(' '));
    if (words.length >= 2 && words.every((w) => theirs.has(w))) return true;
  }
  const la = localPart(a.addr);
  const lc = localPart(addrOf(c));
  return la !== null && la.length >= 3 && la === lc;
}

/** Place a missing-parent ghost under the message its reply's inner attribution names, or by subject. */
function placeGhost(
  t: PlacementTables,
  ghost: number,
  grand: FoundAttribution | null,
  child: PlaceRow,
  cands: PlaceRow[],
  record: (p: PlacementRecord) => void,
): void {
  const when = grand?.parsed.when;
  if (grand && when && when.hour !== undefined) {
    const authors = t.authorsFor(grand.parsed.name, grand.parsed.addr);
    const fits = cands
      .filter((c) => writtenBy(c, authors, grand.parsed))
      .map((c) => ({
        c,
        fit: attributionFit(when, Date.parse(c.date!), slackFor(c, when)),
      }))
      .filter((x) => x.fit !== null)
      .sort((a, b) => Number(b.fit!.exact) - Number(a.fit!.exact) || a.fit!.errorMs - b.fit!.errorMs);
    if (fits.length) {
      const best = fits[0]!.c;
      t.setParent(ghost, best.id, 'attribution');
      record({
        messageId: ghost,
        parentId: best.id,
        method: 'attribution',
        confidence: fits.length === 1 ? 0.9 : 0.6,
        evidence: `the reply's quote says "${quoteLine(grand)}", which fits ${best.messageId}`,
        candidates: cands.length,
      });
      return;
    }
  }
  const prev = cands.find((c) => c.subjectNorm !== null && c.subjectNorm === child.subjectNorm);
  t.setParent(ghost, prev?.id ?? null, prev ? 'subject' : null);
  record({
    messageId: ghost,
    parentId: prev?.id ?? null,
    method: prev ? 'subject' : 'none',
    confidence: prev ? 0.3 : 0,
    evidence: prev
      ? `latest earlier message with the subject "${child.subjectNorm}"`
      : 'nothing names its parent',
    candidates: cands.length,
  });
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** What an ingest run knows about what it stored, for an incremental placement pass. */
export interface PlacementInput {
  /** `peopleRowids` taken before the run stored anything. */
  peopleRowids: [number, number];
  /** Dates the run's rows had before it changed them (ArchiveWriter.replacedDates). */
  replacedDates: readonly string[];
}

/**
 * Merge archive pages into their other copies, then place every message without threading headers.
 * With `changes`, what this changed of the threader's input is added there (see `rethread`).
 *
 * **Incremental.** With `changes` (the rows the run stored) and `input`, and once a full pass has
 * recorded what each placement looked up (meta `placement_lookups`), only the orphans whose
 * evidence the new rows can change are placed again, with the rules of the full pass:
 * - every orphan dated at or after the earliest stored, changed or merged row (a candidate parent
 *   is never dated after its orphan, and nothing else an orphan reads is another message);
 * - every orphan whose placement looked up a name, address or local part that the run added to
 *   the people tables (who an attribution names can change for mail of any date);
 * - for each missing-parent ghost those orphans left or joined, its newest user, whose placement
 *   decides the ghost's parent in a full pass.
 * The merge pass stays global (it reads only the archive pages still stored on their own, a
 * handful). test/thread/place.test.ts appends real mail in pieces and checks that a full pass
 * afterwards changes nothing.
 */
export function placeMessages(db: Db, changes?: ThreadingChanges, input?: PlacementInput): PlaceStats {
  const stats: PlaceStats = {
    merged: 0,
    byAttribution: 0,
    byQuote: 0,
    bySeries: 0,
    bySubject: 0,
    missingParents: 0,
    lowConfidence: 0,
    ambiguous: 0,
  };
  const t = new PlacementTables(db, changes);
  const incremental =
    changes !== undefined && input !== undefined && getMeta(db, 'placement_lookups') === '1';
  t.transaction(() => {
    const stored = changes ? [...changes.messages] : [];
    mergePages(t, stats);
    let replace: Replace | null = null;
    if (incremental) {
      let since = t.earliestOf(stored);
      for (const d of [...input.replacedDates, t.mergedSince])
        if (d !== null && (since === null || d < since)) since = d;
      replace = { since, ids: t.lookedUpBy(t.lookupKeysAfter(input.peopleRowids)) };
    }
    placeOrphans(t, stats, replace);
    t.dropUnusedMissing();
    setMeta(db, 'placement_lookups', '1');
  });
  return stats;
}
