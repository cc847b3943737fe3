/**
 * Kernel commits as text: `git log --format=fuller` (with or without -p), `git format-patch`
 * output, and the annotated commit excerpts of argmap's corpus (`commit: HASH` header block with
 * `X-` provenance headers and `===== … =====` sections). Also reads commits straight from a git
 * repository with one `git log` process.
 */
import { spawn } from 'node:child_process';
import { parseTrailerLine, type Trailer } from '../mail/trailers.ts';
import { parseMailDate, toIsoUtc } from '../mail/date.ts';
import { parseSubject } from '../mail/subject.ts';
import { firstMsgId } from '../mail/msgid.ts';
import type { ParsedCommit } from '../store/types.ts';

const GIT_DEFAULT_DATE =
  /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) ([+-]\d{4})$/;

/** Dates as git prints them: ISO strict, RFC 2822, or git's default `Mon Apr 25 19:00:37 2022 +0000`. */
export function parseGitDate(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.trim();
  const g = GIT_DEFAULT_DATE.exec(t);
  if (g) return parseGitDate(`${g[2]} ${g[1]} ${g[6]} ${g[3]}:${g[4]}:${g[5]} ${g[7]}`);
  if (/^\d{4}-\d{2}-\d{2}T/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : toIsoUtc(ms);
  }
  const ms = parseMailDate(t);
  return ms === null ? null : toIsoUtc(ms);
}

function person(s: string | undefined): { name: string; addr: string } {
  const v = (s ?? '').trim();
  const m = /^(.*?)\s*<([^<>]*)>/.exec(v);
  if (m) return { name: m[1]!.replace(/^"|"$/g, '').trim(), addr: m[2]!.trim().toLowerCase() };
  return { name: v, addr: '' };
}

/** Split a commit message into subject, body and trailers; the diff (after `---` or `diff --git`) is cut off. */
export function splitMessage(message: string): {
  subject: string;
  body: string;
  diff: string | null;
  trailers: Trailer[];
} {
  const text = message.replace(/\r\n/g, '\n');
  let diff: string | null = null;
  let msg = text;
  const cut = /^(---\s*\n(?=[\s\S]*^(?:diff --git|\s\S+\s+\|\s+\d+))|diff --git )/m.exec(text);
  if (cut) {
    msg = text.slice(0, cut.index);
    diff = text.slice(cut.index).replace(/\n-- \n[\d.]+\s*$/, '\n');
  }
  const lines = msg.replace(/^\n+/, '').split('\n');
  // The subject may be folded over several lines until the first blank line.
  let i = 0;
  const subj: string[] = [];
  while (i < lines.length && lines[i]!.trim() !== '') subj.push(lines[i++]!.trim());
  const body = lines.slice(i).join('\n').replace(/^\n+/, '').replace(/\s+$/, '') + '\n';
  const trailers: Trailer[] = [];
  for (const l of body.split('\n')) {
    const t = parseTrailerLine(l.trim());
    if (t) trailers.push(t);
  }
  return { subject: subj.join(' '), body, diff, trailers };
}

/** Parse `git log --format=fuller` / `--format=medium` output, with or without patches. */
export function parseGitLog(text: string): ParsedCommit[] {
  const out: ParsedCommit[] = [];
  const records = text.replace(/\r\n/g, '\n').split(/^(?=commit [0-9a-f]{7,40}\b)/m);
  for (const rec of records) {
    const m = /^commit ([0-9a-f]{7,40})/.exec(rec);
    if (!m) continue;
    const headEnd = rec.indexOf('\n\n');
    const head = rec.slice(0, headEnd < 0 ? rec.length : headEnd);
    const rest = headEnd < 0 ? '' : rec.slice(headEnd + 2);
    const h = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(head)?.[1];
    // The message is indented by four spaces; the patch (if -p) follows unindented.
    const msgLines: string[] = [];
    const restLines = rest.split('\n');
    let j = 0;
    for (; j < restLines.length; j++) {
      const l = restLines[j]!;
      if (l.startsWith('    ')) msgLines.push(l.slice(4));
      else if (l === '') msgLines.push('');
      else break;
    }
    const patch = restLines.slice(j).join('\n');
    const { subject, body, trailers } = splitMessage(msgLines.join('\n'));
    const a = person(h('Author'));
    const c = h('Commit') !== undefined ? person(h('Commit')) : null;
    out.push({
      hash: m[1]!,
      authorName: a.name,
      authorAddr: a.addr,
      authorDate: parseGitDate(h('AuthorDate') ?? h('Date')),
      committerName: c?.name ?? null,
      committerAddr: c?.addr ?? null,
      commitDate: parseGitDate(h('CommitDate')),
      subject,
      body,
      diff: patch.trim() ? patch : null,
      trailers,
      complete: true,
      postedAs: null,
      notes: null,
    });
  }
  return out;
}

