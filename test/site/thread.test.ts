// A thread prepared for display (src/site/thread.ts), on the real 2020 memory.reclaim thread: the
// reading order and depths are held against a naive header reading of the mbox, the participants
// against a count of its From lines, and quote links against what Michal Hocko's first reply
// quotes (the "Similarly there are cases…" paragraph of the patch mail, read by hand). Hostile
// trees (a 5,000-deep chain, a parent cycle) are made of the thread's own rows re-linked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ingestedDb } from '../helpers/archive.ts';
import { oracleMessages, oracleOrder } from '../helpers/mbox-oracle.ts';
import { SiteData, type MessageRow } from '../../src/store/site-data.ts';
import {
  buildThreadView,
  displayName,
  loadThread,
  MAX_DEPTH,
  paraKey,
  type ThreadView,
} from '../../src/site/thread.ts';
import { RECLAIM_MBOX as MBOX, RECLAIM_ROOT as ROOT, HOCKO_FIRST as HOCKO } from '../helpers/fixture-ids.ts';

const MAIL = oracleMessages(MBOX);

let data: SiteData;
let rows: MessageRow[];
let view: ThreadView;
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([MBOX]);
  cleanup = f.cleanup;
  data = new SiteData(f.db);
  const t = data.threads()[0]!;
  rows = data.threadMessages(t.id);
  view = loadThread(data, t.id, t.rootMessageId);
});
after(() => cleanup());

describe('the real thread', () => {
  it('reads in reply order with the depths the headers give', () => {
    assert.deepEqual(
      view.order.map((m) => ({ id: m.row.messageId, depth: m.depth })),
      oracleOrder(MAIL),
    );
    assert.equal(view.rootMessageId, ROOT);
    assert.equal(view.byMessageId.get(HOCKO)!.row.messageId, HOCKO);
  });

  it('keeps each message’s ancestors, nearest first', () => {
    const parent = new Map(MAIL.map((m) => [m.messageId, m.inReplyTo]));
    for (const m of view.order) {
      const want: string[] = [];
      for (let p = parent.get(m.row.messageId); p; p = parent.get(p)) want.push(p);
      assert.deepEqual(
        m.ancestors.map((a) => view.byId.get(a)!.row.messageId),
        want,
      );
    }
  });

  it('counts the participants, most messages first', () => {
    const counts = new Map<string, number>();
    for (const m of MAIL) counts.set(m.fromName, (counts.get(m.fromName) ?? 0) + 1);
    const want = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    assert.deepEqual(
      view.participants.map((p) => [p.name, p.count]),
      want,
    );
  });

  it('links the paragraph Michal Hocko answers to his reply', () => {
    const root = view.byMessageId.get(ROOT)!;
    const n =
      root.parsed.paragraphs.findIndex((p) => p.startsWith('Similarly there are cases of single process')) +
      1;
    assert.ok(n > 0);
    assert.ok(view.quotedBy.get(paraKey(ROOT, n))!.includes(view.byMessageId.get(HOCKO)!.row.id));
  });

  it('carries the graph’s stances of own paragraphs, keyed by message and paragraph', () => {
    assert.ok(view.claims.size > 0);
    for (const k of view.claims.keys()) {
      const [mid, para] = k.split('\u0000');
      const m = view.byMessageId.get(mid!);
      assert.ok(m, mid);
      assert.ok(Number(para) >= 1 && Number(para) <= m.parsed.paragraphs.length, k);
    }
  });

  it('gives the same order without the graph', () => {
    const plain = buildThreadView(ROOT, [...rows].reverse());
    assert.deepEqual(
      plain.order.map((m) => m.row.messageId),
      view.order.map((m) => m.row.messageId),
    );
    assert.equal(plain.claims.size, 0);
  });
});

describe('hostile trees', () => {
  it('caps the depth of a 5,000-message chain without recursion', () => {
    const base = rows[0]!;
    const chain: MessageRow[] = Array.from({ length: 5000 }, (_, i) => ({
      ...base,
      id: i + 1,
      messageId: `chain-${i}@test.invalid`,
      parentId: i === 0 ? null : i,
      date: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(),
      body: 'x',
    }));
    const v = buildThreadView('chain-0@test.invalid', chain);
    assert.equal(v.order.length, 5000);
    assert.equal(Math.max(...v.order.map((m) => m.depth)), MAX_DEPTH);
    assert.equal(v.order[4999]!.ancestors.length, 64, 'ancestors are kept to 64');
  });

  it('shows every message of a parent cycle, and one that is its own parent', () => {
    const [a, b, c] = rows;
    const cyc: MessageRow[] = [
      { ...a!, parentId: b!.id },
      { ...b!, parentId: a!.id },
      { ...c!, parentId: c!.id },
    ];
    const v = buildThreadView(a!.messageId, cyc);
    assert.deepEqual(new Set(v.order.map((m) => m.row.id)), new Set([a!.id, b!.id, c!.id]));
  });
});

describe('display names', () => {
  it('say who sent a message, or why nobody is named', () => {
    assert.equal(
      displayName({ fromName: 'Michal Hocko', fromAddr: 'mhocko@suse.com', isGhost: false }),
      'Michal Hocko',
    );
    assert.equal(
      displayName({ fromName: '  ', fromAddr: 'mhocko@suse.com', isGhost: false }),
      'mhocko@suse.com',
    );
    assert.equal(displayName({ fromName: null, fromAddr: null, isGhost: false }), '(unknown sender)');
    assert.equal(
      displayName({ fromName: 'Michal Hocko', fromAddr: null, isGhost: true }),
      '(not in the archive)',
    );
  });
});
