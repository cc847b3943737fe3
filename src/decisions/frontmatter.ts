/**
 * The YAML subset of decision-record front matter (docs/decisions.md §1.1): `key: value` scalars
 * and `key:` + `  - item` lists; double-quoted strings with `\"` and `\\` escapes. Anything else
 * is an error with its line number — records are reviewed text, so a parser that guesses would
 * hide mistakes.
 */

export interface FrontMatterError {
  line: number;
  reason: string;
}

export type FrontMatterValue = string | string[];

export interface FrontMatter {
  values: Map<string, FrontMatterValue>;
  /** Line (1-based, in the file) of each key. */
  lines: Map<string, number>;
  errors: FrontMatterError[];
  /** 1-based line number where the Markdown body starts. */
  bodyLine: number;
  body: string;
}

const NEEDS_QUOTES = /^["'[{&*!|>%@]|[:#]/;

function scalar(raw: string, line: number, errors: FrontMatterError[]): string {
  const v = raw.trim();
  if (v.startsWith('"')) {
    let out = '';
    let i = 1;
    for (; i < v.length; i++) {
      const c = v[i]!;
      if (c === '\\') {
        const n = v[i + 1];
        if (n === '"' || n === '\\') {
          out += n;
          i++;
          continue;
        }
        errors.push({
          line,
          reason: `unsupported escape \\${n ?? ''} in a quoted value (only \\" and \\\\ are allowed)`,
        });
        return out;
      }
      if (c === '"') break;
      out += c;
    }
    if (i >= v.length) errors.push({ line, reason: 'unterminated double-quoted value' });
    else if (v.slice(i + 1).trim())
      errors.push({ line, reason: `text after the closing quote: ${JSON.stringify(v.slice(i + 1).trim())}` });
    return out;
  }
  if (NEEDS_QUOTES.test(v))
    errors.push({
      line,
      reason: `value ${JSON.stringify(v)} contains ":" or "#" or starts with a YAML indicator: write it in double quotes`,
    });
  return v;
}

/** Split and parse the front matter of a record's text. */
export function parseFrontMatter(text: string): FrontMatter {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const values = new Map<string, FrontMatterValue>();
  const keyLines = new Map<string, number>();
  const errors: FrontMatterError[] = [];
  /** No front matter to parse: the whole text is the body, with the one error that says why. */
  const unparsed = (reason: string): FrontMatter => ({
    values,
    lines: keyLines,
    errors: [{ line: 1, reason }],
    bodyLine: 1,
    body: text,
  });
  if (lines[0] !== '---') return unparsed('a record must start with a line containing exactly ---');
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '---') {
      end = i;
      break;
    }
  }
  if (end < 0) return unparsed('front matter is not closed by a --- line');
  let listKey: string | null = null;
  for (let i = 1; i < end; i++) {
    const l = lines[i]!;
    const ln = i + 1;
    if (!l.trim()) continue;
    const item = /^ {2}- (.*)$/.exec(l);
    if (item) {
      if (!listKey) {
        errors.push({ line: ln, reason: 'list item without a "key:" line above it' });
        continue;
      }
      (values.get(listKey) as string[]).push(scalar(item[1]!, ln, errors));
      continue;
    }
    const kv = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/.exec(l);
    if (!kv) {
      errors.push({
        line: ln,
        reason: `not "key: value", "key:" or "  - item": ${JSON.stringify(l.slice(0, 80))}`,
      });
      listKey = null;
      continue;
    }
    const key = kv[1]!;
    if (values.has(key)) errors.push({ line: ln, reason: `duplicate key ${key}` });
    keyLines.set(key, ln);
    const rest = kv[2];
    if (rest === undefined || rest.trim() === '') {
      values.set(key, []);
      listKey = key;
    } else {
      if (/^[[{]/.test(rest.trim()))
        errors.push({
          line: ln,
          reason: `flow syntax is not allowed (${key}); write a list as "${key}:" and "  - item" lines`,
        });
      values.set(key, scalar(rest, ln, errors));
      listKey = null;
    }
  }
  return { values, lines: keyLines, errors, bodyLine: end + 2, body: lines.slice(end + 1).join('\n') };
}
