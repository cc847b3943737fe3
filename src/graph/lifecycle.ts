/**
 * Objection lifecycle: for every objection (a claim with stance objects-to, nacks or
 * proposes-alternative), how it ended, from the replies that quote it and from later versions:
 *
 *  - `addressed`: a later version's change log implements it (an `implements` edge), or the
 *    posted paragraph it objected to changed or was dropped in the next version while the thread
 *    left the objection open or conceded;
 *  - `withdrawn`: after a rebuttal, the objector conceded or agreed;
 *  - `conceded`: the party objected to (usually the patch author) conceded or agreed;
 *  - `rebutted`: someone disputed or answered it, and the objector did not come back;
 *  - `open`: nobody replied to it, or the objector re-raised it after the last rebuttal.
 *
 * Replies are processed in date order as a small state machine (docs/graph.md, "Objection
 * status"); the evidence names the deciding claim or change-log item. An objection a decision
 * record names takes the record's status instead (src/graph/records.ts), and its evidence keeps
 * what the state machine would have said.
 */
import type { Db } from '../store/db.ts';
import { ObjectionTables, type ReplyEdgeRow } from '../store/objection-tables.ts';
import { GraphScopeTables } from '../store/graph-scope-tables.ts';
import type { Fate } from './series-edges.ts';
import type { RecordVerdict } from './records.ts';
import { OBJECTION_STANCES } from './stance.ts';
import { relieveHeap } from '../util/heap.ts';

export { OBJECTION_STANCES };

interface Reply {
  obj: number;
  id: number;
  author: number | null;
  stance: string;
  date: string;
  message: number;
}

type Status = 'addressed' | 'rebutted' | 'conceded' | 'withdrawn' | 'open';

/**
 * Rebuild `objections` (with `scoped`, only the objections in the threads of the stored
 * incremental scope); returns counts per status of the objections decided.
 */
