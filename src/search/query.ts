/**
 * The search syntax shared by `argmap search` (SQLite FTS5) and the static site (lunr). One parser,
 * pure (no Node or DOM APIs), so the CLI and the browser agree on what a query means.
 *
 * Syntax (lore / notmuch users know most of it):
 *
 *   zswap latency            both words (AND, like lore)
 *   zswap OR zram            either word
 *   -drop_caches  NOT x      exclude
 *   "memory high"            phrase (FTS5: exact phrase; lunr: all words)
 *   reclai*                  prefix
 *   f:hocko  from:  author:  the author's name or address
 *   s:reclaim  subject:      the subject
 *   nq:word                  what the writer wrote: own text and the patch (not quoted text)
 *   q:word                   quoted text
 *   b:word  body:            the whole body: own text, quoted text and the patch
 *   bs:word                  subject and body
 *   dfn:mm/memcontrol.c      a file the patch changes (whole path components: dfn:memcontrol.c)
 *   dfa:word  dfb:word       removed (-) / added (+) lines of the patch (lore: the a/ and b/ side)
 *   dfhh:word                the function context of the patch's hunk headers
 *   t:hannes  c:  tc:  a:    To, Cc, To or Cc, To/Cc/From (names and addresses)
 *   m:<id@host>  mid:        one message by Message-ID (exact, brackets optional)
 *   patchid:HEX              patches with this `git patch-id --stable`
 *   d:2022-03..2022-06       date: YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD, or git's relative dates
 *                            (d:2.weeks.ago.., d:1.month.ago..1.week.ago, d:yesterday), ranges
 *                            with `..`, open ends
 *   type:objection  topic:memory.high  status:open  stance:…   argument facets
 *
 * docs/search-operators.md compares this with lore's list operator by operator.
 *
 * Input never makes the parser throw: an unknown `word:` prefix (as in `Re: fix`) is searched as
 * ordinary text; lore's operators argmap does not answer yet (`l:`, `rt:`, …) are reported and left
 * out; and problems (a bad date) are reported in `errors` and otherwise ignored.
 */

/**
 * Where a term is looked for, named after lore's prefixes. `any` = subject, author and own text;
 * `nq` = own text and the patch's parts; `b` = `nq` and quoted text; `bs` = `b` and the subject;
 * `q` = quoted text; `dfn` `dfa` `dfb` `dfhh` = the patch's file names, removed lines, added
 * lines and hunk header contexts; `t` `c` `tc` = To, Cc, both; `a` = To, Cc and From.
 */
export type TextField =
  | 'any'
  | 'subject'
  | 'author'
  | 'nq'
  | 'q'
  | 'b'
  | 'bs'
  | 'dfn'
  | 'dfa'
  | 'dfb'
  | 'dfhh'
  | 't'
  | 'c'
  | 'tc'
  | 'a';

/** Fields matched by exact identifier rather than by words: Message-ID (`m:`), patch id (`patchid:`). */
export type ExactField = 'mid' | 'patchid';

/** Argument facets: exact-valued filters computed from the argument graph and decision records. */
export type FacetField = 'type' | 'topic' | 'status' | 'stance';

export const FACET_FIELDS: readonly FacetField[] = ['type', 'topic', 'status', 'stance'];

/** One word, prefix or phrase to look for. */
export interface Term {
  field: TextField;
  /** The word(s), lower-cased; for a phrase, the words separated by single spaces. */
  text: string;
  /** `word*`: match every word that starts with `text`. */
  prefix: boolean;
  /** A quoted phrase of more than one word. */
  phrase: boolean;
}

/** A facet filter: the message must (or, negated, must not) carry `field:value`. */
export interface Facet {
  field: FacetField;
  value: string;
}

/** An exact identifier: the message with this Message-ID, or the patches with this patch id. */
export interface Exact {
  field: ExactField;
  /** The Message-ID without angle brackets (case kept), or the patch id lower-cased. */
  id: string;
}

/** Anything a clause can ask for. */
export type Alternative = Term | Facet | Exact;

/**
 * One conjunct of the query: the message must match at least one alternative (OR), or, when
 * `negate` is set, none of them.
 */
