/** `argmap extract`: copy whole threads out of a large archive into an mbox. */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { flag, list, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { extractThreads } from '../../ingest/extract.ts';
import { readRoots } from '../../ingest/roots.ts';

export const extractCommand: Command = {
  name: 'extract',
  summary: 'copy whole threads (by root Message-ID) out of large archives into one mboxrd file',
  usage: 'extract (--roots FILE | --thread MSGID…) --out FILE.mbox ARCHIVE…',
  description:
    'A thread is every message joined to the root through Message-ID, In-Reply-To and References\n' +
    "(what lore's t.mbox.gz holds). Messages are copied byte for byte with their From_ lines.",
  examples: [
    [
      'argmap extract --roots data/threads.tsv --out data/archive/threads.mbox ../shared/archive',
      'rebuild the bundled thread selection',
    ],
    [
      'argmap extract --thread 20200909215752.1725525-1-shakeelb@google.com --out reclaim.mbox ../shared/archive',
      'one thread',
    ],
  ],
  options: {
    roots: { type: 'string', arg: 'FILE', help: 'TSV whose first column lists root Message-IDs' },
    thread: { type: 'string', multiple: true, arg: 'MSGID', help: 'a root Message-ID' },
    out: { type: 'string', arg: 'FILE', help: 'mboxrd file to write' },
  },
  async run(args, io) {
    const roots = list(args, 'thread');
    const rootsFile = str(args, 'roots');
    if (rootsFile) roots.push(...readRoots(resolve(io.cwd, rootsFile)).map((r) => r.messageId));
    if (!roots.length) throw new UserError('no roots: give --roots FILE or --thread MSGID');
    const out = str(args, 'out');
    if (!out) throw new UserError('--out FILE is required');
    if (!args.positionals.length) throw new UserError('no ARCHIVE path given');
    const s = await extractThreads(
      args.positionals,
      io.cwd,
      roots,
      resolve(io.cwd, out),
      flag(args, 'json') ? undefined : { isTTY: io.isTTY, err: io.err },
    );
    if (flag(args, 'json')) io.out(JSON.stringify(s, null, 2) + '\n');
    else {
      io.out(
        `${s.written} messages of ${s.roots} thread(s) written to ${out}${s.duplicatesSkipped ? ` (${s.duplicatesSkipped} identical copies skipped)` : ''}\n`,
      );
      if (s.rootsMissing.length) io.out(`roots not found in the archive: ${s.rootsMissing.join(', ')}\n`);
    }
    return s.rootsMissing.length ? 1 : 0;
  },
};