export function decideObjections(
  db: Db,
  fates: Map<number, Fate> = new Map(),
  verdicts: Map<number, RecordVerdict> = new Map(),
  scoped = false,
): Record<string, number> {
  const q = new ObjectionTables(db, scoped);
  q.clear();
  const objections = q.objections(OBJECTION_STANCES);
  if (!objections.length) return {};
  const isObjection = new Set(objections.map((o) => o.id));
  // Two passes over the reply edges, keeping only the replies the state machine reads: those to
  // an objection (first pass, which also finds whom each objection is aimed at: the authors of
  // the claims it answers), and those to such a reply, where the objector may come back on a
  // rebuttal (second pass). Holding every reply edge instead cost about a gigabyte at 10x.
  const targets = new Map<number, Set<number>>();
  const targetClaims = new Map<number, number[]>();
  const replies = new Map<number, Reply[]>();
  const keep = (r: ReplyEdgeRow): void => {
    const reply: Reply = {
      obj: r.dst,
      id: r.src,
      author: r.author,
      stance: r.stance,
      date: r.date ?? '',
      message: r.message,
    };
    (replies.get(r.dst) ?? replies.set(r.dst, []).get(r.dst)!).push(reply);
  };
  const rebuttals = new Set<number>();
  let read = 0;
  for (const r of q.replyEdges()) {
    // each row is garbage a moment later: collect now and then, or the heap grows by hundreds of MB
    if ((++read & 0xffff) === 0) relieveHeap();
    if (isObjection.has(r.src)) {
      if (r.dst_author !== null)
        (targets.get(r.src) ?? targets.set(r.src, new Set()).get(r.src)!).add(r.dst_author);
      (targetClaims.get(r.src) ?? targetClaims.set(r.src, []).get(r.src)!).push(r.dst);
    }
    if (isObjection.has(r.dst)) {
      keep(r);
      rebuttals.add(r.src);
    }
  }
  for (const r of q.replyEdges()) {
    if ((++read & 0xffff) === 0) relieveHeap();
    if (rebuttals.has(r.dst) && !isObjection.has(r.dst)) keep(r);
  }
  for (const list of replies.values())
    if (list.length > 1) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const implemented = new Map<number, { src: number; evidence: string }>();
  for (const r of q.implementsEdges())
    if (!implemented.has(r.d)) implemented.set(r.d, { src: r.s, evidence: r.evidence });
  const counts: Record<string, number> = {};
  for (const o of objections) {
    if ((++read & 0xffff) === 0) relieveHeap();
    let status: Status = 'open';
    let ev: { claim: number | null; message: number | null; text: string } = {
      claim: null,
      message: null,
      text: 'no reply quotes it',
    };
    const party = targets.get(o.id) ?? new Set<number>();
    const answers = (replies.get(o.id) ?? []).filter((r) => r.author !== o.author);
    if (answers.length)
      ev = {
        claim: answers[0]!.id,
        message: answers[0]!.message,
        text: `${answers.length} ${answers.length === 1 ? 'reply' : 'replies'}, none settling it`,
      };
    for (const r of answers) {
      const byParty = r.author !== null && party.has(r.author);
      if (r.stance === 'concedes' || (byParty && (r.stance === 'supports' || r.stance === 'acks'))) {
        status = 'conceded';
        ev = { claim: r.id, message: r.message, text: `${r.stance} by the party objected to` };
      } else if (r.stance === 'objects-to' || r.stance === 'answers' || r.stance === 'nacks') {
        status = 'rebutted';
        ev = { claim: r.id, message: r.message, text: `${r.stance} in reply` };
        // did the objector come back on the rebuttal?
        for (const w of replies.get(r.id) ?? []) {
          if (w.author !== o.author) continue;
          if (w.stance === 'concedes' || w.stance === 'supports' || w.stance === 'acks') {
            status = 'withdrawn';
            ev = { claim: w.id, message: w.message, text: `objector ${w.stance} after the rebuttal` };
          } else if (w.stance === 'objects-to' || w.stance === 'nacks') {
            status = 'open';
            ev = { claim: w.id, message: w.message, text: 'objector re-raised it after the rebuttal' };
          }
        }
      }
    }
    const impl = implemented.get(o.id);
    if (impl) {
      status = 'addressed';
      ev = {
        claim: impl.src,
        message: q.messageOfClaim(impl.src),
        text: impl.evidence,
      };
    } else if (status === 'open' || status === 'conceded') {
      for (const t of targetClaims.get(o.id) ?? []) {
        const f = fates.get(t);
        if (f && f.status !== 'same') {
          status = 'addressed';
          ev = {
            claim: f.byClaim,
            message: f.byClaim !== null ? q.messageOfClaim(f.byClaim) : null,
            text: `the text it objected to ${f.status === 'dropped' ? 'was dropped' : 'changed'} in ${f.posting}`,
          };
          break;
        }
      }
    }
    // a decision record that names this objection decides how it ended (src/graph/records.ts)
    const v = verdicts.get(o.id);
    if (v) {
      q.insert({
        claimId: o.id,
        status: v.status,
        evidenceClaimId: v.evidenceClaimId,
        evidenceMessageId: v.evidenceMessageId,
        evidence: `${v.evidence} (rules: ${status}, ${ev.text})`,
        source: 'record',
        recordStatus: v.recordStatus,
        record: v.ref,
      });
      counts[v.status] = (counts[v.status] ?? 0) + 1;
      continue;
    }
    q.insert({
      claimId: o.id,
      status,
      evidenceClaimId: ev.claim,
      evidenceMessageId: ev.message,
      evidence: ev.text,
    });
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/**
 * Threads per batch of {@link decideObjectionsByThreads}: at 10x the whole archive's objections and
 * their replies held at once were about 250 MB of live heap, the ingest's peak.
 */
export const LIFECYCLE_BATCH_THREADS = 4000;

/**
 * Rebuild `objections` for the whole archive, a batch of threads at a time: what decides an
 * objection (its replies, the replies to those, whom it answers) never leaves its thread, and
 * what does (implements edges, fates, records) is read per objection, so the rows are those of
 * one pass over everything (test/graph/lifecycle.test.ts compares them). Uses the temporary
 * scope tables of an incremental build and leaves them empty.
 */
export function decideObjectionsByThreads(
  db: Db,
  threadIds: readonly number[],
  fates: Map<number, Fate> = new Map(),
  verdicts: Map<number, RecordVerdict> = new Map(),
  batchThreads = LIFECYCLE_BATCH_THREADS,
): Record<string, number> {
  new ObjectionTables(db, false).clear();
  const scope = new GraphScopeTables(db);
  const counts: Record<string, number> = {};
  for (let i = 0; i < threadIds.length; i += batchThreads) {
    scope.store(threadIds.slice(i, i + batchThreads), []);
    for (const [k, v] of Object.entries(decideObjections(db, fates, verdicts, true)))
      counts[k] = (counts[k] ?? 0) + v;
    relieveHeap();
  }
  scope.store([], []);
  return counts;
}
