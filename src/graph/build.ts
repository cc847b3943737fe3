/**
 * Building the argument graph from the archive: per thread, segment every body, resolve quotes,
 * cut claims, decide stances, draw reply edges and tag topics; then, over the whole archive,
 * assemble patch series, link commits and decide how each objection ended.
 *
 * Incremental: after an ingest only the threads that received messages are rebuilt (their rows
 * are deleted and written again). The series are chained over the whole archive again (from
 * cached patch features) but only changed series are written; version edges and objection
 * status are redone over the scope that new mail reaches (src/graph/scope.ts). A rules version
 * in `meta` forces a full rebuild when the rules change. Everything runs in one transaction, so a
 * killed build leaves the previous graph.
 */
import type { Db } from '../store/db.ts';
import { getMeta, setMeta } from '../store/db.ts';
import { segmentBody, type Segment } from './segment.ts';
import { byteOffsets, stripQuote } from '../mail/owntext.ts';
import { ThreadResolver, type Resolution, type ThreadMessage } from './resolve.ts';
import { cueHits, decideStance, relationOf, type Stance, type StanceInput } from './stance.ts';
import { callStance, MAX_FEATURE_CHARS, type StanceExample, type StanceModelFile } from './stance-model.ts';
import { loadStanceModel, modelId } from './stance-model-file.ts';
import { lexicon, topicsOf } from './topics.ts';
import { loadOverrides, type Override } from './overrides.ts';
import { buildSeries, type SeriesStats } from './series.ts';
import { linkCommits } from './commits.ts';
import { decideObjections, decideObjectionsByThreads } from './lifecycle.ts';
import { applyRecords, recordsKey, verdictsKey, type RecordObjection, type RecordStats } from './records.ts';
import { carriedTrailerEdges, seriesEdges, type Fate } from './series-edges.ts';
import { GraphTables, type ThreadMessageRow } from '../store/graph-tables.ts';
import { GraphScopeTables } from '../store/graph-scope-tables.ts';
import { graphScope } from './scope.ts';
import { immediateTransaction } from '../store/transaction.ts';
import { relieveHeap } from '../util/heap.ts';

/** A trailer that approves the patch (the writer's own ack in the message). */
const APPROVAL = /^(?:Acked|Reviewed|Tested)-by:/i;

/** Most claims one claim replies to (a quote can span paragraphs; the nearest ones count). */
const MAX_TARGETS = 3;

/** Bump when segmentation, resolution, stance or series rules change: the next ingest rebuilds everything. */
export const GRAPH_VERSION = '7'; // 7: learned stance model (paragraph stance from data/stance-model.json, rules as its features) and decision records classify the paragraphs they cite (override > record > model > rules) and decide the status of the objections they name; 5: stance rules revised against three label files (code suggestions, concessions, late endorsements, requests for information); 4: stance rules revised on all 828 labelled paragraphs (answers, concessions, asides); 3: unnumbered parts of a numbered send take git send-email's counter

/** What a build did, for `argmap ingest`, `argmap graph build` and the benchmark. */
export interface GraphStats {
  full: boolean;
  threads: number;
  messages: number;
  segments: number;
  claims: number;
  edges: number;
  quotes: { total: number; byMethod: Record<string, number> };
  largestThread: {
    threadId: number;
    messages: number;
    quotes: number;
    resolveMs: number;
    totalMs: number;
    indexBuilds: number;
    probes: number;
  } | null;
  series: SeriesStats | null;
  /**
   * An incremental build: how many threads and series its archive-wide passes were redone over,
   * and whether the records' threads were among them (their verdicts changed).
   */
  scope?: { threads: number; series: number; records: boolean };
  commitLinks: number;
  objections: Record<string, number>;
  overridesApplied: number;
  /** What the decision records changed (src/graph/records.ts). */
  records: RecordStats | null;
  ms: { threads: number; series: number; commits: number; lifecycle: number; total: number };
  /** CPU time of the build (user + system, this process), which wall time on a busy machine is not. */
  cpuMs: number;
}

