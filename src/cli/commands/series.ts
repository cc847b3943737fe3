/** `argmap series ID`: a proposal's version timeline with trailers, objections and commits. */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { findSeries, seriesView, type SeriesView } from '../../graph/query.ts';

function render(s: SeriesView): string {
  const out: string[] = [];
  out.push(`series ${s.id}: ${s.title}`);
  out.push(
    `  first posted by ${s.author ?? '?'} ${s.firstDate?.slice(0, 10) ?? '?'}, last posting ${s.lastDate?.slice(0, 10) ?? '?'}, ${s.postings.length} postings`,
  );
  const commitsAfter = new Map<number, SeriesView['commits']>();
  for (const c of s.commits) {
    const at = Math.max(...c.links.map((l) => l.posting ?? 0));
    (commitsAfter.get(at) ?? commitsAfter.set(at, []).get(at)!).push(c);
  }
  for (const p of s.postings) {
    const tag =
      p.role === 'revert' ? 'REVERT' : `${p.isRfc ? 'RFC ' : ''}v${p.version}${p.isResend ? ' RESEND' : ''}`;
    const how = p.chainedBy ? `  (chained by ${p.chainedBy})` : '';
    out.push('');
    out.push(`  ${p.date?.slice(0, 10) ?? '?'}  ${tag.padEnd(11)} ${p.title}  — ${p.author ?? '?'}${how}`);
    for (const part of p.parts)
      out.push(
        `      ${part.isCover ? 'cover' : `${part.part}/${part.total}`.padEnd(5)} <${part.messageId}>${part.patchId ? '  patch-id ' + part.patchId.slice(0, 12) : ''}${part.isCover || p.parts.length === 1 ? '' : '  ' + part.title}`,
      );
    const obj = Object.entries(p.objections).map(([k, v]) => `${v} ${k}`);
    out.push(`      ${p.replies} replies${obj.length ? '; objections: ' + obj.join(', ') : ''}`);
    const seen = new Set<string>();
    for (const t of p.trailers) {
      const k = `${t.name}|${t.person}|${t.carried}|${t.part}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(
        `      ${t.carried ? 'carried ' : 'given   '} ${t.name}: ${t.person ?? '?'}${p.parts.length > 1 ? ` (on ${t.part === 0 ? 'cover' : 'part ' + t.part})` : ''}${t.carried ? '' : ` in <${t.messageId}>`}`,
      );
    }
    for (const c of commitsAfter.get(p.posting) ?? []) {
      out.push(`  ${c.date?.slice(0, 10) ?? '          '}  COMMIT      ${c.hash.slice(0, 12)} ${c.subject}`);
      for (const l of c.links) out.push(`      linked to <${l.messageId}> by ${l.method} (${l.confidence})`);
    }
  }
  return out.join('\n') + '\n';
}

export const seriesCommand: Command = {
  name: 'series',
  summary: 'show a proposal across its versions: postings, trailers given and carried, objections, commits',
  usage: 'series [--db FILE] [--all] ID|TITLE|HASH',
  description: [
    'ID is a series id, a Message-ID of any posting or reply, a commit hash, or words of a title.',
    'Postings are chained across threads and years (v1 → RESEND → v2 … vN, retitled versions, reverts);',
    '"chained by" says which rule joined a posting to the ones before it.',
  ].join('\n'),
  examples: [
    ['argmap series 94968384dde1', 'memory.reclaim from the 2020 posting to its commit'],
    ['argmap series "add nodes= arg to memory.reclaim"', 'nodes= from the RFC to its revert'],
    [
      'argmap series --json 20220425190040.2475377-1-yosryahmed@google.com | jq ".postings[].version"',
      'versions as JSON',
    ],
  ],
  options: {
    ...dbOption,
    all: { type: 'boolean', help: 'when several series match, show all of them (default: the longest)' },
  },
  allowPositionals: true,
  async run(args, io) {
    const q = args.positionals.join(' ').trim();
    if (!q)
      throw new UserError(
        'say which series: an id, a Message-ID, a commit hash or title words',
        'example: argmap series 94968384dde1',
      );
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      const ids = findSeries(db, q);
      if (!ids.length) throw new UserError(`no series matches ${JSON.stringify(q)}`);
      let views = ids.map((id) => seriesView(db, id)!).filter(Boolean);
      if (!flag(args, 'all'))
        views = [views.sort((a, b) => b.postings.length - a.postings.length || a.id - b.id)[0]!];
      if (flag(args, 'json')) {
        io.out(JSON.stringify(flag(args, 'all') ? views : views[0], null, 2) + '\n');
        return 0;
      }
      io.out(views.map(render).join('\n'));
      if (!flag(args, 'all') && ids.length > 1)
        io.err(`${ids.length} series match; showing the longest (--all shows every one)\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};
