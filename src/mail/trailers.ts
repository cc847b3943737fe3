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

const LINE = /^([A-Za-z][A-Za-z-]{1,40}):[ \t]*(\S.*?)\s*$/;

/** Parse one line as a trailer, or null if it is not one of the recognised trailers. */
export function parseTrailerLine(line: string): Trailer | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const name = CANON.get(m[1]!.toLowerCase());
  if (!name) return null;
  const value = m[2]!;
  let personName: string | null = null;
  let addr: string | null = null;
  if (name !== 'Link' && name !== 'Closes' && name !== 'Fixes') {
    const a = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>/.exec(value);
    if (a) {
      personName = a[1]!.replace(/^"|"$/g, '').trim() || null;
      addr = a[2]!.toLowerCase();
    } else if (/^\S+@\S+$/.test(value)) addr = value.toLowerCase();
    else personName = value.replace(/\s*#.*$/, '').trim() || null;
  }
  return { name, value, personName, addr };
}

/** Whether a trailer expresses review approval (used by the stance rules and the series view). */
export function isApproval(name: TrailerName): boolean {
  return (
    name === 'Acked-by' || name === 'Reviewed-by' || name === 'Tested-by' || name === 'Reported-and-tested-by'
  );
}
