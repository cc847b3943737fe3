// The graph read API (src/graph/query.ts) over the real 2020 memory.reclaim thread
// (test/fixtures/mbox/reclaim-2020.mbox: 28 messages, 5 people, one patch), ingested by the real
// pipeline. Thread shape and authors are held against a naive header reading of the mbox
// (test/helpers/mbox-oracle.ts); quoted texts were copied by hand from the mail.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ingestedDb } from '../helpers/archive.ts';
import { oracleMessages, oracleOrder } from '../helpers/mbox-oracle.ts';
import type { Db } from '../../src/store/db.ts';
import { UserError } from '../../src/util/errors.ts';
import {
  claimKey,
  exportClaimRows,
  findPeople,
  findSeries,
  listClaims,
  messageTopics,
  parseClaimKey,
  personClaims,
  resolveClaim,
  seriesThreadIds,
  seriesView,
  threadIdOf,
  threadSubject,
  threadView,
  topicMessages,
} from '../../src/graph/query.ts';
import { RECLAIM_MBOX as MBOX, RECLAIM_ROOT as ROOT, HOCKO_FIRST as HOCKO } from '../helpers/fixture-ids.ts';

const MAIL = oracleMessages(MBOX);

let db: Db;
let cleanup: () => void;
before(async () => {
  ({ db, cleanup } = await ingestedDb([MBOX]));
});
after(() => cleanup());

describe('claim keys', () => {
  it('writes and reads the two key forms', () => {
    assert.equal(claimKey(HOCKO, 'para', 3), `${HOCKO}#p3`);
    assert.equal(claimKey(HOCKO, 'trailer', 1), `${HOCKO}#t1`);
    assert.deepEqual(parseClaimKey(`${HOCKO}#p3`), { messageId: HOCKO, kind: 'para', n: 3 });
    assert.deepEqual(parseClaimKey(`claim:<${HOCKO}>#t12`), { messageId: HOCKO, kind: 'trailer', n: 12 });
    assert.deepEqual(parseClaimKey(`  msg:${HOCKO}#p1 `), { messageId: HOCKO, kind: 'para', n: 1 });
  });

  it('round-trips every claim key of the archive', () => {
    for (const c of listClaims(db, {})) {
      assert.equal(c.key, claimKey(c.messageId, c.kind, c.n));
      assert.deepEqual(parseClaimKey(c.key), { messageId: c.messageId, kind: c.kind, n: c.n });
    }
  });

  it('refuses what is not a key', () => {
    for (const bad of [
      '',
      '#p1',
      HOCKO,
      `${HOCKO}#`,
      `${HOCKO}#p`,
      `${HOCKO}#x1`,
      `${HOCKO}#p-1`,
      `no-at-sign#p1`,
      `a b@c#p1`,
      `${HOCKO}#p1#p2`,
    ])
      assert.equal(parseClaimKey(bad), null, JSON.stringify(bad));
  });
});

