/**
 * Decision records in the graph: a record (data/decisions/, parsed by src/decisions/) classifies
 * the paragraphs it cites under an objection — `Raised by` names the objection, `Settled by` the
 * messages that ended it, and its `Status` how. Where the stance rules contradict that reading,
 * the record wins; a curated override (data/stance-overrides.tsv) still wins over both:
 *
 *     override > record > rules
 *
 * and the record's status decides the objection's lifecycle, with the last settling message as
 * the closing one. `claims.rule_stance` keeps the rules' own reading (the evaluation measures it),
 * `claims.stance_source` says which of the three the stored stance is. docs/graph.md ("Decision
 * records") gives every rule with its example.
 *
 * The pass runs after the threads are built (it needs the reply edges of the objection, which can
 * live in another thread than the message that settled it) and before the series and lifecycle
 * passes, which read the final stances.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { RecordTables, type RecordClaimRow, type RecordMessageRow } from '../store/record-tables.ts';
import { OBJECTION_STANCES, relationOf, type Stance } from './stance.ts';

/** A citation of a record: a message, or one of its own-text paragraphs. */
export interface RecordCite {
  messageId: string;
  paragraph: number | null;
}

/** One objection of a decision record, as the graph reads it. */
export interface RecordObjection {
  /** Which objection: `memory-reclaim O1`. */
  ref: string;
  /** The record's status words: open, rebutted, conceded, withdrawn, accepted, `addressed in v2`. */
  status: string;
  raised: RecordCite[];
  settledBy: RecordCite[];
}

/** The graph's objection statuses. */
export type GraphStatus = 'open' | 'rebutted' | 'conceded' | 'withdrawn' | 'addressed';

/**
 * The graph's status for a record's status. The words differ in direction: a record's `conceded`
 * means the objector accepted the proposal, which the graph calls `withdrawn`; a record's
 * `accepted` means the proposal's side accepted the objection, the graph's `conceded`.
 */
export function graphStatus(recordStatus: string): GraphStatus {
  if (recordStatus.startsWith('addressed')) return 'addressed';
  switch (recordStatus) {
    case 'rebutted':
      return 'rebutted';
    case 'conceded':
    case 'withdrawn':
      return 'withdrawn';
    case 'accepted':
      return 'conceded';
    default:
      return 'open';
  }
}

/** Who wrote a settling paragraph, relative to the objection. */
export type Writer = 'objector' | 'party' | 'other';

/**
 * What a settlement rules out in a paragraph of a settling message, by status and writer, and
 * the stance such a paragraph takes instead; null when the status constrains this writer in
 * nothing (a third party's message may argue either way).
 */
export function settlement(status: string, writer: Writer): { ruledOut: Stance[]; becomes: Stance } | null {
  if (status === 'conceded' || status === 'withdrawn')
    return writer === 'objector' ? { ruledOut: [...OBJECTION_STANCES], becomes: 'concedes' } : null;
  if (status === 'rebutted')
    return writer === 'objector' ? null : { ruledOut: ['concedes'], becomes: 'answers' };
  if (status === 'accepted' || status.startsWith('addressed'))
    return writer === 'party' ? { ruledOut: ['objects-to', 'nacks'], becomes: 'concedes' } : null;
  return null;
}

/** What a record says a cited paragraph does. */
export type RecordRole = 'raised' | 'settles';

/**
 * The stance a record gives a paragraph whose stance before the record is `stance`, or null when
 * that stance agrees with the record (a finer reading is kept: a nack or an alternative is an
 * objection too, a neutral line in a concession does not dispute it).
 */
export function recordStance(
  role: RecordRole,
  stance: Stance,
  status: string,
  writer: Writer,
): Stance | null {
  if (role === 'raised')
    return (OBJECTION_STANCES as readonly string[]).includes(stance) ? null : 'objects-to';
  const s = settlement(status, writer);
  return s && s.ruledOut.includes(stance) ? s.becomes : null;
}

/** Where a stored stance came from. */
export type StanceSource = 'rules' | 'model' | 'record' | 'override';

/** The precedence of the three readings of a paragraph: override > record > rules. */
export function finalStance(x: { rules: Stance; record?: Stance | null; override?: Stance | null }): {
  stance: Stance;
  source: StanceSource;
} {
  if (x.override) return { stance: x.override, source: 'override' };
  if (x.record) return { stance: x.record, source: 'record' };
  return { stance: x.rules, source: 'rules' };
}

/** How a record ended one objection claim, for the lifecycle. */
export interface RecordVerdict {
  status: GraphStatus;
  recordStatus: string;
  ref: string;
  evidenceClaimId: number | null;
  evidenceMessageId: number | null;
  evidence: string;
}

/** What the pass did. */
export interface RecordStats {
  /** Cited paragraphs the records classify. */
  classified: number;
  /** Of those, paragraphs whose stance the record changed. */
  changed: number;
  /** Classified paragraphs an override kept. */
  overridden: number;
  /** Objection claims whose status the records decide. */
  objections: number;
}

