/**
 * Curated stance corrections (data/stance-overrides.tsv): reviewed by a person, keyed by
 * Message-ID and paragraph, each with a reason. They always win over the rules in `claims.stance`;
 * `claims.rule_stance` keeps what the rules said, and the evaluation never uses overrides.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STANCES, type Stance } from './stance.ts';

export const OVERRIDES_PATH = fileURLToPath(new URL('../../data/stance-overrides.tsv', import.meta.url));

/** One correction. */
export interface Override {
  messageId: string;
  /** `pN` or `tN`. */
  key: string;
  /** The paragraph's 60-character prefix when it was reviewed: a different prefix means the text moved. */
  prefix: string;
  stance: Stance;
  reason: string;
}

/** Parse the overrides file (TSV: message_id, para, prefix, stance, reason; `#` comments; no quoting). */
export function parseOverrides(text: string): Override[] {
  const out: Override[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [messageId, para, prefix, stance, reason] = line.split('\t');
    if (!messageId || messageId === 'message_id' || !para || !stance) continue;
    if (!(STANCES as readonly string[]).includes(stance)) continue;
    const key = /^\d+$/.test(para) ? `p${para}` : para;
    out.push({ messageId, key, prefix: prefix ?? '', stance: stance as Stance, reason: reason ?? '' });
  }
  return out;
}

/** The bundled overrides as a map from `MESSAGE-ID#pN` to the override. */
export function loadOverrides(path = OVERRIDES_PATH): Map<string, Override> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return new Map(); // no overrides file: the rules stand alone
  }
  return new Map(parseOverrides(text).map((o) => [`${o.messageId}#${o.key}`, o]));
}