export interface Clause {
  alternatives: Alternative[];
  negate: boolean;
}

/** A date range on the message's date (UTC), as `YYYY-MM-DD` day bounds. */
export interface DateRange {
  /** First day included, or undefined for an open start. */
  from?: string;
  /** First day no longer included (exclusive), or undefined for an open end. */
  until?: string;
}

export interface ParsedQuery {
  /** The query as typed. */
  input: string;
  /** All clauses must hold (AND). */
  clauses: Clause[];
  /** Intersection of every `d:` given. */
  date?: DateRange;
  /** Human-readable problems; the rest of the query still runs. */
  errors: string[];
}

const TEXT_PREFIXES: Record<string, TextField> = {
  f: 'author',
  from: 'author',
  author: 'author',
  s: 'subject',
  subject: 'subject',
  b: 'b',
  body: 'b',
  bs: 'bs',
  nq: 'nq',
  q: 'q',
  dfn: 'dfn',
  dfa: 'dfa',
  dfb: 'dfb',
  dfhh: 'dfhh',
  t: 't',
  c: 'c',
  tc: 'tc',
  a: 'a',
};

const EXACT_PREFIXES: Record<string, ExactField> = {
  m: 'mid',
  mid: 'mid',
  patchid: 'patchid',
};

const FACET_PREFIXES: Record<string, FacetField> = {
  type: 'type',
  topic: 'topic',
  about: 'topic',
  status: 'status',
  stance: 'stance',
};

const DATE_PREFIXES = new Set(['d', 'date']);

/**
 * lore's operators that argmap does not answer yet, with the reason (docs/search-operators.md).
 * The parser reports them and leaves them out, rather than searching `t:hannes` as the words
 * "t" and "hannes".
 */
const UNSUPPORTED: Record<string, string> = {
  l: 'List-Id is not searchable yet',
  n: 'attachment file names are not indexed yet',
  rt: 'the received time is not stored (use d:)',
  dt: 'times of day are not searchable yet (use d:)',
  z: 'message sizes are not indexed',
  dfctx: 'diff context lines are not indexed',
  dfpre: 'git blob ids are not indexed',
  dfpost: 'git blob ids are not indexed',
  dfblob: 'git blob ids are not indexed',
  forpatchid: 'X-For-Patch-ID is not stored',
  changeid: 'X-Change-ID is not stored',
};

/** Longest query we look at; the rest is ignored (and reported) so a pasted mail cannot stall the page. */
export const MAX_QUERY_LENGTH = 1000;
/** Most clauses a query may have; further ones are dropped with an error. */
export const MAX_CLAUSES = 32;

interface Token {
  text: string;
  quoted: boolean;
  /** Leading `-`. */
  minus: boolean;
  /** A `prefix:` written before a quoted string (`s:"memory high"`). */
  field?: string;
}

/** Split the input into words and quoted strings; `field:"…"` stays one token. */
function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && /\s/.test(input[i]!)) i++;
    if (i >= n) break;
    let minus = false;
    if (input[i] === '-' && i + 1 < n && !/\s/.test(input[i + 1]!)) {
      minus = true;
      i++;
    }
    // field:"quoted"
    const fieldQuoted = /^([A-Za-z]+):"/.exec(input.slice(i, i + 20));
    if (fieldQuoted) {
      const start = i + fieldQuoted[0].length;
      const end = input.indexOf('"', start);
      const stop = end < 0 ? n : end;
      out.push({ text: input.slice(start, stop), quoted: true, minus, field: fieldQuoted[1]!.toLowerCase() });
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const stop = end < 0 ? n : end;
      out.push({ text: input.slice(i + 1, stop), quoted: true, minus });
      i = end < 0 ? n : end + 1;
      continue;
    }
    let j = i;
    while (j < n && !/\s/.test(input[j]!)) j++;
    out.push({ text: input.slice(i, j), quoted: false, minus });
    i = j;
  }
  return out;
}