interface TMsg extends ThreadMessage {
  messageId: string;
  author: number | null;
  isPatch: boolean;
  isReply: boolean;
  /** Segment row ids, parallel to segments. */
  segIds: number[];
  /** Quote resolutions, parallel to segments (null for depth-0 segments). */
  res: (Resolution | null)[];
  /** Claim ids of the paragraph/trailer claims, keyed by segment index. */
  claimsBySeg: Map<number, number[]>;
  /** First paragraph claim id (the message's head claim), or -1. */
  headClaim: number;
  /** String offset → UTF-8 byte offset, made once per message. */
  bytes?: (i: number) => number;
}

/** Kinds of claims and the context the stance rules need. */
interface ClaimDraft {
  id: number;
  msg: number;
  seg: number;
  kind: 'para' | 'trailer';
  n: number;
  start: number;
  end: number;
  text: string;
  input: StanceInput;
  /** Segment indexes of the quote region this claim answers (same message). */
  region: number[];
  stance?: Stance;
  /** Claims this one replies to (claim id → evidence). */
  targets?: Map<number, string>;
}

/** The graph version an archive built with `model` records: the rules' version plus the model's id. */
export function graphVersion(model: StanceModelFile | null = loadStanceModel()): string {
  return GRAPH_VERSION + (model ? '+model:' + modelId(model) : '');
}

/**
 * Whether the graph was built by other rules, another stance model or from other decision
 * records than these (then the next build is a full one).
 */
export function graphStale(
  db: Db,
  records: RecordObjection[] = [],
  model: StanceModelFile | null = loadStanceModel(),
): boolean {
  return (
    getMeta(db, 'graph_version') !== graphVersion(model) ||
    getMeta(db, 'graph_records') !== recordsKey(records)
  );
}

/** Sees every own-text paragraph the build decides (for training and evaluating the stance model). */
export type StanceObserver = (key: string, ex: StanceExample) => void;

/** Options of a graph build. */
export interface BuildOptions {
  /** Message row ids added by the ingest, or null for a full rebuild. */
  added?: number[] | null;
  /** The stance model to use: undefined loads data/stance-model.json, null means rules only. */
  model?: StanceModelFile | null;
  /** Called with each paragraph's features (key `MESSAGE-ID#pN`). */
  observe?: StanceObserver;
  /**
   * The objections of the decision records (src/decisions/graph-input.ts), whose classifications
   * win over the model and the rules (docs/graph.md, "Decision records").
   */
  records?: RecordObjection[];
}

