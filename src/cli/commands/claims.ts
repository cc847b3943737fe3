/** `argmap claims`: claims filtered by topic, stance, author, objection status or thread. */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, int, probability, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { listClaims } from '../../graph/query.ts';
import { STANCES } from '../../graph/stance.ts';
import { isUnsure, UNSURE_BELOW } from '../../graph/stance-summary.ts';
import { lexicon } from '../../graph/topics.ts';
import { oneLine } from './thread.ts';

const STATUSES = ['addressed', 'rebutted', 'conceded', 'withdrawn', 'open'];

export const claimsCommand: Command = {
  name: 'claims',
  summary: 'list claims by topic, stance, author and objection status (who claimed what, and how it ended)',
  usage:
    'claims [--db FILE] [--topic T] [--stance S] [--author A] [--status S] [--thread ID] [--min-confidence P] [--limit N]',
  description: [
    `Stances: ${STANCES.join(', ')}.`,
    `Statuses (objections: objects-to, nacks, proposes-alternative): ${STATUSES.join(', ')}.`,
    'Topics come from data/lexicon.tsv; a claim has a topic when it names it or answers a quote that does.',
    "Each stance has the model's calibrated probability; below " +
      UNSURE_BELOW +
      ' it is printed as unsure with the',
    'runner-up ("objects-to? or asks 0.31"). --min-confidence P keeps only claims whose stance is at least P sure.',
  ].join('\n'),
  examples: [
    [
      'argmap claims --topic memory.high --stance objects-to',
      'objections about memory.high, with how each ended',
    ],
    ['argmap claims --author hocko --status open', "Michal Hocko's objections nobody settled"],
    [
      'argmap claims --thread 20200909215752.1725525-1-shakeelb@google.com --stance asks',
      'the questions of one thread',
    ],
    ['argmap claims --topic nodes= --json | jq ".[].key"', 'claim keys (MESSAGE-ID#pN) for decision records'],
    ['argmap claims --stance objects-to --min-confidence 0.8', 'only the objections the model is sure of'],
  ],
  options: {
    ...dbOption,
    topic: { type: 'string', arg: 'T', help: 'only claims about topic T (e.g. memory.high, zswap, nodes=)' },
    stance: { type: 'string', arg: 'S', help: 'only claims with stance S' },
    author: { type: 'string', arg: 'A', help: 'only claims by A (name or address, substring)' },
    status: { type: 'string', arg: 'S', help: 'only objections whose status is S' },
    thread: { type: 'string', arg: 'ID', help: 'only claims in this thread (thread id or Message-ID)' },
    limit: { type: 'string', arg: 'N', help: 'at most N claims (default 200)' },
    'min-confidence': {
      type: 'string',
      arg: 'P',
      help: 'only claims whose stance probability is at least P (0-1)',
    },
  },
  async run(args, io) {
    const stance = str(args, 'stance');
    if (stance && !(STANCES as readonly string[]).includes(stance))
      throw new UserError(`unknown stance ${JSON.stringify(stance)}; valid: ${STANCES.join(', ')}`);
    const status = str(args, 'status');
    if (status && !STATUSES.includes(status))
      throw new UserError(`unknown status ${JSON.stringify(status)}; valid: ${STATUSES.join(', ')}`);
    const topic = str(args, 'topic');
    if (topic && !lexicon().some((t) => t.topic === topic))
      throw new UserError(
        `unknown topic ${JSON.stringify(topic)}`,
        `topics: ${lexicon()
          .map((t) => t.topic)
          .join(', ')}`,
      );
    const minConfidence = probability(args, 'min-confidence');
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      const list = listClaims(db, {
        topic,
        stance,
        status,
        author: str(args, 'author'),
        thread: str(args, 'thread'),
        minConfidence,
        limit: int(args, 'limit', 200, 1, 1_000_000),
      });
      if (flag(args, 'json')) {
        io.out(JSON.stringify(list, null, 2) + '\n');
        return 0;
      }
      if (!list.length) {
        io.out('no claims match\n');
        return 0;
      }
      for (const c of list) {
        const status = c.status
          ? ` [${c.status.status}${c.status.evidenceKey ? ' by ' + c.status.evidenceKey : ''}: ${c.status.evidence}]`
          : '';
        io.out(`${c.date?.slice(0, 10) ?? '?'} ${c.author ?? '?'} ${c.key}\n`);
        const stance = isUnsure(c.confidence, c.altStance)
          ? `${c.stance}? (${c.confidence.toFixed(2)}) or ${c.altStance} ${c.altP!.toFixed(2)}`
          : c.stance;
        io.out(`    ${stance}${status}\n    ${oneLine(c.text, 160)}\n`);
        const to = c.repliesTo[0];
        if (to)
          io.out(
            `    → ${to.relation} ${to.key}${c.repliesTo.length > 1 ? ` (+${c.repliesTo.length - 1})` : ''}\n`,
          );
      }
      io.out(`${list.length} claims\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};