/**
 * Words of free text as both sides index them: split on anything that is not a letter, digit,
 * `_`, `.`, `/` or `-` inside a word, lower-cased. Leading and trailing punctuation is dropped.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}_./+-]+/u)) {
    const w = raw.replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, '');
    if (w) out.push(w);
  }
  return out;
}

const DAY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Days in a month (1-based month), leap years included. */
function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The UTC day of an instant, as `YYYY-MM-DD`. */
function dayString(t: Date): string {
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** git's approxidate units that a relative date may count in, as milliseconds (months and years: calendar). */
const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};
/** `2.weeks.ago`, `1.month`, `3.days.ago`: a count, a unit, an optional `ago`. */
const RELATIVE = /^(\d{1,6})\.(second|minute|hour|day|week|month|year)s?(?:\.ago)?$/;
/** `last.week`: one unit ago. */
const LAST = /^last\.(second|minute|hour|day|week|month|year)$/;

/**
 * The day a relative date of git's approxidate names, counted back from `now` in UTC: `now`,
 * `today`, `yesterday`, `last.week`, `N.unit.ago` (unit second … year, plural or not, `.ago`
 * optional; months and years go back by the calendar, as git does). Spaces may stand for the dots
 * (`d:"2 weeks ago"`). Null for anything else.
 */
export function relativeDay(s: string, now: Date): string | null {
  const v = s.trim().toLowerCase().replace(/\s+/g, '.');
  if (v === 'now' || v === 'today') return dayString(now);
  if (v === 'yesterday') return dayString(new Date(now.getTime() - UNIT_MS.day!));
  let n: number;
  let unit: string;
  const r = RELATIVE.exec(v);
  if (r) {
    n = Number(r[1]);
    unit = r[2]!;
  } else {
    const l = LAST.exec(v);
    if (!l) return null;
    n = 1;
    unit = l[1]!;
  }
  let t: Date;
  if (unit === 'month' || unit === 'year') {
    const months = unit === 'month' ? n : 12 * n;
    t = new Date(
      Date.UTC(
        now.getUTCFullYear(),
        now.getUTCMonth() - months,
        now.getUTCDate(),
        now.getUTCHours(),
        now.getUTCMinutes(),
        now.getUTCSeconds(),
      ),
    );
  } else t = new Date(now.getTime() - n * UNIT_MS[unit]!);
  if (Number.isNaN(t.getTime()) || t.getUTCFullYear() < 1970) return null;
  return dayString(t);
}

/**
 * A date bound as [first day, first day after]; null if it is not a date we understand. A
 * relative date (see {@link relativeDay}) is the one day it falls on, counted from `now`.
 */
export function parseDay(s: string, now: Date = new Date()): [string, string] | null {
  const rel = relativeDay(s, now);
  if (rel !== null) return parseDay(rel, now);
  const a = COMPACT_DAY.exec(s) ?? DAY.exec(s);
  if (!a) return null;
  const y = Number(a[1]);
  const m = a[2] === undefined ? undefined : Number(a[2]);
  const d = a[3] === undefined ? undefined : Number(a[3]);
  if (y < 1970 || y > 2999) return null;
  if (m !== undefined && (m < 1 || m > 12)) return null;
  if (d !== undefined && (d < 1 || d > daysIn(y, m!))) return null;
  if (m === undefined) return [`${y}-01-01`, `${y + 1}-01-01`];
  if (d === undefined) {
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
    return [`${y}-${pad(m)}-01`, next];
  }
  return [`${y}-${pad(m)}-${pad(d)}`, dayString(new Date(Date.UTC(y, m - 1, d + 1)))];
}

/**
 * Parse a `d:` value: a day/month/year or a relative date, or a `..` range with optional ends.
 * `now` anchors relative dates (the current time unless given).
 */
export function parseDateRange(v: string, now: Date = new Date()): DateRange | null {
  const dots = v.indexOf('..');
  if (dots < 0) {
    const d = parseDay(v, now);
    return d ? { from: d[0], until: d[1] } : null;
  }
  const a = v.slice(0, dots);
  const b = v.slice(dots + 2);
  if (!a && !b) return null;
  const r: DateRange = {};
  if (a) {
    const d = parseDay(a, now);
    if (!d) return null;
    r.from = d[0];
  }
  if (b) {
    const d = parseDay(b, now);
    if (!d) return null;
    r.until = d[1];
  }
  if (r.from && r.until && r.from >= r.until) return null;
  return r;
}

