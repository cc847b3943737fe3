/**
 * Reading a decision record: front matter, sections, objection blocks, citations and excerpts,
 * each with its line in the file, so every problem can be reported as file:line: reason.
 * Structure only; resolving citations against the archive is ./check.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseFrontMatter, type FrontMatterValue } from './frontmatter.ts';

export const SECTIONS = [
  'Summary',
  'Problem',
  'Goals and non-goals',
  'Proposal',
  'Objections',
  'Alternatives considered',
  'Decision',
  'Consequences and drawbacks',
  'Open questions',
  'Implementation',
  'Later history',
  'Who took part',
] as const;

export const STATUSES = [
  'proposed',
  'accepted',
  'merged',
  'rejected',
  'reverted',
  'superseded',
  'withdrawn',
] as const;
export const OBJECTION_STATUS = /^(addressed in v\d+|rebutted|conceded|withdrawn|accepted|open)$/;
const KEYS = new Set([
  'title',
  'status',
  'version',
  'proposed',
  'decided',
  'summary',
  'people',
  'messages',
  'commits',
  'related',
  'supersedes',
  'superseded_by',
  'scenarios',
]);
const LIST_KEYS = new Set(['people', 'messages', 'commits', 'related', 'scenarios']);

export type CitationKind = 'msg' | 'claim' | 'commit' | 'model';

export interface Citation {
  kind: CitationKind;
  /** Message-ID, commit hash or scenario id. */
  target: string;
  /** Paragraph number for `#pN`. */
  paragraph: number | null;
  /** The citation as written, e.g. `[msg:abc@x#p3]`. */
  raw: string;
  line: number;
}

export interface Excerpt {
  text: string;
  citation: Citation;
  line: number;
}

export interface Objection {
  number: number;
  title: string;
  line: number;
  raisedBy: string | null;
  status: string | null;
  settledBy: Citation[];
  citations: Citation[];
}

export interface RecordProblem {
  file: string;
  line: number;
  reason: string;
}

export interface DecisionRecord {
  slug: string;
  file: string;
  meta: Record<string, FrontMatterValue>;
  /** Markdown after the front matter. */
  body: string;
  bodyLine: number;
  sections: { title: string; line: number }[];
  objections: Objection[];
  citations: Citation[];
  excerpts: Excerpt[];
  problems: RecordProblem[];
}