/** A key that changes whenever the records' classifications do (the graph is rebuilt then). */
export function recordsKey(objections: RecordObjection[]): string {
  return createHash('sha256').update(JSON.stringify(objections)).digest('hex').slice(0, 16);
}

/**
 * A key of what the records decided this build (claim ids and their verdicts, in claim order):
 * equal keys mean an incremental build need not redo the records' threads (src/graph/scope.ts).
 */
export function verdictsKey(verdicts: Map<number, RecordVerdict>): string {
  const rows = [...verdicts].sort((a, b) => a[0] - b[0]);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
}

interface Assignment {
  claim: RecordClaimRow;
  role: RecordRole;
  obj: number;
  writer: Writer;
}

/** The stance a claim had before any record touched it (the pass may run again on its own output): the model's, else the rules'. */
function preRecord(c: RecordClaimRow): Stance {
  return (c.stance_source === 'record' ? (c.model_stance ?? c.rule_stance) : c.stance) as Stance;
}

/** The rules' reason behind a claim's stance, also when a record already replaced it. */
function rulesReason(c: RecordClaimRow): string {
  if (c.stance_source !== 'record') return c.stance_reason;
  const m = /\[rules: (.*)\]$/.exec(c.stance_reason);
  return m ? m[1]! : c.stance_reason;
}

/**
 * Give every paragraph the records classify the stance they imply (unless an override holds it),
 * and return how the records ended each objection they name. Citations of messages that are not
 * in the archive are skipped (a record may cover more than one archive holds).
 */
