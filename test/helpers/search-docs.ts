// The search documents of every real message of an archive, built as the site builds them (the
// whole own text, INDEX_TEXT_CAP, facets from src/search/facets.ts), for the tests that check the
// lean index builder and the browser engine against lunr.
import { ownText } from '../../src/mail/owntext.ts';
import { Facets } from '../../src/search/facets.ts';
import { INDEX_TEXT_CAP, type SearchDoc } from '../../src/search/index-build.ts';
import type { Db } from '../../src/store/db.ts';

/** Every real message as a SearchDoc, in date then row-id order; `threadUrl` names each thread. */
export function searchDocs(db: Db, threadUrl: (threadId: number | null) => string): SearchDoc[] {
  const facets = new Facets(db);
  const rows = db
    .prepare(
      'SELECT id, message_id AS mid, thread_id AS thread, subject, from_name AS name, from_addr AS addr, date, body FROM messages WHERE is_ghost = 0 ORDER BY date, id',
    )
    .all() as {
    id: number;
    mid: string;
    thread: number | null;
    subject: string | null;
    name: string | null;
    addr: string | null;
    date: string | null;
    body: string | null;
  }[];
  return rows.map((r) => ({
    url: '',
    subject: r.subject ?? '',
    author: `${r.name ?? ''} ${r.addr ?? ''}`,
    body: ownText(r.body ?? '', INDEX_TEXT_CAP),
    facets: facets.of(r.id),
    date: r.date,
    thread: '',
    threadUrl: threadUrl(r.thread),
    messageId: r.mid,
  }));
}