/** `[msg:ID]`, `[msg:ID#pN]`, `[claim:ID#pN]`, `[commit:HASH]`, `[model:S2]`. Ids contain no "]" or whitespace. */
export const CITATION_RE = /\[(msg|claim|commit|model):([^\]\s#]+)(?:#p(\d+))?\]/g;

export function citationsIn(text: string, firstLine: number): Citation[] {
  const out: Citation[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (idx: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= idx) lo = mid;
      else hi = mid - 1;
    }
    return firstLine + lo;
  };
  for (const m of text.matchAll(CITATION_RE)) {
    out.push({
      kind: m[1] as CitationKind,
      target: m[2]!,
      paragraph: m[3] ? Number(m[3]) : null,
      raw: m[0],
      line: lineOf(m.index),
    });
  }
  return out;
}

/** Remove fenced code blocks and inline code spans, keeping line structure (for excerpt and citation finding). */
function blankCode(body: string): string {
  let out = body.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (m) => m.replace(/[^\n]/g, ' '));
  out = out.replace(/`[^`\n]*`/g, (m) => ' '.repeat(m.length));
  return out;
}

/** Excerpts: ASCII-quoted strings immediately followed by a message citation, paired per Markdown block. */
function findExcerpts(body: string, bodyLine: number, file: string, problems: RecordProblem[]): Excerpt[] {
  const text = blankCode(body);
  const out: Excerpt[] = [];
  const lines = text.split('\n');
  let blockStart = 0;
  const flushBlock = (from: number, to: number): void => {
    if (from >= to) return;
    const block = lines.slice(from, to).join('\n');
    const quotes: number[] = [];
    for (let i = 0; i < block.length; i++) if (block[i] === '"') quotes.push(i);
    if (quotes.length % 2) {
      problems.push({
        file,
        line: bodyLine + from,
        reason:
          'odd number of ASCII double quotes in this paragraph: every "…" must be a cited excerpt (use “ ” or a code span for other quotes)',
      });
      return;
    }
    for (let k = 0; k < quotes.length; k += 2) {
      const a = quotes[k]!;
      const b = quotes[k + 1]!;
      const after = block.slice(b + 1);
      const m = /^\s*(\[msg:([^\]\s#]+)(?:#p(\d+))?\])/.exec(after);
      if (!m) continue; // a quoted string without a citation is not an excerpt
      const line = bodyLine + from + block.slice(0, a).split('\n').length - 1;
      // Strip blockquote markers that fall inside a multi-line excerpt.
      const words = block.slice(a + 1, b).replace(/\n\s*>\s?/g, '\n');
      out.push({
        text: words,
        line,
        citation: { kind: 'msg', target: m[2]!, paragraph: m[3] ? Number(m[3]) : null, raw: m[1]!, line },
      });
    }
  };
  lines.forEach((l, i) => {
    if (!l.replace(/^\s*>\s?/, '').trim()) {
      flushBlock(blockStart, i);
      blockStart = i + 1;
    }
  });
  flushBlock(blockStart, lines.length);
  return out;
}

/** Parse one record file into its parts, collecting structural problems. */
export function readRecord(file: string): DecisionRecord {
  const text = readFileSync(file, 'utf8');
  const slug = basename(file).replace(/\.md$/, '');
  const problems: RecordProblem[] = [];
  const fm = parseFrontMatter(text);
  for (const e of fm.errors) problems.push({ file, line: e.line, reason: `front matter: ${e.reason}` });
  const meta: Record<string, FrontMatterValue> = Object.fromEntries(fm.values);
  const at = (k: string): number => fm.lines.get(k) ?? 1;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug))
    problems.push({
      file,
      line: 1,
      reason: `file name ${slug}.md is not a slug (lower-case letters, digits, hyphens)`,
    });
  if (!fm.errors.length) {
    for (const k of fm.values.keys())
      if (!KEYS.has(k))
        problems.push({
          file,
          line: at(k),
          reason: `front matter: unknown key ${k} (allowed: ${[...KEYS].join(', ')})`,
        });
    for (const k of ['title', 'status', 'summary'])
      if (!fm.values.has(k)) problems.push({ file, line: 1, reason: `front matter: ${k} is required` });
    for (const [k, v] of fm.values) {
      if (LIST_KEYS.has(k) && !Array.isArray(v))
        problems.push({
          file,
          line: at(k),
          reason: `front matter: ${k} must be a list ("${k}:" then "  - item" lines)`,
        });
      if (!LIST_KEYS.has(k) && KEYS.has(k) && Array.isArray(v))
        problems.push({ file, line: at(k), reason: `front matter: ${k} must be a single value` });
    }
    const status = meta.status;
    if (typeof status === 'string' && !(STATUSES as readonly string[]).includes(status)) {
      problems.push({
        file,
        line: at('status'),
        reason: `front matter: unknown status ${JSON.stringify(status)} (one of ${STATUSES.join(', ')})`,
      });
    }
    for (const k of ['proposed', 'decided']) {
      const v = meta[k];
      if (typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v))
        problems.push({
          file,
          line: at(k),
          reason: `front matter: ${k} must be YYYY-MM-DD, got ${JSON.stringify(v)}`,
        });
    }
    if (Array.isArray(meta.commits)) {
      for (const c of meta.commits)
        if (!/^[0-9a-f]{12,40}$/.test(c))
          problems.push({
            file,
            line: at('commits'),
            reason: `front matter: commit ${JSON.stringify(c)} must be 12 to 40 lower-case hex digits`,
          });
    }
  }

  // Sections, in order.
  const bodyLines = fm.body.split('\n');
  const sections: { title: string; line: number }[] = [];
  bodyLines.forEach((l, i) => {
    const m = /^## (.+?)\s*$/.exec(l);
    if (m) sections.push({ title: m[1]!, line: fm.bodyLine + i });
  });
  const titles = sections.map((s) => s.title);
  for (const s of sections)
    if (!(SECTIONS as readonly string[]).includes(s.title))
      problems.push({
        file,
        line: s.line,
        reason: `unknown section "## ${s.title}" (sections: ${SECTIONS.join('; ')})`,
      });
  const known = titles.filter((t) => (SECTIONS as readonly string[]).includes(t));
  for (const want of SECTIONS)
    if (!titles.includes(want))
      problems.push({ file, line: fm.bodyLine, reason: `missing section "## ${want}"` });
  const order = SECTIONS.filter((s) => known.includes(s));
  if (known.join('\n') !== order.join('\n'))
    problems.push({
      file,
      line: fm.bodyLine,
      reason: `sections out of order: expected ${SECTIONS.join(', ')}`,
    });

  const citations = citationsIn(blankCode(fm.body), fm.bodyLine);

  // Objections.
  const objections: Objection[] = [];
  const obj = sections.find((s) => s.title === 'Objections');
  if (obj) {
    const start = obj.line - fm.bodyLine + 1;
    const next = sections.find((s) => s.line > obj.line);
    const end = next ? next.line - fm.bodyLine : bodyLines.length;
    let cur: Objection | null = null;
    let expect = 1;
    for (let i = start; i < end; i++) {
      const l = bodyLines[i]!;
      const ln = fm.bodyLine + i;
      const h = /^### (.*)$/.exec(l);
      if (h) {
        const m = /^O(\d+)\. (.+)$/.exec(h[1]!);
        if (!m) {
          problems.push({
            file,
            line: ln,
            reason: `objection heading must be "### O<n>. Title", got "### ${h[1]}"`,
          });
          cur = null;
          continue;
        }
        if (Number(m[1]) !== expect)
          problems.push({ file, line: ln, reason: `objection numbered O${m[1]}, expected O${expect}` });
        expect = Number(m[1]) + 1;
        cur = {
          number: Number(m[1]),
          title: m[2]!,
          line: ln,
          raisedBy: null,
          status: null,
          settledBy: [],
          citations: [],
        };
        objections.push(cur);
        continue;
      }
      if (!cur) continue;
      const rb = /^- \*\*Raised by:\*\* (.+)$/.exec(l);
      const st = /^- \*\*Status:\*\* (.+)$/.exec(l);
      const sb = /^- \*\*Settled by:\*\* (.+)$/.exec(l);
      if (rb) cur.raisedBy = rb[1]!;
      if (st) cur.status = st[1]!.trim();
      if (sb) cur.settledBy = citationsIn(sb[1]!, ln);
      cur.citations.push(...citationsIn(blankCode(l), ln));
    }
    for (const o of objections) {
      if (!o.raisedBy)
        problems.push({
          file,
          line: o.line,
          reason: `O${o.number}: missing "- **Raised by:** Name, YYYY-MM-DD [msg:…]"`,
        });
      else if (!citationsIn(o.raisedBy, o.line).length)
        problems.push({ file, line: o.line, reason: `O${o.number}: "Raised by" needs a citation` });
      if (!o.status) problems.push({ file, line: o.line, reason: `O${o.number}: missing "- **Status:** …"` });
      else if (!OBJECTION_STATUS.test(o.status))
        problems.push({
          file,
          line: o.line,
          reason: `O${o.number}: unknown status ${JSON.stringify(o.status)} (addressed in vN, rebutted, conceded, withdrawn, accepted, open)`,
        });
      if (o.status === 'open' && o.settledBy.length)
        problems.push({ file, line: o.line, reason: `O${o.number}: an open objection has no "Settled by"` });
      if (o.status && o.status !== 'open' && !o.settledBy.length)
        problems.push({
          file,
          line: o.line,
          reason: `O${o.number}: status ${o.status} needs "- **Settled by:** [msg:…]" with the messages that justify it`,
        });
    }
  }
  return {
    slug,
    file,
    meta,
    body: fm.body,
    bodyLine: fm.bodyLine,
    sections,
    objections,
    citations,
    excerpts: findExcerpts(fm.body, fm.bodyLine, file, problems),
    problems,
  };
}

/** Every record in a directory, sorted by file name. */
export function readRecords(dir: string): DecisionRecord[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && !f.startsWith('.') && f.toLowerCase() !== 'readme.md')
    .sort()
    .map((f) => readRecord(join(dir, f)));
}
