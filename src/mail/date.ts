/**
 * Date parsing for mail headers and archive pages. Every stored date is ISO 8601 UTC
 * (`2020-09-22T18:10:26Z`); the raw header is kept beside it, and an unparsable or absurd date is
 * stored as NULL with a problem recorded rather than guessed.
 */

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  BST: 60,
  IST: 330,
  JST: 540,
  KST: 540,
};

/** Earliest and latest dates accepted as real (mail before 1980 or after 2100 is a broken clock). */
const MIN_MS = Date.UTC(1980, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

export function toIsoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Parse an RFC 5322 date (`Tue, 22 Sep 2020 11:10:26 -0700 (PDT)`), tolerating the usual damage:
 * missing weekday, two-digit years, named zones, missing seconds, extra comments.
 * Returns epoch milliseconds or null.
 */
export function parseMailDate(raw: string | null | undefined): number | null {
  if (!raw) return null;
  // Comments, innermost first (RFC 5322 allows nesting). `[^()]` rather than `[^)]`: with the
  // latter a header of many unclosed "(" was scanned to its end from each one (quadratic).
  let s = raw;
  for (let i = 0; i < 3 && s.includes('('); i++) s = s.replace(/\([^()]*\)/g, ' ');
  s = s.replace(/\s+/g, ' ').trim();
  const m =
    /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?/.exec(
      s,
    );
  let ms: number | null = null;
  if (m) {
    const day = Number(m[1]);
    const mon = MONTHS[m[2]!.toLowerCase()];
    let year = Number(m[3]);
    if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
    if (mon !== undefined && day >= 1 && day <= 31) {
      const hh = Number(m[4]);
      const mm = Number(m[5]);
      const ss = m[6] ? Number(m[6]) : 0;
      let offMin = 0;
      const z = m[7];
      if (z && /^[+-]\d{4}$/.test(z)) {
        const sign = z[0] === '-' ? -1 : 1;
        offMin = sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
      } else if (z) offMin = ZONES[z.toUpperCase()] ?? 0;
      if (hh < 24 && mm < 60 && ss <= 60) ms = Date.UTC(year, mon, day, hh, mm, ss) - offMin * 60_000;
    }
  }
  if (ms === null) {
    const p = Date.parse(s);
    if (!Number.isNaN(p)) ms = p;
  }
  if (ms === null || ms < MIN_MS || ms > MAX_MS) return null;
  return ms;
}

/** Offset of America/New_York from UTC, in minutes, at the given UTC instant (DST-aware, via ICU). */
function newYorkOffsetMinutes(utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(utcMs));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-5';
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!m) return -300;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * Parse a hypermail (lkml.iu.edu) date such as `Tue Sep 22 2020 - 14:10:38 EST`.
 * The label always says EST, but the time is the archive's receipt time in US Eastern local time,
 * which is EDT in summer: the offset is taken from the calendar, not from the label.
 */
export function parseHypermailDate(raw: string): number | null {
  const m = /([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s*-\s*(\d{1,2}):(\d{2}):(\d{2})/.exec(raw);
  if (!m) return parseMailDate(raw);
  const mon = MONTHS[m[1]!.toLowerCase()];
  if (mon === undefined) return null;
  const local = Date.UTC(Number(m[3]), mon, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  // Two passes: the offset depends on the instant, which depends on the offset.
  let off = newYorkOffsetMinutes(local + 300 * 60_000);
  off = newYorkOffsetMinutes(local - off * 60_000);
  const ms = local - off * 60_000;
  return ms < MIN_MS || ms > MAX_MS ? null : ms;
}

/** The clock a hypermail page prints, before any time zone is applied. */
export interface WallClock {
  /** The printed date and time read as if it were UTC (milliseconds). */
  wallMs: number;
  /**
   * The offset from UTC, in minutes, that the printed zone label means at that time: for
   * lkml.iu.edu's "EST" (always printed) US Eastern by the calendar, so -240 in summer; for another
   * known label its fixed offset; null for an unknown label.
   */
  labelOffsetMinutes: number | null;
}

/**
 * Read a hypermail date line (`Tue Sep 22 2020 - 14:10:38 EST`) as a wall clock. Placement and
 * page identity need the printed clock itself: the label does not say whose zone it is (a
 * receipt time in US Eastern time, or the sender's local time), so they try the offsets it can
 * mean.
 */
export function hypermailWallClock(raw: string): WallClock | null {
  const m = /([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s*-\s*(\d{1,2}):(\d{2}):(\d{2})(?:\s+([A-Za-z]{1,5}))?/.exec(
    raw,
  );
  if (!m) return null;
  const mon = MONTHS[m[1]!.toLowerCase()];
  if (mon === undefined) return null;
  const wallMs = Date.UTC(Number(m[3]), mon, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (wallMs < MIN_MS || wallMs > MAX_MS) return null;
  const label = (m[7] ?? '').toUpperCase();
  let labelOffsetMinutes: number | null = null;
  if (label === 'EST' || label === 'EDT' || label === '') {
    let off = newYorkOffsetMinutes(wallMs + 300 * 60_000);
    off = newYorkOffsetMinutes(wallMs - off * 60_000);
    labelOffsetMinutes = off;
  } else if (label in ZONES) labelOffsetMinutes = ZONES[label]!;
  return { wallMs, labelOffsetMinutes };
}
