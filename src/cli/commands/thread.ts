/** `argmap thread ID`: an indented thread with its segments and claims. */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, int, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { threadView, type ClaimView } from '../../graph/query.ts';

/** One line of text, cut to `n` characters. */
export function oneLine(s: string, n: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/** A claim as one or two lines of text (stance, reason, status, what it replies to). */
export function claimLines(c: ClaimView, indent: string, width: number): string[] {
  const st = c.stance + (c.stance !== c.ruleStance ? ` (rules: ${c.ruleStance})` : '');
  const status = c.status ? `  [${c.status.status}]` : '';
  const topics = c.topics.length ? `  {${c.topics.join(', ')}}` : '';
  const out = [`${indent}${c.kind === 'para' ? 'p' : 't'}${c.n} ${st}${status}: ${oneLine(c.text, width)}`];
  const to = c.repliesTo.slice(0, 3).map((e) => `${e.relation} ${e.key}`);
  if (to.length || topics)
    out.push(
      `${indent}    ${to.length ? '→ ' + to.join('; ') + (c.repliesTo.length > 3 ? ` (+${c.repliesTo.length - 3})` : '') : ''}${topics}  · ${c.stanceReason}`,
    );
  return out;
}

export const threadCommand: Command = {
  name: 'thread',
  summary: 'show a thread indented by reply, with typed segments and claims (stance, status, replies)',
  usage: 'thread [--db FILE] [--segments] [--width N] ID',
  description: [
    'ID is a thread id or any Message-ID in the thread. Each message shows its claims: own-text',
    'paragraphs (pN) and trailers (tN) with the stance the rules gave, the objection status, and the',
    'claims they reply to (the quote above them, resolved to its source). --segments also lists every',
    'segment: quotes with the message and paragraph they reproduce, attribution, snips, diffs, trailers.',
  ].join('\n'),
  examples: [
    ['argmap thread 20200909215752.1725525-1-shakeelb@google.com', 'the 2020 memory.reclaim debate'],
    [
      'argmap thread --segments CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com',
      'the seed message with its quote structure',
    ],
    [
      'argmap thread --json Y5xASNe1x8cusiTx@dhcp22.suse.cz | jq ".messages[0].claims"',
      'the nodes= revert thread as JSON',
    ],
  ],
  options: {
    ...dbOption,
    segments: { type: 'boolean', help: 'also list every segment (quotes with their resolved source)' },
    width: { type: 'string', arg: 'N', help: 'characters of text per line (default 110)' },
  },
  allowPositionals: true,
  async run(args, io) {
    const id = args.positionals[0];
    if (!id)
      throw new UserError(
        'say which thread: a thread id or a Message-ID',
        'example: argmap thread 20200909215752.1725525-1-shakeelb@google.com',
      );
    const width = int(args, 'width', 110, 1);
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      const t = threadView(db, id);
      if (flag(args, 'json')) {
        io.out(JSON.stringify(t, null, 2) + '\n');
        return 0;
      }
      io.out(`thread ${t.threadId}: ${t.subject ?? '(no subject)'} — ${t.messages.length} messages\n`);
      for (const m of t.messages) {
        const ind = '  '.repeat(Math.min(m.depth, 30));
        if (m.ghost) {
          io.out(`${ind}○ <${m.messageId}> (missing from the archive)\n`);
          continue;
        }
        io.out(
          `${ind}● ${m.date?.slice(0, 16).replace('T', ' ') ?? '?'}  ${m.author ?? '?'}  <${m.messageId}>\n`,
        );
        if (flag(args, 'segments'))
          for (const s of m.segments) {
            const src = s.source
              ? ` ← ${s.source.messageId}${s.source.para ? '#p' + s.source.para : s.source.segment ? ' seg ' + s.source.segment : ''} (${s.source.method} ${s.source.confidence ?? ''})`
              : '';
            const label = `${s.kind}${s.depth ? ' d' + s.depth : ''}${s.para ? ' p' + s.para : ''}${s.file ? ' ' + s.file : ''}`;
            io.out(`${ind}  · ${label.padEnd(14)} ${oneLine(s.text, Math.max(30, width - 40))}${src}\n`);
          }
        for (const c of m.claims) for (const l of claimLines(c, ind + '  ', width)) io.out(l + '\n');
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