/** Build (or refresh) the graph. */
export function buildGraph(db: Db, opts: BuildOptions = {}): GraphStats {
  const t0 = performance.now();
  const model = opts.model === undefined ? loadStanceModel() : opts.model;
  const records = opts.records ?? [];
  // a different stance model or other records make a different graph
  const wanted = graphVersion(model);
  const full = !opts.added || graphStale(db, records, model);
  const stats: GraphStats = {
    full,
    threads: 0,
    messages: 0,
    segments: 0,
    claims: 0,
    edges: 0,
    quotes: { total: 0, byMethod: {} },
    largestThread: null,
    series: null,
    commitLinks: 0,
    objections: {},
    overridesApplied: 0,
    records: null,
    ms: { threads: 0, series: 0, commits: 0, lifecycle: 0, total: 0 },
    cpuMs: 0,
  };
  const cpu0 = process.cpuUsage();
  const tables = new GraphTables(db);
  immediateTransaction(db, () => {
    let threadIds: number[];
    if (full) {
      tables.clearThreadGraph();
      threadIds = tables.threadIds();
    } else {
      threadIds = tables.threadsOfMessages(opts.added ?? []);
      tables.deleteThreadGraph(threadIds);
    }
    threadIds.sort((a, b) => a - b);
    const tb = new ThreadBuilder(tables, stats, model, opts.observe ?? null);
    for (const t of threadIds) {
      tb.build(t);
      relieveHeap();
    }
    tb.flush();
    stats.ms.threads = performance.now() - t0;
    const t1 = performance.now();
    // archive-wide passes. decision records first: the series edges read review stances, and the
    // lifecycle the records' verdicts
    const rec = applyRecords(db, records);
    stats.records = rec.stats;
    const series = buildSeries(db, { incremental: !full });
    stats.series = series.stats;
    // an incremental build redoes the version edges and objection status only where new mail or a
    // changed series can reach (src/graph/scope.ts); the rest of those rows stay as they are
    const st = series.change ? new GraphScopeTables(db) : null;
    const verdicts = verdictsKey(rec.verdicts);
    if (st && series.change) {
      const sameVerdicts = getMeta(db, 'graph_verdicts') === verdicts;
      const scope = graphScope(st, threadIds, series.change, sameVerdicts ? null : rec.verdicts.keys());
      st.store(scope.threads, scope.series);
      st.deleteVersionEdges();
      stats.scope = { threads: scope.threads.size, series: scope.series.size, records: !sameVerdicts };
    } else tables.deleteVersionEdges();
    stats.ms.series = performance.now() - t1;
    const t2 = performance.now();
    stats.commitLinks = linkCommits(db);
    stats.ms.commits = performance.now() - t2;
    const t3 = performance.now();
    const fates = new Map<number, Fate>();
    stats.edges += seriesEdges(db, fates, st !== null);
    stats.edges += carriedTrailerEdges(db, st !== null);
    const decided = st
      ? decideObjections(db, fates, rec.verdicts, true)
      : decideObjectionsByThreads(db, threadIds, fates, rec.verdicts);
    // a scoped pass decided only its scope: the counts are the whole table's
    stats.objections = st ? st.objectionCounts() : decided;
    stats.ms.lifecycle = performance.now() - t3;
    setMeta(db, 'graph_version', wanted);
    setMeta(db, 'graph_records', recordsKey(records));
    setMeta(db, 'graph_verdicts', verdicts);
  });
  stats.ms.total = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stats.cpuMs = (cpu.user + cpu.system) / 1000;
  // the last build's numbers, for `argmap stats`, the ingest benchmark and docs/graph.md
  setMeta(db, 'graph_last_build', JSON.stringify({ ...stats, at: new Date().toISOString() }));
  return stats;
}

/** Each message's depth in its thread (0 for a root or a message whose parent is missing), without recursion. */
function depths(msgs: { parent: number }[]): number[] {
  const out = new Array<number>(msgs.length).fill(-1);
  for (let i = 0; i < msgs.length; i++) {
    // walk up until a known depth, a root, or a cycle guard (a thread is at most msgs.length deep)
    const chain: number[] = [];
    let j = i;
    while (j >= 0 && out[j] === -1 && chain.length <= msgs.length) {
      chain.push(j);
      j = msgs[j]!.parent;
    }
    let base = j >= 0 && out[j]! >= 0 ? out[j]! + 1 : 0;
    for (let k = chain.length - 1; k >= 0; k--) out[chain[k]!] = base++;
  }
  return out;
}

/** Builds one thread at a time; its rows are queued in the build's GraphTables. */
class ThreadBuilder {
  private nextSeg: number;
  private nextClaim: number;
  private overrides: Map<string, Override>;
  private topics = lexicon();
  private quoteTopics = new Map<string, string[]>();

  /** Made after a full rebuild emptied the tables, so ids then start again at 1. */
  constructor(
    private tables: GraphTables,
    private stats: GraphStats,
    private model: StanceModelFile | null,
    private observe: StanceObserver | null,
  ) {
    this.nextSeg = tables.maxSegmentId() + 1;
    this.nextClaim = tables.maxClaimId() + 1;
    this.overrides = loadOverrides();
  }

  /** Write the queued rows (before anything reads the graph tables). */
  flush(): void {
    this.tables.flush();
    this.stats.edges += this.tables.edgesAdded;
  }