function intersect(a: DateRange | undefined, b: DateRange): DateRange {
  if (!a) return b;
  const r: DateRange = {};
  const from = a.from && b.from ? (a.from > b.from ? a.from : b.from) : (a.from ?? b.from);
  const until = a.until && b.until ? (a.until < b.until ? a.until : b.until) : (a.until ?? b.until);
  if (from) r.from = from;
  if (until) r.until = until;
  return r;
}

/** Fields holding names and addresses: an address there (`c:mhocko@kernel.org`) is one phrase. */
const ADDRESS_FIELDS: ReadonlySet<TextField> = new Set<TextField>(['author', 't', 'c', 'tc', 'a']);

/** Terms for the words of a (possibly quoted) text in one field. */
function textTerms(field: TextField, text: string, quoted: boolean): Term[] {
  // An address splits into words at `@`; as separate words, c:mhocko@kernel.org would also match
  // mhocko@suse.com with anyone at kernel.org in the same header.
  if (!quoted && ADDRESS_FIELDS.has(field) && text.includes('@')) quoted = true;
  if (quoted) {
    const ws = words(text);
    if (!ws.length) return [];
    return [{ field, text: ws.join(' '), prefix: false, phrase: ws.length > 1 }];
  }
  const prefix = /\*$/.test(text);
  const ws = words(text.replace(/\*+$/, ''));
  return ws.map((w, i) => ({ field, text: w, prefix: prefix && i === ws.length - 1, phrase: false }));
}

/** A Message-ID as `m:` takes it: without angle brackets, whitespace and a `mid:`-style quote. */
function messageIdValue(v: string): string {
  let t = v.trim();
  if (t.startsWith('<')) t = t.slice(1);
  if (t.endsWith('>')) t = t.slice(0, -1);
  return t.trim();
}

/**
 * Parse a query. Never throws. `now` anchors relative dates (`d:2.weeks.ago..`); it is the
 * current time unless given.
 */
