/**
 * Commit links: which patch mail each ingested commit came from. Methods, strongest first
 * (docs/graph.md, "Commits"):
 *  - `link` (1.0): a `Link:`/`Closes:` tag or lore URL in the commit names a stored message;
 *  - `patch-id` (1.0 for the last posting before the commit, 0.7 for earlier identical postings):
 *    the commit's diff has the same `git patch-id --stable` as a posted patch;
 *  - `posted-as` (0.9): the commit text's source recorded the Message-ID it was posted as;
 *  - `subject` (0.6, or 0.4 when the author differs): the commit subject equals a patch title,
 *    the latest such posting not after the commit — the fallback when the diff is missing.
 */
import type { Db } from '../store/db.ts';
import { patchId } from './patchid.ts';
import { linkedMessageIds, normTitle } from './series.ts';

interface CommitRow {
  hash: string;
  author_id: number | null;
  author_date: string | null;
  commit_date: string | null;
  subject: string;
  body: string;
  diff: string | null;
  posted_as: string | null;
}

/** Rebuild `commit_links`; returns the number of links written. */
export function linkCommits(db: Db): number {
  db.exec('DELETE FROM commit_links');
  const commits = db
    .prepare('SELECT hash, author_id, author_date, commit_date, subject, body, diff, posted_as FROM commits')
    .all() as CommitRow[];
  if (!commits.length) return 0;
  const msgByMid = db.prepare('SELECT id FROM messages WHERE message_id = ? AND is_ghost = 0').pluck();
  const byPatchId = db.prepare(
    `SELECT p.message_id AS id, m.date FROM patches p JOIN messages m ON m.id = p.message_id
     WHERE p.patch_id = ? ORDER BY m.date`,
  );
  const byTitle = db.prepare(
    `SELECT m.id, m.date, m.author_id FROM subjects s JOIN messages m ON m.id = s.message_id
     JOIN patches p ON p.message_id = m.id
     WHERE s.normalised = ? AND s.is_reply = 0 ORDER BY m.date`,
  );
  const signedBy = db
    .prepare(
      "SELECT 1 FROM trailers WHERE message_id = ? AND name = 'Signed-off-by' AND person_id = ? LIMIT 1",
    )
    .pluck();
  const ins = db.prepare(
    'INSERT OR IGNORE INTO commit_links(commit_hash, message_id, method, confidence) VALUES (?,?,?,?)',
  );
  let n = 0;
  const add = (hash: string, id: number, method: string, conf: number): void => {
    n += ins.run(hash, id, method, conf).changes;
  };
  for (const c of commits) {
    const when = c.commit_date ?? c.author_date ?? null;
    // 1. Link:/Closes: tags and lore URLs in the message
    const tagged = new Set<string>();
    for (const line of c.body.split('\n')) {
      if (/^\s*(?:Link|Closes|Message-ID):/i.test(line) || /lore\.kernel\.org|patch\.msgid\.link/.test(line))
        for (const mid of linkedMessageIds(line + ' ')) tagged.add(mid);
    }
    for (const mid of tagged) {
      const id = msgByMid.get(mid) as number | undefined;
      if (id !== undefined) add(c.hash, id, 'link', 1);
    }
    // 2. patch-id
    const pid = c.diff ? patchId(c.diff) : null;
    if (pid) {
      const hits = byPatchId.all(pid) as { id: number; date: string | null }[];
      const before = when ? hits.filter((h) => !h.date || h.date <= when) : hits;
      const best = (before.length ? before : hits).at(-1);
      for (const h of hits) add(c.hash, h.id, 'patch-id', h === best ? 1 : 0.7);
    }
    // 3. the Message-ID the commit text's source recorded
    if (c.posted_as) {
      const id = msgByMid.get(c.posted_as.replace(/^<|>$/g, '')) as number | undefined;
      if (id !== undefined) add(c.hash, id, 'posted-as', 0.9);
    }
    // 4. subject (+ author) fallback
    const title = normTitle(c.subject.replace(/^\s*\[[^\]]*\]\s*/, ''));
    const cands = byTitle.all(title) as { id: number; date: string | null; author_id: number | null }[];
    if (cands.length) {
      const before = when ? cands.filter((h) => !h.date || h.date <= when) : cands;
      const best = (before.length ? before : cands).at(-1)!;
      const sameAuthor =
        c.author_id !== null &&
        (best.author_id === c.author_id || signedBy.get(best.id, c.author_id) !== undefined);
      add(c.hash, best.id, 'subject', sameAuthor ? 0.6 : 0.4);
    }
  }
  return n;
}