  build(threadId: number): void {
    const t0 = performance.now();
    const rows: ThreadMessageRow[] = this.tables.threadMessages(threadId);
    if (!rows.length) return;
    const pos = new Map<number, number>();
    rows.forEach((r, i) => pos.set(r.id, i));
    const msgs: TMsg[] = rows.map((r) => ({
      row: r.id,
      parent: r.parent_id !== null ? (pos.get(r.parent_id) ?? -1) : -1,
      ghost: r.is_ghost === 1 || r.body === null,
      date: r.date,
      body: r.body ?? '',
      segments: r.is_ghost === 1 || r.body === null ? [] : segmentBody(r.body),
      messageId: r.message_id,
      author: r.author_id,
      isPatch: r.is_patch === 1,
      isReply: r.is_reply === 1,
      segIds: [],
      res: [],
      claimsBySeg: new Map(),
      headClaim: -1,
    }));
    const resolver = new ThreadResolver(msgs);
    // 1. segment ids and quote resolution
    for (const m of msgs) {
      m.segIds = m.segments.map(() => this.nextSeg++);
      m.res = m.segments.map(() => null);
    }
    let threadQuotes = 0;
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i]!;
      m.segments.forEach((s, k) => {
        if (s.depth > 0 && (s.kind === 'quote' || s.kind === 'attribution')) {
          threadQuotes++;
          const r = resolver.resolve(i, k);
          m.res[k] = r;
          this.stats.quotes.total++;
          this.stats.quotes.byMethod[r.method] = (this.stats.quotes.byMethod[r.method] ?? 0) + 1;
        }
      });
    }
    // 2. write segments
    for (const m of msgs) {
      if (m.ghost) continue;
      const b = (m.bytes ??= byteOffsets(m.body));
      m.segments.forEach((s, k) => {
        const r = m.res[k];
        const src = r && r.source >= 0 ? msgs[r.source]! : null;
        this.tables.insertSegment({
          id: m.segIds[k]!,
          messageId: m.row,
          seq: k + 1,
          kind: s.kind,
          depth: s.depth,
          start: b(s.start),
          end: b(s.end),
          para: s.para,
          file: s.file,
          sourceMessageId: src ? src.row : null,
          sourceSegmentId: src && r!.segment >= 0 ? src.segIds[r!.segment]! : null,
          confidence: r ? r.confidence : null,
          method: r ? r.method : null,
        });
      });
      this.stats.segments += m.segments.length;
    }
    // 3. claims with their stance context
    const proposersOf = this.proposers(msgs);
    const drafts: ClaimDraft[] = [];
    msgs.forEach((m, i) => {
      if (!m.ghost) drafts.push(...this.claimDrafts(msgs, i, proposersOf));
    });
    for (const d of drafts) d.targets = this.targetsOf(msgs, d);
    // stances in message order (a paragraph may inherit the previous one's stance, and sees the
    // stances of the claims it quotes, which belong to earlier messages)
    const decided = new Map<number, Stance>();
    const paras = new Map<number, number>();
    for (const d of drafts) if (d.kind === 'para') paras.set(d.msg, (paras.get(d.msg) ?? 0) + 1);
    const depth = depths(msgs);
    // messages whose own trailers approve (Acked-by/Reviewed-by/Tested-by)
    const acking = new Set<number>();
    for (const d of drafts) if (d.kind === 'trailer' && APPROVAL.test(d.text)) acking.add(d.msg);
    let prevCues: string[] = [];
    // writers the rules saw object earlier in the thread (message order, as a reader meets them)
    const objectors = new Set<number>();
    let prevMsg = -1;
    let prev: ClaimDraft | null = null;
    for (const d of drafts) {
      if (d.msg !== prevMsg) {
        prev = null;
        prevCues = [];
      }
      prevMsg = d.msg;
      if (
        prev &&
        prev.kind === 'para' &&
        d.kind === 'para' &&
        d.input.previous === null &&
        !d.input.directlyUnderQuote
      )
        d.input.previous = prev.stance ?? null;
      d.input.quotedStances = [];
      for (const t of d.targets!.keys()) {
        const st = decided.get(t);
        if (st) d.input.quotedStances.push(st);
      }
      const r = decideStance(d.input);
      d.stance = r.stance;
      const m = msgs[d.msg]!;
      const key = `${m.messageId}#${d.kind === 'para' ? 'p' : 't'}${d.n}`;
      const ov = this.overrides.get(key);
      let stance: Stance = r.stance;
      let reason = r.reason;
      let conf = r.confidence;
      let call: ReturnType<typeof callStance> | null = null;
      let source: 'rules' | 'model' | 'override' = 'rules';
      if (d.kind === 'para' && (this.model || this.observe)) {
        const cues = cueHits(d.text.slice(0, MAX_FEATURE_CHARS));
        const ex: StanceExample = {
          cues,
          input: d.input,
          rule: r,
          ctx: {
            n: d.n,
            paras: paras.get(d.msg) ?? 1,
            depth: depth[d.msg]!,
            writerObjectedBefore: m.author !== null && objectors.has(m.author),
            messageAcks: acking.has(d.msg),
            previousCues: prevCues,
          },
        };
        prevCues = cues;
        this.observe?.(key, ex);
        if (this.model) {
          call = callStance(this.model, ex);
          stance = call.stance;
          conf = call.p;
          source = 'model';
          reason = `model: p=${call.p.toFixed(2)}, else ${call.alt} ${call.altP.toFixed(2)} [rules: ${r.reason.split(':')[0]}]`;
        }
      }
      if (ov && (!ov.prefix || ov.prefix === prefix60(d.text))) {
        stance = ov.stance;
        reason = `override: ${ov.reason} [rules: ${r.reason.split(':')[0]}]`;
        conf = 1;
        source = 'override';
        this.stats.overridesApplied++;
      }
      const b = (m.bytes ??= byteOffsets(m.body));
      this.tables.insertClaim({
        id: d.id,
        messageId: m.row,
        segmentId: m.segIds[d.seg]!,
        kind: d.kind,
        n: d.n,
        start: b(d.start),
        end: b(d.end),
        authorId: m.author,
        stance,
        stanceReason: reason,
        confidence: conf,
        ruleStance: r.stance,
        modelStance: call ? call.stance : null,
        altStance: call ? call.alt : null,
        altP: call ? call.altP : null,
        stanceSource: source,
      });
      (d as { final?: Stance }).final = stance;
      decided.set(d.id, r.stance);
      if (d.kind === 'para' && r.stance === 'objects-to' && m.author !== null) objectors.add(m.author);
      this.stats.claims++;
      if (d.kind === 'para') prev = d;
    }
    // 4. edges and topics
    for (const d of drafts) this.edgesAndTopics(d);
    this.stats.threads++;
    this.stats.messages += msgs.length;
    const ms = performance.now() - t0;
    if (!this.stats.largestThread || msgs.length > this.stats.largestThread.messages)
      this.stats.largestThread = {
        threadId,
        messages: msgs.length,
        quotes: threadQuotes,
        resolveMs: resolver.ms,
        totalMs: ms,
        indexBuilds: resolver.indexBuilds,
        probes: resolver.probes,
      };
  }

  /** For each message: the people whose proposal it discusses (nearest posting up the chain). */
  private proposers(msgs: TMsg[]): Map<number, Set<number>> {
    const cache = new Map<number, Set<number>>();
    const ofPosting = (i: number): Set<number> => {
      let s = cache.get(i);
      if (s) return s;
      s = new Set<number>();
      const m = msgs[i]!;
      if (m.author !== null) s.add(m.author);
      for (const p of this.tables.signers(m.row)) s.add(p);
      cache.set(i, s);
      return s;
    };
    const out = new Map<number, Set<number>>();
    for (let i = 0; i < msgs.length; i++) {
      let j = i;
      let steps = 0;
      let found = -1;
      let root = i;
      while (j >= 0 && steps++ < 10_000) {
        if (isPosting(msgs[j]!)) {
          found = j;
          break;
        }
        root = j;
        j = msgs[j]!.parent;
      }
      if (found < 0) found = root;
      out.set(i, msgs[found]!.ghost ? new Set() : ofPosting(found));
    }
    return out;
  }

  /** Claims of message i with their stance inputs. */
  private claimDrafts(msgs: TMsg[], i: number, proposersOf: Map<number, Set<number>>): ClaimDraft[] {
    const m = msgs[i]!;
    const segs = m.segments;
    const out: ClaimDraft[] = [];
    const inPosting = isPosting(m);
    const proposers = proposersOf.get(i) ?? new Set<number>();
    const writerIsProposer = m.author !== null && proposers.has(m.author);
    // quote regions: maximal runs of quoted segments (and depth-0 attribution/snip between them)
    const regionOf: number[][] = segs.map(() => []);
    let current: number[] = [];
    let firstRegion: number[] | null = null;
    let sinceQuote = false; // an own paragraph appeared after the last quote
    const isQuoted = (s: Segment): boolean => s.depth > 0;
    for (let k = 0; k < segs.length; k++) {
      const s = segs[k]!;
      if (isQuoted(s) || ((s.kind === 'attribution' || s.kind === 'snip') && s.depth === 0)) {
        if (sinceQuote || !current.length) {
          current = [];
          sinceQuote = false;
        }
        current.push(k);
        if (!firstRegion) firstRegion = current;
      } else {
        if (current.length && !current.some((x) => isQuoted(segs[x]!))) current = [];
        sinceQuote = true;
        regionOf[k] = current;
      }
    }
    let trailerN = 0;
    for (let k = 0; k < segs.length; k++) {
      const s = segs[k]!;
      let region = regionOf[k]!.filter((x) => isQuoted(segs[x]!));
      if (!region.length && firstRegion) region = firstRegion.filter((x) => isQuoted(segs[x]!)); // top-posting
      const prevSeg = k > 0 ? segs[k - 1]! : null;
      const directlyUnderQuote = !!prevSeg && prevSeg.depth > 0;
      const quote = region.length ? this.quoteText(m, region) : null;
      const quoteAnswersWriter =
        m.author !== null &&
        region.some((x) => {
          const r = m.res[x];
          if (!r || r.source < 0 || segs[x]!.depth < 2) return false;
          return msgs[r.source]!.author === m.author;
        });
      const nextSeg = k + 1 < segs.length ? segs[k + 1]! : null;
      const nextLine =
        nextSeg && nextSeg.kind === 'trailer'
          ? m.body.slice(nextSeg.start, nextSeg.end).split('\n')[0]!
          : null;
      const base = {
        inPosting,
        writerIsProposer,
        quote: inPosting ? null : quote,
        directlyUnderQuote,
        quoteAnswersWriter,
        nextLine,
        previous: null,
        quotedStances: [],
      };
      if (s.para !== null) {
        const text = m.body.slice(s.start, s.end);
        out.push({
          id: this.nextClaim++,
          msg: i,
          seg: k,
          kind: 'para',
          n: s.para,
          start: s.start,
          end: s.end,
          text,
          region,
          input: { ...base, text, kind: s.kind === 'changelog' ? 'changelog' : 'para' },
        });
      } else if (s.kind === 'trailer' && s.depth === 0) {
        let at = s.start;
        for (const line of m.body.slice(s.start, s.end).split('\n')) {
          const lineEnd = at + line.length;
          const clean = line.replace(/\r$/, '');
          if (clean.trim())
            out.push({
              id: this.nextClaim++,
              msg: i,
              seg: k,
              kind: 'trailer',
              n: ++trailerN,
              start: at,
              end: at + clean.length,
              text: clean,
              region,
              input: { ...base, text: clean, kind: 'trailer' },
            });
          at = lineEnd + 1;
        }
      }
    }
    for (const d of out) {
      const list = m.claimsBySeg.get(d.seg) ?? [];
      list.push(d.id);
      m.claimsBySeg.set(d.seg, list);
      // the head claim stands for the message as a whole: its first real paragraph (not an
      // in-body From: line, a greeting or a one-word line)
      if (
        m.headClaim < 0 &&
        d.kind === 'para' &&
        !/^\s*From:\s/.test(d.text) &&
        d.text.trim().split(/\s+/).length >= 4
      )
        m.headClaim = d.id;
    }
    if (m.headClaim < 0) m.headClaim = out.find((d) => d.kind === 'para')?.id ?? -1;
    return out;
  }

  /** The text of the shallowest quote segments of a region, markers stripped (the last two). */
  private quoteText(m: TMsg, region: number[]): string {
    let min = Infinity;
    for (const x of region) if (m.segments[x]!.kind === 'quote') min = Math.min(min, m.segments[x]!.depth);
    const parts = region
      .filter((x) => m.segments[x]!.kind === 'quote' && m.segments[x]!.depth === min)
      .slice(-2);
    return parts
      .map((x) => {
        const s = m.segments[x]!;
        return m.body
          .slice(s.start, s.end)
          .split('\n')
          .map((l) => stripQuote(l))
          .join('\n');
      })
      .join('\n');
  }

  /** The claims a draft replies to (claim id → evidence): what its quote reproduces. */
  private targetsOf(msgs: TMsg[], d: ClaimDraft): Map<number, string> {
    const m = msgs[d.msg]!;
    const targets = new Map<number, string>();
    if (!isPosting(m)) {
      let min = Infinity;
      for (const x of d.region) min = Math.min(min, m.segments[x]!.depth);
      // The text right above the claim is what it answers: walk the region's shallowest quoted
      // segments from the last one up until one resolves to claims. A trailer (an Acked-by under
      // a whole quoted patch) answers the message as a whole: its head claim.
      const shallow = d.region.filter((x) => m.segments[x]!.depth === min).reverse();
      for (const x of shallow) {
        const r = m.res[x];
        if (!r || r.source < 0) continue;
        const src = msgs[r.source]!;
        if (src.ghost) continue;
        if (d.kind === 'trailer') {
          if (src.headClaim >= 0) targets.set(src.headClaim, 'trailer under a quote');
          break;
        }
        for (const y of [r.segment, ...r.alsoSegments]) {
          if (y < 0) continue;
          for (const c of src.claimsBySeg.get(y) ?? [])
            if (targets.size < MAX_TARGETS && !targets.has(c))
              targets.set(c, `quote ${r.method} ${r.coverage.toFixed(2)}`);
        }
        if (!targets.size && src.headClaim >= 0) {
          const seg = r.segment >= 0 ? src.segments[r.segment]! : null;
          targets.set(src.headClaim, `quotes ${seg ? seg.kind : 'text'}${seg?.file ? ' ' + seg.file : ''}`);
        }
        if (targets.size) break;
      }
      if (!targets.size && m.parent >= 0 && (d.kind === 'trailer' || !d.region.length)) {
        const p = msgs[m.parent]!;
        if (!p.ghost && p.headClaim >= 0)
          targets.set(p.headClaim, d.kind === 'trailer' ? 'trailer in reply' : 'reply without quote');
      }
    }
    targets.delete(d.id);
    return targets;
  }

  private edgesAndTopics(d: ClaimDraft): void {
    const stance = (d as { final?: Stance }).final ?? d.stance!;
    const relation = relationOf(stance);
    for (const [dst, ev] of d.targets!) this.tables.insertEdge(d.id, dst, relation, ev);
    // topics: named in the claim, or in the quote it answers (greetings, sign-offs, change logs
    // and trailers carry none worth listing)
    if (stance === 'neutral' || d.kind === 'trailer') return;
    for (const t of topicsOf(d.text, this.topics)) this.tables.insertTopic(d.id, t, 'text');
    if (d.input.quote) {
      // several paragraphs usually answer the same quote: match it once
      let qt = this.quoteTopics.get(d.input.quote);
      if (!qt) {
        if (this.quoteTopics.size > 1000) this.quoteTopics.clear();
        this.quoteTopics.set(d.input.quote, (qt = topicsOf(d.input.quote, this.topics)));
      }
      for (const t of qt) this.tables.insertTopic(d.id, t, 'quote');
    }
  }
}

/** A posting: a patch, cover letter or thread-opening message rather than a reply. */
function isPosting(m: TMsg): boolean {
  if (m.ghost) return false;
  if (m.isReply) return false;
  return m.isPatch || m.parent < 0;
}

function prefix60(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 60);
}
