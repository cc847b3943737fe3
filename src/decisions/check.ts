/**
 * Checking decision records against the archive: every citation resolves, every `#pN` exists,
 * every excerpt appears verbatim in the cited author's own text, every objection carries a status
 * with the messages that justify it. `argmap check` and the site build use this same code, so a
 * record that passes one passes the other.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.ts';
import { citedMessage, commitsFromHash } from '../store/citation-reads.ts';
import { normalizeSpace, ownParagraphs, type Paragraph } from '../mail/owntext.ts';

/** A paragraph as a citation sees it: its number and its text. */
export type OwnParagraph = Pick<Paragraph, 'n' | 'text'>;
import { readRecords, type Citation, type DecisionRecord, type RecordProblem } from './record.ts';

/** Scenario ids of the reference model (reclaim-model.md section (c)). */
export const MODEL_SCENARIOS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11'];

export interface ResolvedMessage {
  kind: 'msg';
  rowId: number;
  messageId: string;
  threadId: number | null;
  subject: string;
  from: string;
  date: string | null;
  paragraphs: OwnParagraph[];
}

export interface ResolvedCommit {
  kind: 'commit';
  rowId: number;
  hash: string;
  subject: string;
  author: string;
  date: string | null;
}

/** Looks citations up in the archive, caching what it read. */
export class CitationResolver {
  private msgs = new Map<string, ResolvedMessage | null>();
  private commits = new Map<string, ResolvedCommit | null | 'ambiguous'>();

  constructor(private db: Db) {}

  message(id: string): ResolvedMessage | null {
    if (this.msgs.has(id)) return this.msgs.get(id)!;
    const r = citedMessage(this.db, id);
    const v: ResolvedMessage | null = r
      ? {
          kind: 'msg',
          rowId: r.id,
          messageId: r.message_id,
          threadId: r.thread_id,
          subject: r.subject,
          from: r.from_name || r.from_addr || '',
          date: r.date,
          paragraphs: ownParagraphs(r.body ?? '').map((p) => ({ n: p.n, text: p.text })),
        }
      : null;
    this.msgs.set(id, v);
    return v;
  }

  commit(hash: string): ResolvedCommit | null | 'ambiguous' {
    if (this.commits.has(hash)) return this.commits.get(hash)!;
    const rows = commitsFromHash(this.db, hash);
    const matching = rows.filter((r) => r.hash.startsWith(hash) || hash.startsWith(r.hash));
    const v =
      matching.length > 1
        ? 'ambiguous'
        : matching[0]
          ? {
              kind: 'commit' as const,
              rowId: matching[0].id,
              hash: matching[0].hash,
              subject: matching[0].subject,
              author: matching[0].author_name ?? '',
              date: matching[0].author_date,
            }
          : null;
    this.commits.set(hash, v);
    return v;
  }
}

export interface CheckResult {
  records: DecisionRecord[];
  problems: RecordProblem[];
  counts: { records: number; citations: number; excerpts: number; objections: number };
}

/** Where an excerpt lies: the paragraph numbers of its parts, or why it does not match. */
export function locateExcerpt(
  text: string,
  paragraphs: OwnParagraph[],
  paragraph: number | null,
): { ok: true; paragraphs: number[] } | { ok: false; reason: string } {
  const parts = text.split(' … ').map(normalizeSpace);
  if (parts.some((p) => !p))
    return { ok: false, reason: 'empty part in an excerpt ("…" must have words on both sides)' };
  const paras = paragraphs.map((p) => normalizeSpace(p.text));
  const found: number[] = [];
  let fromPara = 0;
  let fromIdx = 0;
  for (const part of parts) {
    let hit = -1;
    for (let k = fromPara; k < paras.length; k++) {
      const idx = paras[k]!.indexOf(part, k === fromPara ? fromIdx : 0);
      if (idx >= 0) {
        hit = k;
        fromIdx = idx + part.length;
        break;
      }
    }
    if (hit < 0) {
      const anywhere = paras.some((p) => p.includes(part));
      return {
        ok: false,
        reason: anywhere
          ? `excerpt part ${JSON.stringify(part.slice(0, 60))} is out of order`
          : `excerpt ${JSON.stringify(part.slice(0, 80))} does not appear verbatim in the author's own text of the cited message`,
      };
    }
    fromPara = hit;
    found.push(hit + 1);
  }
  if (paragraph !== null && found.some((n) => n !== paragraph)) {
    return { ok: false, reason: `excerpt is in paragraph ${found.join(', ')}, not #p${paragraph}` };
  }
  return { ok: true, paragraphs: found };
}

