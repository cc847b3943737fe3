/** Trailer lines (`Acked-by: Name <addr>`) as kernel mail uses them. */

/** Trailer names argmap recognises, in their canonical spelling. */
export const TRAILER_NAMES = [
  'Signed-off-by',
  'Acked-by',
  'Reviewed-by',
  'Tested-by',
  'Co-developed-by',
  'Link',
  'Closes',
  'Fixes',
  'Reported-by',
  'Suggested-by',
  'Nacked-by',
  'Reported-and-tested-by',
  'Cc',
] as const;

export type TrailerName = (typeof TRAILER_NAMES)[number];

const CANON = new Map<string, TrailerName>(TRAILER_NAMES.map((n) => [n.toLowerCase(), n]));

export interface Trailer {
  name: TrailerName;
  value: string;
  /** For person trailers: the name and address, when the value has them. */
  personName: string | null;
  addr: string | null;
}

// Trailer lines can be megabytes long in hostile mail: every pattern here is linear (no lazy
// group followed by `\s*`, no address part that can split at any of many `@`). The earlier
// `^(.*?)\s*<([^<>\s]+@…)>` took 0.6 s on a 20 KB "Acked-by: x <@@@…" line, growing quadratically.
const LINE = /^([A-Za-z][A-Za-z-]{1,40}):[ \t]*(\S.*)$/;
const ADDR = /^<([^<>\s@]+@[^<>\s]+)>/;

/** Parse one line as a trailer, or null if it is not one of the recognised trailers. */
export function parseTrailerLine(line: string): Trailer | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const name = CANON.get(m[1]!.toLowerCase());
  if (!name) return null;
  const value = m[2]!.trimEnd();
  let personName: string | null = null;
  let addr: string | null = null;
  if (name !== 'Link' && name !== 'Closes' && name !== 'Fixes') {
    // the first `<` that opens an address: "Name <addr>"
    let a: RegExpExecArray | null = null;
    let lt = value.indexOf('<');
    for (let tries = 0; lt >= 0 && tries < 4; tries++) {
      if ((a = ADDR.exec(value.slice(lt)))) break;
      lt = value.indexOf('<', lt + 1);
    }
    if (a) {
      personName = value.slice(0, lt).trim().replace(/^"|"$/g, '').trim() || null;
      addr = a[1]!.toLowerCase();
    } else {
      // "stable@vger.kernel.org # 5.19": what follows `#` is a comment, not part of the address
      const hash = value.indexOf('#');
      const bare = (hash >= 0 ? value.slice(0, hash) : value).trim();
      if (/^[^\s@]+@\S+$/.test(bare)) addr = bare.toLowerCase();
      else personName = bare || null;
    }
  }
  return { name, value, personName, addr };
}

/** Whether a trailer expresses review approval (used by the stance rules and the series view). */
export function isApproval(name: TrailerName): boolean {
  return (
    name === 'Acked-by' || name === 'Reviewed-by' || name === 'Tested-by' || name === 'Reported-and-tested-by'
  );
}