/** Parse one `git format-patch` mail (starting with its `From <hash> Mon Sep 17 00:00:00 2001` line). */
export function parseFormatPatch(text: string): ParsedCommit | null {
  const t = text.replace(/\r\n/g, '\n');
  const m = /^From ([0-9a-f]{40}) Mon Sep 17 00:00:00 2001\n/.exec(t);
  if (!m) return null;
  const rest = t.slice(m[0].length);
  const headEnd = rest.indexOf('\n\n');
  const head = (headEnd < 0 ? rest : rest.slice(0, headEnd)).replace(/\n[ \t]+/g, ' ');
  const h = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.*)$`, 'mi').exec(head)?.[1];
  const subject = parseSubject(h('Subject') ?? '').title;
  const { body, diff, trailers } = splitMessage('x\n\n' + (headEnd < 0 ? '' : rest.slice(headEnd + 2)));
  const a = person(h('From'));
  return {
    hash: m[1]!,
    authorName: a.name,
    authorAddr: a.addr,
    authorDate: parseGitDate(h('Date')),
    committerName: null,
    committerAddr: null,
    commitDate: null,
    subject,
    body,
    diff,
    trailers,
    complete: true,
    postedAs: null,
    notes: null,
  };
}

/** Split a file of format-patch mails into commits. */
export function parseFormatPatches(text: string): ParsedCommit[] {
  return text
    .split(/^(?=From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$)/m)
    .map((p) => parseFormatPatch(p))
    .filter((c): c is ParsedCommit => c !== null);
}

/**
 * argmap's corpus commit excerpts: a `commit: HASH` header block (Author, Date, Subject,
 * X-Posted-As, X-Completeness, X-Source-Note…), then `===== title =====` sections. The upstream
 * commit message is the first section whose title starts with "Upstream commit"; diffs come from
 * sections whose title mentions "diff".
 */
export function parseCorpusCommit(text: string): ParsedCommit | null {
  const t = text.replace(/\r\n/g, '\n');
  const headEnd = t.indexOf('\n\n');
  const head = headEnd < 0 ? t : t.slice(0, headEnd);
  const h = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.*)$`, 'mi').exec(head)?.[1];
  const hash = /^commit:\s*([0-9a-f]{7,40})/.exec(t)?.[1];
  if (!hash) return null;
  const sections: { title: string; text: string }[] = [];
  const re = /^===== (.+?) =====\n/gm;
  const marks = [...t.matchAll(re)];
  marks.forEach((mk, k) => {
    const start = mk.index + mk[0].length;
    const end = k + 1 < marks.length ? marks[k + 1]!.index : t.length;
    sections.push({ title: mk[1]!, text: t.slice(start, end).replace(/\n+$/, '\n') });
  });
  const upstream = sections.find((s) => /^upstream commit/i.test(s.title));
  let subject = h('Subject') ?? '';
  let body = '';
  let trailers: Trailer[] = [];
  let fromPatch: ParsedCommit | null = null;
  if (upstream) {
    const txt = upstream.text.replace(/^\n+/, '');
    fromPatch = parseFormatPatch(txt);
    if (fromPatch) {
      subject = fromPatch.subject || subject;
      body = fromPatch.body;
      trailers = fromPatch.trailers;
    } else {
      const sp = splitMessage(txt);
      subject = sp.subject || subject;
      body = sp.body;
      trailers = sp.trailers;
    }
  }
  const diffs = sections
    .filter((s) => /diff/i.test(s.title) && /^diff --git/m.test(s.text))
    .map((s) => s.text);
  const a = person(h('Author'));
  const completeness = h('X-Completeness') ?? '';
  const notes = [
    h('X-Source-URL') && `source: ${h('X-Source-URL')}`,
    completeness && `completeness: ${completeness}`,
    h('X-Source-Note'),
  ]
    .filter(Boolean)
    .join('\n');
  return {
    hash,
    authorName: a.name,
    authorAddr: a.addr,
    authorDate: parseGitDate(h('Date')) ?? fromPatch?.authorDate ?? null,
    committerName: null,
    committerAddr: null,
    commitDate: null,
    subject,
    body,
    diff: diffs.length ? diffs.join('\n') : null,
    trailers,
    complete: !/^partial/i.test(completeness),
    postedAs: firstMsgId(h('X-Posted-As')),
    notes: notes || null,
  };
}

/** Parse any commit text (the three forms above). */
export function parseCommitText(text: string): ParsedCommit[] {
  const first = text.slice(0, 200);
  if (/^commit:\s*[0-9a-f]{7,40}/.test(first)) {
    const c = parseCorpusCommit(text);
    return c ? [c] : [];
  }
  if (/^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001/.test(first)) return parseFormatPatches(text);
  return parseGitLog(text);
}

/**
 * Read commits from a git repository with one `git log` process, streaming its output.
 * `range` is a revision range (default HEAD), `paths` a path filter.
 */
export async function* readGitRepo(
  repo: string,
  range: string | null,
  paths: string[],
): AsyncGenerator<ParsedCommit> {
  const args = [
    '-C',
    repo,
    'log',
    '--format=fuller',
    '--date=iso-strict',
    '-p',
    '--no-color',
    '--no-ext-diff',
    range ?? 'HEAD',
    '--',
    ...paths,
  ];
  const child = spawn('git', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number>((res) => child.on('close', (code) => res(code ?? 1)));
  let buf = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    buf += chunk.toString('utf8');
    // Emit every complete record: a record ends where the next `commit <hash>` line starts.
    let idx: number;
    while ((idx = buf.search(/\ncommit [0-9a-f]{40}\n/)) >= 0) {
      const rec = buf.slice(0, idx + 1);
      buf = buf.slice(idx + 1);
      yield* parseGitLog(rec);
    }
  }
  if (buf.trim()) yield* parseGitLog(buf);
  const code = await exit;
  if (code !== 0) throw new Error(`git log failed (exit ${code}): ${stderr.trim().slice(0, 500)}`);
}