/** Check every record in `dir` against the archive. */
export function checkRecords(db: Db, dir: string, scenarios: string[] = MODEL_SCENARIOS): CheckResult {
  const records = readRecords(dir);
  const slugs = new Set(records.map((r) => r.slug));
  const resolver = new CitationResolver(db);
  const problems: RecordProblem[] = [];
  let citations = 0;
  let excerpts = 0;
  let objections = 0;
  const checkCitation = (rec: DecisionRecord, c: Citation): void => {
    citations++;
    const p = (reason: string): void =>
      void problems.push({ file: rec.file, line: c.line, reason: `${c.raw}: ${reason}` });
    if (c.kind === 'msg' || c.kind === 'claim') {
      const m = resolver.message(c.target);
      if (!m) return p(`no message ${c.target} in the archive (is its thread in data/threads.tsv?)`);
      if (c.kind === 'claim' && c.paragraph === null)
        return p('a claim citation names a paragraph: [claim:MESSAGE-ID#pN]');
      if (c.paragraph !== null && (c.paragraph < 1 || c.paragraph > m.paragraphs.length)) {
        return p(
          `paragraph ${c.paragraph} does not exist: the message has ${m.paragraphs.length} own-text paragraphs`,
        );
      }
    } else if (c.kind === 'commit') {
      if (!/^[0-9a-f]{7,40}$/.test(c.target)) return p('a commit hash is 12 to 40 lower-case hex digits');
      const r = resolver.commit(c.target);
      if (r === 'ambiguous') return p('ambiguous abbreviation: give more digits');
      if (!r) return p(`no commit ${c.target} in the archive`);
    } else if (c.kind === 'model') {
      if (!scenarios.includes(c.target)) return p(`unknown model scenario (known: ${scenarios.join(', ')})`);
    }
  };
  for (const rec of records) {
    problems.push(...rec.problems);
    for (const c of rec.citations) checkCitation(rec, c);
    // Model citations: marker on the same line, and the scenarios list agrees with the body.
    const bodyLines = rec.body.split('\n');
    const cited = new Set<string>();
    for (const c of rec.citations) {
      if (c.kind !== 'model') continue;
      cited.add(c.target);
      const line = bodyLines[c.line - rec.bodyLine] ?? '';
      if (!line.includes(`<!-- model-result: ${c.target} -->`)) {
        problems.push({
          file: rec.file,
          line: c.line,
          reason: `${c.raw}: the line must also carry <!-- model-result: ${c.target} --> so the measured result can be filled in`,
        });
      }
    }
    const listed = Array.isArray(rec.meta.scenarios) ? rec.meta.scenarios : [];
    for (const s of listed)
      if (!cited.has(s))
        problems.push({
          file: rec.file,
          line: 1,
          reason: `scenarios: ${s} is listed but never cited with [model:${s}]`,
        });
    for (const s of cited)
      if (!listed.includes(s))
        problems.push({
          file: rec.file,
          line: 1,
          reason: `[model:${s}] is cited but not listed under scenarios:`,
        });
    // Front matter references.
    for (const k of ['related', 'supersedes', 'superseded_by'] as const) {
      const v = rec.meta[k];
      for (const slug of Array.isArray(v) ? v : v ? [v] : [])
        if (!slugs.has(slug))
          problems.push({ file: rec.file, line: 1, reason: `${k}: no record ${slug}.md in ${dir}` });
    }
    const fmMsgs = Array.isArray(rec.meta.messages) ? rec.meta.messages : [];
    for (const id of fmMsgs)
      if (!resolver.message(id))
        problems.push({ file: rec.file, line: 1, reason: `messages: no message ${id} in the archive` });
    const fmCommits = Array.isArray(rec.meta.commits) ? rec.meta.commits : [];
    for (const h of fmCommits) {
      const r = resolver.commit(h);
      if (!r || r === 'ambiguous')
        problems.push({
          file: rec.file,
          line: 1,
          reason: `commits: ${h} ${r === 'ambiguous' ? 'is ambiguous' : 'is not in the archive'}`,
        });
    }
    // Excerpts.
    for (const e of rec.excerpts) {
      excerpts++;
      const m = resolver.message(e.citation.target);
      if (!m) continue; // reported as a citation problem
      const r = locateExcerpt(e.text, m.paragraphs, e.citation.paragraph);
      if (!r.ok) problems.push({ file: rec.file, line: e.line, reason: `${e.citation.raw}: ${r.reason}` });
    }
    for (const o of rec.objections) {
      objections++;
      if (!o.citations.length)
        problems.push({
          file: rec.file,
          line: o.line,
          reason: `O${o.number}: an objection needs at least one citation`,
        });
    }
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { records, problems, counts: { records: records.length, citations, excerpts, objections } };
}

/** The bundled records directory, when present. */
export function defaultDecisionsDir(root: string): string | null {
  const d = join(root, 'data', 'decisions');
  return existsSync(d) ? d : null;
}
