/**
 * Own text and own-text paragraphs of a message body, as decision records cite them
 * (`[msg:ID#pN]`, excerpts): docs/decisions.md §3.2 is the definition. A paragraph is a maximal
 * run of own-text lines; quote, attribution, snip, trailer and blank lines end it; the patch part
 * and the signature are cut first.
 */
import { isAttributionLine } from '../mail/attribution.ts';

export interface OwnParagraph {
  /** 1-based paragraph number. */
  n: number;
  text: string;
}

const SNIP = /^(\[(\.\.\.|…)\]|<snip>|\[snip[^\]]*\]|<snip[^>]*>)$/i;
const TRAILER = /^(([A-Za-z]+-)+by|Cc|Link|Fixes|Closes):\s/i;
const DIFFSTAT = /^\s*\d+ files? changed/;

function isAttribution(trimmed: string): boolean {
  return /(wrote|writes)\s*:$/i.test(trimmed) || /写道[:：]$/.test(trimmed) || isAttributionLine(trimmed);
}

/** The body with the patch part and the signature removed, as lines. */
function ownRegion(body: string): string[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.replace(/\s+$/, '') !== '---') continue;
    let later = false;
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j]!.startsWith('diff --git ') || DIFFSTAT.test(lines[j]!)) {
        later = true;
        break;
      }
    }
    if (later) {
      cut = i;
      break;
    }
  }
  if (cut === lines.length) {
    const d = lines.findIndex((l) => l.startsWith('diff --git '));
    if (d >= 0) cut = d;
  }
  const kept = lines.slice(0, cut);
  const sig = kept.findIndex((l) => l.replace(/\s+$/, '') === '--');
  return sig >= 0 ? kept.slice(0, sig) : kept;
}

/** The own-text paragraphs of a decoded message body, numbered from 1. */
export function ownParagraphs(body: string): OwnParagraph[] {
  const lines = ownRegion(body);
  const own: boolean[] = lines.map((l, i) => {
    const t = l.trim();
    if (!t) return false;
    if (t.startsWith('>')) return false;
    if (isAttribution(t)) return false;
    // An attribution wrapped over two lines: "On Tue, …, Name" then "<addr> wrote:".
    if (/^On /.test(t)) {
      const next = lines[i + 1]?.trim() ?? '';
      if (next && !next.startsWith('>') && isAttribution(next)) return false;
    }
    if (SNIP.test(t)) return false;
    if (TRAILER.test(t)) return false;
    return true;
  });
  const out: OwnParagraph[] = [];
  let cur: string[] = [];
  const flush = (): void => {
    if (cur.length) out.push({ n: out.length + 1, text: cur.join('\n') });
    cur = [];
  };
  lines.forEach((l, i) => {
    if (own[i]) cur.push(l);
    else flush();
  });
  flush();
  return out;
}

/** Collapse whitespace runs to one space and trim: how excerpts are compared. */
export function normaliseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
