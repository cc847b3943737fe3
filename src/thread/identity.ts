/**
 * When is an archive page the same message as another copy of it?
 *
 * A hypermail page has no Message-ID, so identity must be proved from what the page shows: its
 * date, its author and its text. Merging two different messages throws one of them away, with
 * every claim and quote it holds, so the rule is built to refuse rather than guess:
 *
 * - **Time.** A page prints a wall clock with a zone label that may not be the sender's zone. It
 *   fits a copy dated `utc` when either (a) the label's own offset turns it into a time at most
 *   `MAX_RECEIPT_DELAY_MS` after `utc` (lkml.iu.edu prints its receipt time: seconds after the
 *   Date header), or (b) some whole quarter-hour offset from UTC−12 to UTC+14 turns it into `utc`
 *   to the second (an archive that prints the sender's local time under a wrong label). Which
 *   offset fitted is recorded. Time alone never proves identity — replies by one author minutes
 *   apart are common — it only bounds the candidates.
 * - **Author**: the same person, or the same name once the archive's address obfuscation is
 *   ignored (decided by the caller, which knows the people tables).
 * - **Subject**: the same normalised subject.
 * - **Own text** (src/mail/owntext.ts: not the quotes, not the signature, not the patch) nearly
 *   exactly equal after normalising obfuscated addresses (`mhocko@xxxxxxxx`), case, punctuation
 *   and line wrapping: replies in one sub-thread quote the same text, so the whole body of two
 *   different replies can be alike, but their own text is not. When the own text is short (an
 *   ack, "Thanks."), the whole body, quotes included, must match too.
 *
 * Pure functions over strings and numbers; the caller (./place.ts) reads the rows and applies the
 * verdict. Linear in the text: word bigram counts, no edit-distance table.
 */
import { ownText } from '../mail/owntext.ts';
import { MAX_IDENTITY_WORDS } from '../util/limits.ts';

/**
 * Longest time a page's printed receipt time may follow the message's Date header, and how far it
 * may precede it (a sender's clock running fast). Measured on the whole cgroups archive (36,131
 * messages: the list's delivery Received header against the Date header): 76% arrive within a
 * minute, 93.6% within ten, 97% within an hour, 99.5% within six hours; 2% are dated after they
 * arrived, nearly all by minutes. A wider window only admits more candidates; identity is decided
 * by the text.
 */
export const MAX_RECEIPT_DELAY_MS = 6 * 3600_000;
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** Own-text similarity (word-bigram Dice coefficient) that counts as the same text. */
export const SAME_OWN_TEXT = 0.97;
/** Whole-body similarity required in addition when the own text is short. */
export const SAME_BODY = 0.95;
/** Own text shorter than this many words is too little to prove identity on its own. */
export const SHORT_OWN_TEXT_WORDS = 20;

const QUARTER_HOUR_MS = 15 * 60_000;
const MIN_OFFSET_MIN = -12 * 60;
const MAX_OFFSET_MIN = 14 * 60;

/** How a page's printed clock fitted a copy's UTC date. */
export interface TimeFit {
  /** (a) the label's offset plus a receipt delay, or (b) an exact quarter-hour offset. */
  rule: 'receipt-delay' | 'exact-offset';
  /** The offset from UTC, in minutes, under which the clock fits. */
  offsetMinutes: number;
  /** Seconds from the copy's date to the page's time under that offset (0 for an exact fit; negative for a fast sender clock). */
  delaySeconds: number;
}

/**
 * Whether a page's printed clock (`wallMs`: the printed time read as UTC) fits a copy sent at
 * `utcMs`; `labelOffsetMinutes` is what the page's zone label means, when it is known.
 */
