/**
 * Topics: a curated lexicon (data/lexicon.tsv) of what kernel memory-cgroup arguments are about,
 * matched against claim text. All aliases of all topics are compiled into one alternation per
 * topic, so matching a claim costs one regular-expression scan per topic.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One lexicon topic. */
export interface Topic {
  topic: string;
  aliases: string[];
  description: string;
  /** All literal aliases as one alternation. */
  re: RegExp | null;
  /** Regular-expression aliases (`re:`), tried on every text. */
  extra: RegExp | null;
  /** First word of every literal alias (lower case): a text containing none of them cannot match `re`. */
  anchors: Set<string>;
}

/** Lower-case words of a text, split where the alias words are split. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .filter(Boolean);
}

/** The bundled lexicon's path. */
export const LEXICON_PATH = fileURLToPath(new URL('../../data/lexicon.tsv', import.meta.url));

/** Characters of a text searched for topics (bounds the regular expressions' work per claim). */
export const MAX_TOPIC_CHARS = 1500;

/** Longest alias accepted (a lexicon line is curated, but a runaway line should not build a huge regex). */
const MAX_ALIAS_CHARS = 200;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

/** Parse lexicon text (TSV: topic, aliases separated by " | ", description; `#` comments). */
export function parseLexicon(text: string): Topic[] {
  const out: Topic[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [topic, aliasCol, description] = line.split('\t');
    if (!topic || !aliasCol || topic === 'topic') continue;
    const aliases = aliasCol
      .split(' | ')
      .map((a) => a.trim())
      .filter((a) => a && a.length <= MAX_ALIAS_CHARS);
    const literal = aliases.filter((a) => !a.startsWith('re:'));
    const parts = literal.map((a) => {
      // word boundaries only where the alias starts/ends with a word character
      const pre = /^\w/.test(a) ? '\\b' : '';
      const post = /\w$/.test(a) ? '\\b' : '';
      return pre + escape(a) + post;
    });
    const regexes = aliases.filter((a) => a.startsWith('re:')).map((a) => `(?:${a.slice(3)})`);
    const anchors = new Set<string>();
    for (const a of literal) {
      const w = wordsOf(a)[0];
      if (w) anchors.add(w);
    }
    out.push({
      topic,
      aliases,
      description: description ?? '',
      re: parts.length ? new RegExp(parts.join('|'), 'i') : null,
      extra: regexes.length ? new RegExp(regexes.join('|'), 'i') : null,
      anchors,
    });
  }
  return out;
}

let cached: Topic[] | null = null;

/** The bundled lexicon, read once. */
export function lexicon(): Topic[] {
  if (!cached) cached = parseLexicon(readFileSync(LEXICON_PATH, 'utf8'));
  return cached;
}

/** Topics a text mentions, in lexicon order. */
export function topicsOf(text0: string, topics: Topic[] = lexicon()): string[] {
  const out: string[] = [];
  // what a paragraph is about shows in its first lines; long ones are code listings and logs
  const text = text0.length > MAX_TOPIC_CHARS ? text0.slice(0, MAX_TOPIC_CHARS) : text0;
  const lower = text.toLowerCase();
  for (const t of topics) {
    let hit = false;
    // cheap substring test of the aliases' first words before the regular expression
    if (t.re)
      for (const a of t.anchors)
        if (lower.includes(a)) {
          hit = t.re.test(text);
          break;
        }
    if (!hit && t.extra) hit = t.extra.test(text);
    if (hit) out.push(t.topic);
  }
  return out;
}
