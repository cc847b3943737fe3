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
import { CommitLinkTables } from '../store/commit-link-tables.ts';
import { patchId } from './patchid.ts';
import { linkedMessageIds, normTitle } from './series.ts';

/** Rebuild `commit_links`; returns the number of links written. */
export function linkCommits(db: Db): number {
  const q = new CommitLinkTables(db);
  q.clear();
  const commits = q.commits();
  if (!commits.length) return 0;
  let n = 0;
  const add = (hash: string, id: number, method: string, conf: number): void => {
    n += q.insert(hash, id, method, conf);
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
      const id = q.messageByMid(mid);
      if (id !== undefined) add(c.hash, id, 'link', 1);
    }
    // 2. patch-id
    const pid = c.diff ? patchId(c.diff) : null;
    if (pid) {
      const hits = q.byPatchId(pid);
      const before = when ? hits.filter((h) => !h.date || h.date <= when) : hits;
      const best = (before.length ? before : hits).at(-1);
      for (const h of hits) add(c.hash, h.id, 'patch-id', h === best ? 1 : 0.7);
    }
    // 3. the Message-ID the commit text's source recorded
    if (c.posted_as) {
      const id = q.messageByMid(c.posted_as.replace(/^<|>$/g, ''));
      if (id !== undefined) add(c.hash, id, 'posted-as', 0.9);
    }
    // 4. subject (+ author) fallback
    const title = normTitle(c.subject.replace(/^\s*\[[^\]]*\]\s*/, ''));
    const cands = q.byTitle(title);
    if (cands.length) {
      const before = when ? cands.filter((h) => !h.date || h.date <= when) : cands;
      const best = (before.length ? before : cands).at(-1)!;
      const sameAuthor =
        c.author_id !== null && (best.author_id === c.author_id || q.signedBy(best.id, c.author_id));
      add(c.hash, best.id, 'subject', sameAuthor ? 0.6 : 0.4);
    }
  }
  return n;
}
