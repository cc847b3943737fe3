// The argument map of a thread (src/site/pages/threadmap.ts) on the real 2020 memory.reclaim thread,
// built by the real ingest, checked against plain SQL over claim_rows, edges and objections: the
// objections it counts, one node per claim (an objection drawn as one wherever it is met), each
// objection ending in its outcome, and the page with its JSON twin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ingestedDb, rows } from '../../helpers/archive.ts';
import { siteContext } from '../../helpers/site.ts';
import type { SiteContext } from '../../../src/site/context.ts';
import type { ThreadRow } from '../../../src/store/site-data.ts';
import { MAX_OBJECTIONS, MAX_REPLIES, threadMap, threadMapPages } from '../../../src/site/pages/threadmap.ts';
import { urls } from '../../../src/site/urls.ts';
import { RECLAIM_MBOX } from '../../helpers/fixture-ids.ts';

let ctx: SiteContext;
let t: ThreadRow;
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([RECLAIM_MBOX]);
  cleanup = f.cleanup;
  ctx = siteContext(f.db);
  t = ctx.data.threads()[0]!;
});
after(() => cleanup());

/** Paragraph objections of the thread that object to a proposal or an alternative, per SQL. */
const objectionIds = (): number[] =>
  rows<{ id: number }>(
    ctx.data.db,
    `SELECT DISTINCT c.id FROM claim_rows c JOIN messages m ON m.id = c.message_id
     JOIN edges e ON e.src_claim_id = c.id JOIN claim_rows d ON d.id = e.dst_claim_id
     WHERE m.thread_id = ? AND c.kind = 'para' AND c.stance = 'objects-to'
       AND e.relation = 'objects-to' AND d.stance IN ('proposes', 'proposes-alternative')`,
    t.id,
  ).map((r) => r.id);

describe('threadMap', () => {
  it('counts the objections to proposals and draws at most MAX_OBJECTIONS of them', () => {
    const m = threadMap(ctx, t, urls.threadMap(t.rootMessageId))!;
    const want = objectionIds();
    assert.ok(want.length > 0, "Michal Hocko's objections to the posting");
    assert.equal(m.objections, want.length);
    const drawn = m.nodes.filter((n) => n.kind === 'objection' && want.includes(Number(n.id.slice(1))));
    assert.equal(drawn.length, Math.min(want.length, MAX_OBJECTIONS));
  });

  it('draws each claim once, and every objection into the outcome its status names', () => {
    const m = threadMap(ctx, t, urls.threadMap(t.rootMessageId))!;
    const ids = m.nodes.map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    const status = new Map(
      // a decision record's words for the status win over the rules' status
      rows<{ id: number; s: string }>(
        ctx.data.db,
        'SELECT claim_id AS id, COALESCE(record_status, status) AS s FROM objections',
      ).map((r) => [`c${r.id}`, r.s]),
    );
    assert.ok(
      m.nodes.some((n) => n.kind === 'objection' && n.status !== 'open'),
      'some objections ended other than open',
    );
    for (const n of m.nodes.filter((x) => x.kind === 'objection')) {
      const st = status.get(n.id) ?? 'open';
      assert.equal(n.status, st.startsWith('addressed') ? 'addressed' : st.replace(/[^a-z]+/g, '-'), n.id);
      const outs = m.edges.filter((e) => e.from === n.id && e.to.startsWith('status-'));
      assert.deepEqual(
        outs.map((e) => e.to),
        [`status-${n.status}`],
        n.id,
      );
      assert.ok(m.nodes.some((x) => x.id === `status-${n.status}` && x.kind === 'outcome'));
    }
  });

  it('links each objection to at most MAX_REPLIES replies, labelled by their relation', () => {
    const m = threadMap(ctx, t, urls.threadMap(t.rootMessageId))!;
    const kinds = new Map(m.nodes.map((n) => [n.id, n.kind]));
    for (const o of m.nodes.filter((n) => n.kind === 'objection')) {
      // (an edge without a label runs from what the objection objects to, itself an objection)
      const replies = m.edges.filter((e) => e.from === o.id && 'label' in e);
      assert.ok(replies.length <= MAX_REPLIES, o.id);
      for (const r of replies) {
        const rel = rows<{ r: string }>(
          ctx.data.db,
          'SELECT relation AS r FROM edges WHERE src_claim_id = ? AND dst_claim_id = ? LIMIT 1',
          Number(r.to.slice(1)),
          Number(o.id.slice(1)),
        )[0]?.r;
        assert.equal(r.label, rel ?? '', `${o.id} → ${r.to}`);
        assert.ok(['response', 'objection'].includes(kinds.get(r.to)!));
      }
    }
    assert.ok(m.edges.filter((e) => 'label' in e).length > 0, 'objections have replies');
    for (const n of m.nodes.filter((x) => x.kind !== 'outcome'))
      assert.match(
        n.href ?? '',
        /^\.\.\/\.\.\/t\/.+\.html#/,
        'each box links to its paragraph in the thread',
      );
  });
});

describe('threadMapPages', () => {
  it('writes the map page and its JSON twin, which holds the same nodes and edges', () => {
    const path = urls.threadMap(t.rootMessageId);
    const pages = threadMapPages(ctx, t);
    assert.deepEqual(
      pages.map((p) => p.path),
      [path, urls.json(path)],
    );
    const j = JSON.parse(String(pages[1]!.content)) as { kind: string; objections: number; nodes: unknown[] };
    const m = threadMap(ctx, t, path)!;
    assert.equal(j.kind, 'thread-argument-map');
    assert.equal(j.objections, m.objections);
    assert.deepEqual(j.nodes, JSON.parse(JSON.stringify(m.nodes)));
    assert.match(
      String(pages[0]!.content),
      /<h1>Argument map: \[PATCH\] memcg: introduce per-memcg reclaim interface<\/h1>/,
    );
  });

  it('writes nothing for a thread without objections', () => {
    ctx.data.db.exec("UPDATE claim_rows SET stance = 'neutral' WHERE stance = 'objects-to'");
    assert.equal(threadMap(ctx, t, 'x'), null);
    assert.deepEqual(threadMapPages(ctx, t), []);
  });
});
