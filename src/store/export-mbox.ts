/** Writing the archive (or one thread, or one source) back out as mboxrd. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Db } from './db.ts';
import { RawReader } from './raw.ts';
import type { Statement } from 'better-sqlite3';
import { writeMboxrdMessage, DEFAULT_ENVELOPE } from '../mail/mbox.ts';
import { UserError } from '../util/errors.ts';

export interface MboxExportOptions {
  /** Only this thread (thread id, or any Message-ID in it). */
  thread?: string;
  /** Reproduce this source (its location as ingested) byte for byte, in source order. */
  source?: string;
}

/** Stream mboxrd to `out` (a path, or a writable such as stdout). Returns the message count. */
export async function exportMbox(
  db: Db,
  out: string | Writable,
  opts: MboxExportOptions = {},
): Promise<number> {
  const ws = typeof out === 'string' ? createWriteStream(out) : out;
  let rows: Iterable<{ id: number; envelope: string | null; sha: string | null }>;
  if (opts.source) {
    const src = db.prepare('SELECT id FROM sources WHERE location = ?').get(opts.source) as
      { id: number } | undefined;
    if (!src)
      throw new UserError(
        `no source ${JSON.stringify(opts.source)} in the archive`,
        'list sources with: argmap stats',
      );
    rows = db
      .prepare(
        'SELECT message_id AS id, envelope, raw_sha256 AS sha FROM message_sources WHERE source_id = ? ORDER BY offset',
      )
      .iterate(src.id) as Iterable<{ id: number; envelope: string | null; sha: string | null }>;
  } else {
    let threadId: number | undefined;
    if (opts.thread) {
      const t = db
        .prepare("SELECT thread_id FROM messages WHERE message_id = ? OR (id = ? AND ? GLOB '[0-9]*')")
        .get(opts.thread, Number(opts.thread) || -1, opts.thread) as { thread_id: number } | undefined;
      if (!t) throw new UserError(`no thread or message ${JSON.stringify(opts.thread)}`);
      threadId = t.thread_id;
    }
    rows = messageRows(db, threadId !== undefined).iterate(...(threadId !== undefined ? [threadId] : []));
  }
  let n = 0;
  const reader = new RawReader(db, RAW_PACK_CACHE_EXPORT);
  for (const r of rows) {
    const got = reader.get(r.id, r.sha ?? undefined);
    if (!got || got.format !== 'rfc822') continue;
    if (!ws.write(writeMboxrdMessage(got.raw, r.envelope ?? DEFAULT_ENVELOPE))) await once(ws, 'drain');
    n++;
  }
  if (typeof out === 'string') {
    ws.end();
    await once(ws, 'finish');
  }
  return n;
}

/** Inflated packs kept while exporting (about 8): a thread's messages sit in neighbouring packs. */
const RAW_PACK_CACHE_EXPORT = 4 * 1024 * 1024;

type Row = { id: number; envelope: string | null; sha: string | null };

/**
 * Non-ghost messages (of one thread, bound as the only parameter, when `oneThread`), in the order
 * they first appeared in the sources, so that exporting an archive made from one mbox gives that
 * mbox back.
 */
function messageRows(db: Db, oneThread: boolean): Statement<unknown[], Row> {
  return db.prepare<unknown[], Row>(
    `SELECT m.id, ms.envelope, NULL AS sha FROM messages m
     JOIN message_sources ms ON ms.rowid = (SELECT s.rowid FROM message_sources s WHERE s.message_id = m.id ORDER BY s.source_id, s.offset LIMIT 1)
     WHERE m.is_ghost = 0${oneThread ? ' AND m.thread_id = ?' : ''} ORDER BY ms.source_id, ms.offset, m.id`,
  );
}

/**
 * Whole threads as mboxrd bytes, the same bytes as `argmap export --mbox --thread` (the site's
 * lore-style t.mbox.gz). Keeps one prepared statement and a small cache of inflated packs, so a
 * site build that asks for every thread in date order inflates each pack about once.
 */
export class ThreadMbox {
  private rows: Statement<unknown[], Row>;
  private countStmt: Statement | null = null;
  constructor(
    private db: Db,
    private reader: RawReader = new RawReader(db),
  ) {
    this.rows = messageRows(db, true);
  }

  /**
   * How many messages {@link get} would write for the thread, without inflating any pack: a
   * served thread page links its mbox.gz only when there is something in it.
   */
  count(threadId: number): number {
    this.countStmt ??= this.db.prepare(
      `SELECT COUNT(*) AS n FROM messages m JOIN message_raw r ON r.message_id = m.id AND r.format = 'rfc822'
       WHERE m.is_ghost = 0 AND m.thread_id = ? AND EXISTS (SELECT 1 FROM message_sources s WHERE s.message_id = m.id)`,
    );
    return (this.countStmt.get(threadId) as { n: number }).n;
  }

  /** The thread's messages as one mboxrd buffer, and how many there are (0: nothing to write). */
  get(threadId: number): { bytes: Buffer; messages: number } {
    const parts: Buffer[] = [];
    for (const r of this.rows.iterate(threadId)) {
      const got = this.reader.get(r.id);
      if (!got || got.format !== 'rfc822') continue;
      parts.push(writeMboxrdMessage(got.raw, r.envelope ?? DEFAULT_ENVELOPE));
    }
    return { bytes: Buffer.concat(parts), messages: parts.length };
  }
}