export function parseQuery(input: string, opts: { now?: Date } = {}): ParsedQuery {
  const now = opts.now ?? new Date();
  const errors: string[] = [];
  let text = input;
  if (text.length > MAX_QUERY_LENGTH) {
    text = text.slice(0, MAX_QUERY_LENGTH);
    errors.push(`the query is longer than ${MAX_QUERY_LENGTH} characters; the rest was ignored`);
  }
  const clauses: Clause[] = [];
  let date: DateRange | undefined;
  let pendingOr = false;
  let pendingNot = false;

  const push = (alts: Alternative[], negate: boolean): void => {
    if (!alts.length) return;
    const last = clauses[clauses.length - 1];
    if (pendingOr && last && !last.negate && !negate) {
      last.alternatives.push(...alts);
    } else if (negate) {
      // `-a b` excludes a only; several words in one negated token exclude each of them.
      for (const a of alts) clauses.push({ alternatives: [a], negate: true });
    } else if (alts.length > 1) {
      // Several words from one token (`f:"Michal Hocko"` is one phrase, but `mm/vmscan.c`-style
      // tokens split into words) must all match.
      for (const a of alts) clauses.push({ alternatives: [a], negate: false });
    } else {
      clauses.push({ alternatives: alts, negate: false });
    }
    pendingOr = false;
  };

  for (const tok of tokenize(text)) {
    if (!tok.quoted && !tok.minus && tok.text === 'OR') {
      if (clauses.length) pendingOr = true;
      continue;
    }
    if (!tok.quoted && !tok.minus && tok.text === 'AND') continue;
    if (!tok.quoted && !tok.minus && tok.text === 'NOT') {
      pendingNot = true;
      continue;
    }
    const negate = tok.minus || pendingNot;
    pendingNot = false;
    // Reply and forward markers pasted from a subject line carry no meaning.
    if (!tok.quoted && /^(re|fwd?|aw|sv):$/i.test(tok.text)) continue;

    let field: string | undefined = tok.field;
    let value = tok.text;
    if (field === undefined && !tok.quoted) {
      const m = /^([A-Za-z]+):(.*)$/s.exec(tok.text);
      if (m && m[2] !== '') {
        field = m[1]!.toLowerCase();
        value = m[2]!;
      }
    }
    if (field !== undefined && DATE_PREFIXES.has(field)) {
      const r = parseDateRange(value, now);
      if (!r)
        errors.push(
          `not a date or date range: ${JSON.stringify(value)} (try d:2022-03..2022-06 or d:2.weeks.ago..)`,
        );
      else if (negate) errors.push('a date cannot be negated; use a range with an open end instead');
      else date = intersect(date, r);
      continue;
    }
    if (field !== undefined && Object.hasOwn(FACET_PREFIXES, field)) {
      const v = value.trim().toLowerCase();
      if (v) push([{ field: FACET_PREFIXES[field]!, value: v }], negate);
      continue;
    }
    if (field !== undefined && Object.hasOwn(UNSUPPORTED, field)) {
      errors.push(`operator ${field}: is not supported yet (${UNSUPPORTED[field]}); it was left out`);
      continue;
    }
    if (field !== undefined && Object.hasOwn(EXACT_PREFIXES, field)) {
      const f = EXACT_PREFIXES[field]!;
      const id = f === 'mid' ? messageIdValue(value) : value.trim().toLowerCase();
      if (id) push([{ field: f, id }], negate);
      continue;
    }
    if (field !== undefined && Object.hasOwn(TEXT_PREFIXES, field)) {
      push(textTerms(TEXT_PREFIXES[field]!, value, tok.quoted), negate);
      continue;
    }
    // Unknown prefix (`Re:`) or plain text: search the words as written.
    push(textTerms('any', tok.text, tok.quoted), negate);
  }
  if (clauses.length > MAX_CLAUSES) {
    clauses.length = MAX_CLAUSES;
    errors.push(`only the first ${MAX_CLAUSES} terms are used`);
  }
  const q: ParsedQuery = { input, clauses, errors };
  if (date) q.date = date;
  return q;
}

/** True for a facet alternative. */
export function isFacet(a: Alternative): a is Facet {
  return 'value' in a;
}

/** True for an exact identifier (`m:`, `patchid:`). */
export function isExact(a: Alternative): a is Exact {
  return 'id' in a;
}

/** True for a text term (a word, prefix or phrase in some field). */
export function isTerm(a: Alternative): a is Term {
  return 'text' in a;
}

/** Whether the query asks for anything (a term, a facet or a date). */
export function isEmpty(q: ParsedQuery): boolean {
  return q.clauses.length === 0 && !q.date;
}

/** Whether a query has at least one positive clause or a date (a pure exclusion matches too much). */
export function hasPositive(q: ParsedQuery): boolean {
  return Boolean(q.date) || q.clauses.some((c) => !c.negate);
}

/** Fields that look in headers only: their words are never marked in a body snippet. */
export const HEADER_FIELDS: ReadonlySet<TextField> = new Set<TextField>([
  'author',
  'subject',
  't',
  'c',
  'tc',
  'a',
]);

/** The text terms to highlight in a snippet (positive, not negated). */
export function highlightTerms(q: ParsedQuery): { text: string; prefix: boolean }[] {
  const out: { text: string; prefix: boolean }[] = [];
  for (const c of q.clauses) {
    if (c.negate) continue;
    for (const a of c.alternatives) {
      if (!isTerm(a) || HEADER_FIELDS.has(a.field)) continue;
      for (const w of a.text.split(' ')) out.push({ text: w, prefix: a.prefix });
    }
  }
  return out;
}

/** Whether an ISO date string (`2022-03-05T…`) lies in the range (day bounds). */
export function inRange(date: string | null | undefined, r: DateRange | undefined): boolean {
  if (!r) return true;
  if (!date) return false;
  const day = date.slice(0, 10);
  if (r.from && day < r.from) return false;
  if (r.until && day >= r.until) return false;
  return true;
}