export function applyRecords(
  db: Db,
  objections: RecordObjection[],
): { verdicts: Map<number, RecordVerdict>; stats: RecordStats } {
  const t = new RecordTables(db);
  const stats: RecordStats = { classified: 0, changed: 0, overridden: 0, objections: 0 };
  const verdicts = new Map<number, RecordVerdict>();
  if (!objections.length) return { verdicts, stats };
  const messages = new Map<string, RecordMessageRow | null>();
  const message = (id: string): RecordMessageRow | null => {
    if (!messages.has(id)) messages.set(id, t.message(id));
    return messages.get(id)!;
  };
  const paras = new Map<number, RecordClaimRow[]>();
  const paragraphs = (row: number): RecordClaimRow[] => {
    let p = paras.get(row);
    if (!p) paras.set(row, (p = t.paragraphs(row)));
    return p;
  };
  const paragraph = (c: RecordCite): RecordClaimRow | null => {
    const m = message(c.messageId);
    const p = m && c.paragraph !== null ? paragraphs(m.id).find((x) => x.n === c.paragraph) : undefined;
    return p ?? null;
  };
  const explicit = new Set<number>();
  for (const o of objections)
    for (const c of [...o.raised, ...o.settledBy]) {
      const p = paragraph(c);
      if (p) explicit.add(p.id);
    }

  // Per objection: the claims that raised it, who objected, whom it was aimed at, and its
  // neighbourhood in the graph (what it answered, what answered it).
  const ctx = objections.map((o) => {
    const raisedClaims: RecordClaimRow[] = [];
    const objectors = new Set<number>();
    for (const c of o.raised) {
      const m = message(c.messageId);
      if (!m) continue;
      if (m.author !== null) objectors.add(m.author);
      if (c.paragraph !== null) {
        const p = paragraph(c);
        if (p) raisedClaims.push(p);
      } else {
        // a whole message raised it: its first objecting paragraph, else its first paragraph
        const ps = paragraphs(m.id);
        const p = ps.find((x) => (OBJECTION_STANCES as readonly string[]).includes(preRecord(x))) ?? ps[0];
        if (p) raisedClaims.push(p);
      }
    }
    const chain = new Set<number>();
    const party = new Set<number>();
    for (const r of raisedClaims) {
      chain.add(r.id);
      for (const d of t.targets(r.id)) {
        chain.add(d);
        const x = t.claimAuthor(d);
        if (x !== null && !objectors.has(x)) party.add(x);
      }
      for (const s of t.repliers(r.id)) chain.add(s);
    }
    const writer = (a: number | null): Writer =>
      a !== null && objectors.has(a) ? 'objector' : a !== null && party.has(a) ? 'party' : 'other';
    return { raisedClaims, writer, chain };
  });

  // Assignments in precedence order: explicit Raised by, explicit Settled by, whole-message
  // Settled by; the first objection (in record order) that classifies a paragraph keeps it.
  const assigned = new Map<number, Assignment>();
  const assign = (a: Assignment): void => {
    if (!assigned.has(a.claim.id)) assigned.set(a.claim.id, a);
  };
  objections.forEach((_, i) => {
    for (const r of ctx[i]!.raisedClaims) assign({ claim: r, role: 'raised', obj: i, writer: 'objector' });
  });
  objections.forEach((o, i) => {
    for (const c of o.settledBy) {
      const p = c.paragraph !== null ? paragraph(c) : null;
      if (p) assign({ claim: p, role: 'settles', obj: i, writer: ctx[i]!.writer(p.author) });
    }
  });
  objections.forEach((o, i) => {
    for (const c of o.settledBy) {
      if (c.paragraph !== null) continue;
      const m = message(c.messageId);
      // the message that raised the objection, cited again as settling it: what it says of the
      // objection is in its raising paragraph, and its other paragraphs are other points
      if (!m || ctx[i]!.raisedClaims.some((r) => r.message === m.id)) continue;
      const writer = ctx[i]!.writer(m.author);
      const rule = settlement(o.status, writer);
      if (!rule) continue;
      // A whole message settles the objection, but only its paragraphs on the objection's point
      // can contradict that: those answering the objection, a reply to it, or what it objected
      // to; and, when the objector's own ack closes the message, the last paragraph that still
      // reads as what the settlement rules out (the verdict above the Acked-by). Paragraphs the
      // records cite by number keep their own classification.
      const ps = paragraphs(m.id).filter((p) => !explicit.has(p.id));
      const ruled = (p: RecordClaimRow): boolean => rule.ruledOut.includes(preRecord(p));
      const onPoint = ps.filter((p) => ruled(p) && t.targets(p.id).some((d) => ctx[i]!.chain.has(d)));
      if (writer === 'objector' && m.author !== null && t.hasOwnAck(m.id, m.author)) {
        const last = [...ps].reverse().find(ruled);
        if (last && !onPoint.includes(last)) onPoint.push(last);
      }
      for (const p of onPoint) assign({ claim: p, role: 'settles', obj: i, writer });
    }
  });

  // Apply: the record's stance where the rules contradict it, unless an override holds.
  const settlingClaims = new Map<number, number[]>(); // objection index → settling claim ids
  for (const a of assigned.values()) {
    stats.classified++;
    const o = objections[a.obj]!;
    if (a.role === 'settles') {
      const l = settlingClaims.get(a.obj) ?? [];
      l.push(a.claim.id);
      settlingClaims.set(a.obj, l);
    }
    const pre = preRecord(a.claim);
    const rec = recordStance(a.role, pre, o.status, a.writer);
    const final = finalStance({
      rules: pre,
      record: rec,
      override: a.claim.stance_source === 'override' ? (a.claim.stance as Stance) : null,
    });
    if (final.source === 'override') {
      if (rec) stats.overridden++;
      continue;
    }
    if (final.source !== 'record') {
      // the record agrees with the model or the rules: still a curated reading, shown as sure
      if (!rec) t.confirm(a.claim.id);
      continue;
    }
    const what = a.role === 'raised' ? 'raised this objection' : `settled it (${o.status})`;
    t.setStance(
      a.claim.id,
      final.stance,
      `record: ${o.ref} ${what} [rules: ${rulesReason(a.claim)}]`,
      relationOf(final.stance),
    );
    a.claim.stance = final.stance;
    a.claim.stance_source = 'record';
    stats.changed++;
  }

  // Verdicts: each raising claim gets the record's status; the closing message is the last
  // settling message by date, the evidence claim its cited (or re-read) paragraph.
  objections.forEach((o, i) => {
    const settling = o.settledBy
      .map((c) => ({ c, m: message(c.messageId) }))
      .filter((x): x is { c: RecordCite; m: RecordMessageRow } => x.m !== null)
      .sort((a, b) =>
        (a.m.date ?? '') < (b.m.date ?? '') ? -1 : (a.m.date ?? '') > (b.m.date ?? '') ? 1 : 0,
      );
    const last = settling[settling.length - 1];
    let evidenceClaim: number | null = null;
    if (last) {
      const cited = last.c.paragraph !== null ? paragraph(last.c) : null;
      const marked = (settlingClaims.get(i) ?? [])
        .map((id) => assigned.get(id)!.claim)
        .find((c) => c.message === last.m.id);
      evidenceClaim = cited?.id ?? marked?.id ?? null;
    }
    const text = last
      ? `decision record ${o.ref}: ${o.status}; settled by ${settling.length} ${settling.length === 1 ? 'message' : 'messages'}, the last of ${(last.m.date ?? '').slice(0, 10)}`
      : `decision record ${o.ref}: ${o.status}`;
    for (const r of ctx[i]!.raisedClaims) {
      const a = assigned.get(r.id);
      if (!a || a.obj !== i || a.role !== 'raised' || verdicts.has(r.id)) continue;
      verdicts.set(r.id, {
        status: graphStatus(o.status),
        recordStatus: o.status,
        ref: o.ref,
        evidenceClaimId: last ? evidenceClaim : null,
        evidenceMessageId: last ? last.m.id : null,
        evidence: text,
      });
      stats.objections++;
    }
  });
  return { verdicts, stats };
}
