/** Message-ID handling: extraction from header values, normalisation, synthetic ids. */
import { createHash } from 'node:crypto';
import { MAX_REFERENCES } from '../util/limits.ts';

const BRACKETED = /<([^<>]{1,998})>/g;

/**
 * Normalise one Message-ID: strip angle brackets and surrounding space, keep case (ids are
 * case-sensitive in their local part; lore treats them byte for byte).
 */
export function normaliseMsgId(s: string): string | null {
  let t = s.trim();
  if (t.startsWith('<')) t = t.slice(1);
  if (t.endsWith('>')) t = t.slice(0, -1);
  t = t.trim();
  if (!t || /\s/.test(t) || t.length > 998) return null;
  return t;
}

/**
 * All Message-IDs in a header value (In-Reply-To, References). Bracketed ids are preferred; a value
 * with none falls back to bare tokens containing "@" (some old clients omit the brackets).
 * Duplicates are dropped, order kept; at most `limit` ids (the last ones: they are nearest the
 * message).
 */
export function extractMsgIds(value: string | undefined | null, limit = MAX_REFERENCES): string[] {
  if (!value) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of value.matchAll(BRACKETED)) {
    // A folded header can break an id inside its brackets ("<abc\n =def@host>"): rejoin it. Text
    // with spaces and no "@" is not an id at all (a subject pasted into References).
    const inner = m[1]!;
    const hasSpace = /\s/.test(inner);
    if (hasSpace && !inner.includes('@')) continue;
    const id = normaliseMsgId(hasSpace ? inner.replace(/\s+/g, '') : inner);
    if (id && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  if (out.length === 0) {
    // In-Reply-To sometimes carries a phrase, e.g. `Your message of … <id>` without brackets.
    for (const tok of value.split(/[\s,;]+/)) {
      if (tok.includes('@') && !tok.includes('(')) {
        const id = normaliseMsgId(tok.replace(/^["'(]+|["'),.;]+$/g, ''));
        if (id && !seen.has(id)) {
          seen.add(id);
          out.push(id);
        }
      }
    }
  }
  return out.length > limit ? out.slice(out.length - limit) : out;
}

/** The Message-ID of a header value, or null when it has none that is usable. */
export function firstMsgId(value: string | undefined | null): string | null {
  return extractMsgIds(value, 1_000)[0] ?? null;
}

/** Stable synthetic id for a message without one: derived from its content, so re-ingest gives the same id. */
export function syntheticMsgId(contentSha256: string): string {
  return `synthetic-${contentSha256.slice(0, 24)}@argmap.invalid`;
}

/** Id given to the second, different message that reuses an existing Message-ID. */
export function reusedMsgId(original: string, contentSha256: string): string {
  return `reused-${contentSha256.slice(0, 16)}-${original}`;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