describe('threads', () => {
  it('finds the thread from any Message-ID in it, with or without brackets, or from its id', () => {
    const t = threadIdOf(db, ROOT);
    for (const m of MAIL) assert.equal(threadIdOf(db, m.messageId), t);
    assert.equal(threadIdOf(db, `<${HOCKO}>`), t);
    assert.equal(threadIdOf(db, String(t)), t);
    assert.equal(threadSubject(db, t), '[PATCH] memcg: introduce per-memcg reclaim interface');
  });

  it('says which id it did not find', () => {
    assert.throws(
      () => threadIdOf(db, 'nobody@example.invalid'),
      (e: unknown) => e instanceof UserError && /nobody@example\.invalid/.test(e.message),
    );
    assert.throws(() => threadIdOf(db, '999999'), UserError);
  });

  it('lists the 28 messages in reply order, with the depth and parent the headers give', () => {
    const v = threadView(db, HOCKO);
    assert.equal(v.subject, '[PATCH] memcg: introduce per-memcg reclaim interface');
    const want = oracleOrder(MAIL);
    assert.equal(want.length, 28);
    assert.deepEqual(
      v.messages.map((m) => ({ id: m.messageId, depth: m.depth })),
      want,
    );
    const parent = new Map(MAIL.map((m) => [m.messageId, m.inReplyTo]));
    for (const m of v.messages) {
      assert.equal(m.parentId, parent.get(m.messageId));
      assert.equal(m.ghost, false);
    }
  });

  it('opens with the patch, then SeongJae Park three deep, then Michal Hocko', () => {
    const v = threadView(db, ROOT, { claims: false });
    const head = v.messages.slice(0, 5).map((m) => [m.author, m.depth]);
    assert.deepEqual(head, [
      ['Shakeel Butt', 0],
      ['SeongJae Park', 1],
      ['Shakeel Butt', 2],
      ['SeongJae Park', 3],
      ['Michal Hocko', 1],
    ]);
    assert.ok(
      v.messages.every((m) => m.claims.length === 0),
      'claims: false leaves claims out',
    );
  });

  it('gives each message its own segments in body order', () => {
    const m = threadView(db, ROOT).messages.find((x) => x.messageId === HOCKO)!;
    const seqs = m.segments.map((s) => s.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    const own = m.segments.filter((s) => s.kind === 'own').map((s) => s.text);
    assert.ok(own.some((t) => t.startsWith('As those are presumably in the same cgroup')));
    assert.ok(own.some((t) => t.startsWith('To the feature itself, I am not yet convinced')));
    const quote = m.segments.find((s) => s.kind === 'quote')!;
    assert.match(quote.text, /Introduce an memcg interface to trigger memory reclaim/);
    assert.equal(quote.source?.messageId, ROOT, 'the quote is traced to the patch it quotes');
  });
});

describe('claims', () => {
  it("resolves Michal Hocko's third paragraph to its text and author", () => {
    const c = resolveClaim(db, `${HOCKO}#p3`)!;
    assert.ok(c.text.startsWith('To the feature itself, I am not yet convinced we want to have a feature'));
    assert.ok(c.text.trimEnd().endsWith('and who knows what\nelse.'));
    assert.equal(c.author, 'Michal Hocko');
    assert.equal(c.kind, 'para');
    assert.equal(c.key, `${HOCKO}#p3`);
    assert.equal(resolveClaim(db, `${HOCKO}#p99`), null);
    assert.equal(resolveClaim(db, 'not a key'), null);
  });

  it('has no paragraph for the signature or the quoted patch', () => {
    const own = listClaims(db, { thread: HOCKO }).filter((c) => c.messageId === HOCKO && c.kind === 'para');
    assert.deepEqual(
      own.map((c) => c.text.slice(0, 20)),
      ['As those are presumab', 'I am also more intere', 'To the feature itself'].map((s) => s.slice(0, 20)),
    );
  });

  it('filters by author (name part or address) to exactly that person’s messages', () => {
    const hocko = new Set(MAIL.filter((m) => m.fromAddr === 'mhocko@suse.com').map((m) => m.messageId));
    assert.equal(hocko.size, 6);
    const byName = listClaims(db, { author: 'hocko' });
    const byAddr = listClaims(db, { author: 'mhocko@suse.com' });
    assert.ok(byName.length > 0);
    assert.deepEqual(
      byName.map((c) => c.key),
      byAddr.map((c) => c.key),
    );
    for (const c of byName) assert.ok(hocko.has(c.messageId), c.key);
    assert.deepEqual(new Set(byName.map((c) => c.messageId)), hocko);
  });

  it('refuses an author nobody matches, naming it', () => {
    assert.throws(
      () => listClaims(db, { author: 'Linus Torvalds' }),
      (e: unknown) => e instanceof UserError && e.message.includes('Linus Torvalds'),
    );
  });

  it('returns claims oldest first, honours the limit and the confidence floor', () => {
    const all = listClaims(db, {});
    const dates = all.map((c) => c.date ?? '');
    assert.deepEqual(dates, [...dates].sort());
    assert.equal(listClaims(db, { limit: 7 }).length, 7);
    const sure = listClaims(db, { minConfidence: 0.9 });
    assert.ok(sure.every((c) => c.confidence >= 0.9));
    assert.equal(sure.length, all.filter((c) => c.confidence >= 0.9).length);
  });

  it('every edge is seen from both ends', () => {
    const all = listClaims(db, {});
    const byKey = new Map(all.map((c) => [c.key, c]));
    for (const c of all)
      for (const e of c.repliesTo) {
        const d = byKey.get(e.key)!;
        assert.ok(d, `${c.key} → ${e.key}`);
        assert.ok(d.repliedBy.some((b) => b.key === c.key && b.relation === e.relation));
      }
  });

  it('filters by stance and status to claims that have them', () => {
    for (const c of listClaims(db, { stance: 'asks' })) assert.equal(c.stance, 'asks');
    for (const c of listClaims(db, { status: 'open' })) assert.equal(c.status?.status, 'open');
  });

  it('exports the same claims, in message order, with the same text', () => {
    const t = threadIdOf(db, ROOT);
    const ex = exportClaimRows(db, [t]);
    assert.equal(ex.length, listClaims(db, {}).length);
    assert.deepEqual(exportClaimRows(db, null).length, ex.length);
    const r = ex.find((c) => c.messageId === HOCKO && c.kind === 'para' && c.n === 3)!;
    assert.equal(r.text, resolveClaim(db, `${HOCKO}#p3`)!.text);
    assert.equal(r.subject, 'Re: [PATCH] memcg: introduce per-memcg reclaim interface');
  });
});

describe('people', () => {
  it('finds a person by a name part, an address or an id', () => {
    const [hannes] = findPeople(db, 'hannes@cmpxchg.org');
    assert.ok(hannes !== undefined);
    assert.deepEqual(findPeople(db, 'Johannes'), [hannes]);
    assert.deepEqual(findPeople(db, 'weiner'), [hannes]);
    assert.deepEqual(findPeople(db, '12345'), [12345]);
    assert.deepEqual(findPeople(db, 'nobody-here'), []);
  });

  it("lists only a person's proposals, objections and concessions", () => {
    const [shakeel] = findPeople(db, 'shakeelb@google.com');
    const rs = personClaims(db, shakeel!);
    assert.ok(rs.length > 0);
    for (const r of rs) assert.ok(['objects-to', 'concedes', 'proposes'].includes(r.stance), r.stance);
    const shakeelMail = new Set(MAIL.filter((m) => m.fromName === 'Shakeel Butt').map((m) => m.messageId));
    for (const r of rs) assert.ok(shakeelMail.has(r.mid), r.mid);
  });
});

describe('series', () => {
  it('finds the one-patch series by the patch, a reply in its thread, or a title part', () => {
    const ids = findSeries(db, ROOT);
    assert.equal(ids.length, 1);
    assert.deepEqual(findSeries(db, `<${HOCKO}>`), ids);
    assert.deepEqual(findSeries(db, 'per-memcg reclaim'), ids);
    assert.deepEqual(findSeries(db, String(ids[0])), ids);
    assert.deepEqual(findSeries(db, 'no such title anywhere'), []);
  });

  it('shows one posting, v1 by Shakeel Butt, of one part', () => {
    const id = findSeries(db, ROOT)[0]!;
    const s = seriesView(db, id)!;
    assert.equal(s.author, 'Shakeel Butt');
    assert.equal(s.postings.length, 1);
    const p = s.postings[0]!;
    assert.equal(p.version, 1);
    assert.equal(p.isRfc, false);
    assert.equal(p.isResend, false);
    assert.deepEqual(
      p.parts.map((x) => [x.messageId, x.part, x.total, x.isCover]),
      [[ROOT, 1, 1, false]],
    );
    assert.equal(p.replies, 27);
    assert.deepEqual(s.commits, []);
    assert.deepEqual(seriesThreadIds(db, id), [threadIdOf(db, ROOT)]);
    assert.equal(seriesView(db, id + 1000), null);
  });
});

describe('facets', () => {
  it('has each (message, topic) pair once, and only real messages', () => {
    const pairs = messageTopics(db).map((r) => `${r.m} ${r.v}`);
    assert.equal(new Set(pairs).size, pairs.length);
    const tm = topicMessages(db);
    assert.equal(new Set(tm.map((r) => `${r.m} ${r.topic}`)).size, tm.length);
    const t = threadIdOf(db, ROOT);
    assert.ok(tm.every((r) => r.threadId === t && r.topic === r.topic.toLowerCase()));
  });
});