export function fitWallClock(
  wallMs: number,
  utcMs: number,
  labelOffsetMinutes: number | null,
): TimeFit | null {
  if (labelOffsetMinutes !== null) {
    const delay = wallMs - labelOffsetMinutes * 60_000 - utcMs;
    if (delay >= -MAX_CLOCK_SKEW_MS && delay <= MAX_RECEIPT_DELAY_MS)
      return {
        rule: 'receipt-delay',
        offsetMinutes: labelOffsetMinutes,
        delaySeconds: Math.round(delay / 1000),
      };
  }
  const diff = wallMs - utcMs; // = the offset, if this is the sender's local time
  if (diff % QUARTER_HOUR_MS !== 0) return null;
  const offsetMinutes = diff / 60_000;
  if (offsetMinutes < MIN_OFFSET_MIN || offsetMinutes > MAX_OFFSET_MIN) return null;
  return { rule: 'exact-offset', offsetMinutes, delaySeconds: 0 };
}

/** The UTC window in which a copy must be dated for a page's clock to fit it. */
export function wallClockWindow(wallMs: number): { from: number; to: number } {
  return {
    from: wallMs - MAX_OFFSET_MIN * 60_000 - MAX_RECEIPT_DELAY_MS,
    to: wallMs - MIN_OFFSET_MIN * 60_000,
  };
}

/**
 * Words of a text as identity compares them: lower-cased letters and digits, every e-mail address
 * reduced to its local part (archives obfuscate the domain: `mhocko@xxxxxxxx`, `mhocko@[hidden]`,
 * `mhocko_at_suse.com`), punctuation and line breaks ignored. At most MAX_IDENTITY_WORDS.
 */
export function identityWords(text: string): string[] {
  const t = text.toLowerCase().replace(/([a-z0-9._%+-]+)(?:@|_at_)(?:\[hidden\]|[a-z0-9.-]+)/g, '$1 @');
  const out: string[] = [];
  const re = /[\p{L}\p{N}@]+/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null && out.length < MAX_IDENTITY_WORDS) out.push(m[0]);
  return out;
}

/**
 * Similarity of two word sequences: the Dice coefficient of their word-bigram multisets (1 for
 * equal sequences, and still above 0.97 when a few words in hundreds differ). Two empty texts are
 * equal (1); one empty and one not, 0.
 */
export function wordSimilarity(a: string[], b: string[]): number {
  if (!a.length && !b.length) return 1;
  if (!a.length || !b.length) return 0;
  const grams = (w: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    if (w.length === 1) m.set(w[0]!, 1);
    for (let i = 0; i + 1 < w.length; i++) {
      const k = w[i] + ' ' + w[i + 1];
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const ga = grams(a);
  const gb = grams(b);
  let common = 0;
  for (const [k, n] of ga) common += Math.min(n, gb.get(k) ?? 0);
  const total = Math.max(1, a.length - 1) + Math.max(1, b.length - 1);
  return (2 * common) / total;
}

/** The text evidence of an identity check, kept with the merge. */
export interface TextMatch {
  /** Own-text similarity (0..1). */
  own: number;
  /** Whole-body similarity (0..1), quotes included; 0 when the own text already differs (not computed). */
  body: number;
  /** Words of the page's own text. */
  ownWords: number;
  /** True when the texts prove the same message. */
  same: boolean;
}

/**
 * Own text for identity: as src/mail/owntext.ts defines it, except that a signature line of `--`
 * also counts, because archive pages lose the trailing space of `-- ` (HTML trims it).
 */
function identityOwnText(body: string): string {
  return ownText(body.replace(/^--[ \t]*$/m, '-- '));
}

/** Compare two bodies as identity does: own text nearly equal, and the whole body too when it is short. */
export function compareTexts(pageBody: string, otherBody: string): TextMatch {
  const pa = identityWords(identityOwnText(pageBody));
  const pb = identityWords(identityOwnText(otherBody));
  const own = wordSimilarity(pa, pb);
  const ownWords = pa.length;
  // Only worth reading the whole body (quotes are most of it) once the own text agrees.
  const body = own >= SAME_OWN_TEXT ? wordSimilarity(identityWords(pageBody), identityWords(otherBody)) : 0;
  const same = own >= SAME_OWN_TEXT && (ownWords >= SHORT_OWN_TEXT_WORDS || body >= SAME_BODY);
  return { own, body, ownWords, same };
}
