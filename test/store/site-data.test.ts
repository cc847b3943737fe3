// The site's door to the archive (src/store/site-data.ts) on real data: Chris Down's 2019
// throttling thread (v3 answers v2, which is not in the file: a ghost root; 4 messages), the 2020
// memory.reclaim thread (28 messages) and the two corpus commit texts. Dates, names, counts and
// trailers were read off the mail; orders are held against the mbox headers (mbox-oracle.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, ingestedDb } from '../helpers/archive.ts';
import { oracleMessages } from '../helpers/mbox-oracle.ts';
import { SiteData } from '../../src/store/site-data.ts';
import {
  RECLAIM_MBOX as RECLAIM,
  RECLAIM_ROOT as ROOT,
  SJ_REVIEW as SJ,
  THROTTLE_MBOX as THROTTLE,
  THROTTLE_V3 as V3,
  THROTTLE_V4 as V4,
} from '../helpers/fixture-ids.ts';

const MAIL = [...oracleMessages(THROTTLE), ...oracleMessages(RECLAIM)];

let data: SiteData;
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([THROTTLE, RECLAIM, fixture('commits')]);
  cleanup = f.cleanup;
  data = new SiteData(f.db);
});
after(() => cleanup());

describe('threads and messages', () => {
  it('lists the two threads oldest first, the 2019 one under its missing v2', () => {
    assert.deepEqual(
      data.threads().map((t) => [t.rootMessageId, t.messageCount, t.firstDate, t.lastDate]),
      [
        ['20190410153449.GA14915@chrisdown.name', 4, '2019-05-01T18:41:04Z', '2019-07-23T20:50:26Z'],
        [ROOT, 28, '2020-09-09T21:57:52Z', '2020-10-08T21:09:17Z'],
      ],
    );
    const t = data.threads()[1]!;
    assert.equal(data.thread(t.id)?.subject, '[PATCH] memcg: introduce per-memcg reclaim interface');
    assert.equal(data.thread(-1), undefined);
  });

  it("gives a thread's messages by date, the undated ghost first", () => {
    const [throttle, reclaim] = data.threads();
    const tm = data.threadMessages(throttle!.id);
    assert.deepEqual(
      tm.map((m) => [m.messageId, m.isGhost]),
      [
        ['20190410153449.GA14915@chrisdown.name', true],
        [V3, false],
        ['20190507084419.GM31017@dhcp22.suse.cz', false],
        [V4, false],
        ['20190723205026.GB30522@cmpxchg.org', false],
      ],
    );
    const rm = data.threadMessages(reclaim!.id);
    assert.equal(rm.length, 28);
    const dates = rm.map((m) => m.date!);
    assert.deepEqual(dates, [...dates].sort());
  });

  it('reads a message as its headers say (dates in UTC)', () => {
    const m = data.message(ROOT)!;
    assert.equal(m.fromName, 'Shakeel Butt');
    assert.equal(m.fromAddr, 'shakeelb@google.com');
    assert.equal(m.date, '2020-09-09T21:57:52Z', 'Wed, 9 Sep 2020 14:57:52 -0700');
    assert.equal(m.subject, '[PATCH] memcg: introduce per-memcg reclaim interface');
    assert.deepEqual(
      [m.isGhost, m.dateApprox, m.htmlOnly, m.idKind, m.parentId],
      [false, false, false, 'header', null],
    );
    assert.equal(m.listId, 'cgroups.vger.kernel.org');
    assert.deepEqual(data.messageByRow(m.id), m);
    assert.equal(data.message('nobody@example.invalid'), undefined);
    const reply = data.message(SJ)!;
    assert.equal(reply.parentId, m.id);
    assert.deepEqual(
      data.refs(reply.id).filter((r) => r.kind === 'in-reply-to'),
      [{ kind: 'in-reply-to', seq: 0, messageId: ROOT }],
    );
  });

  it('finds Message-IDs by their start, and only by their start', () => {
    const want = MAIL.map((m) => m.messageId)
      .filter((id) => id.startsWith('CALvZod'))
      .sort();
    assert.equal(want.length, 11, "Shakeel Butt's Gmail replies");
    assert.deepEqual(data.messageIdsWithPrefix('CALvZod'), want);
    assert.deepEqual(data.messageIdsWithPrefix('%'), []);
    assert.deepEqual(data.messageIdsWithPrefix('_ALvZod'), []);
    assert.equal(data.messageIdsWithPrefix('').length, Math.min(50, MAIL.length + 1));
  });

  it('counts and walks every real message in date order, whatever the batch', () => {
    assert.equal(data.messageCount(), 32);
    const all = [...data.allMessages()].map((m) => m.messageId);
    assert.equal(all.length, 32);
    assert.deepEqual(
      [...data.allMessages(3)].map((m) => m.messageId),
      all,
    );
    assert.deepEqual(
      [...data.allMessages(1)].map((m) => m.messageId),
      all,
    );
    assert.deepEqual(new Set(all), new Set(MAIL.map((m) => m.messageId)));
    const raw = data.rawMessagesInPackOrder();
    assert.deepEqual(new Set(raw.map((r) => r.messageId)), new Set(all));
  });
});

describe('subjects, trailers and people', () => {
  it('parses the subjects of v1 and v4', () => {
    const s1 = data.subject(data.message(ROOT)!.id)!;
    assert.deepEqual(
      [s1.isPatch, s1.isReply, s1.revision, s1.title],
      [true, false, 1, 'memcg: introduce per-memcg reclaim interface'],
    );
    const s4 = data.subject(data.message(V4)!.id)!;
    assert.deepEqual([s4.isPatch, s4.revision], [true, 4]);
    assert.equal(data.subject(data.message(SJ)!.id)!.isReply, true);
  });

  it("reads v4's trailers in order: the sign-off, then the Cc lines", () => {
    const tr = data.trailers(data.message(V4)!.id).map((t) => `${t.name}: ${t.value}`);
    assert.equal(tr[0], 'Signed-off-by: Chris Down <chris@chrisdown.name>');
    assert.ok(tr.includes('Cc: Tejun Heo <tj@kernel.org>'));
    assert.ok(tr.includes('Cc: linux-mm@kvack.org'));
  });

  it('lists the authors by address, with their message counts', () => {
    const a = data.authors();
    const counts = new Map<string, number>();
    for (const m of MAIL) counts.set(m.fromName, (counts.get(m.fromName) ?? 0) + 1);
    assert.deepEqual(new Map(a.map((x) => [x.name!, x.messageCount])), counts);
    const addrs = a.map((x) => x.primaryAddr!);
    assert.deepEqual(addrs, [...addrs].sort());
    const hocko = a.find((x) => x.name === 'Michal Hocko')!;
    assert.equal(hocko.primaryAddr, 'mhocko@kernel.org', 'his first real address (2019)');
    assert.deepEqual(
      data.personThreads(hocko.id).map((t) => t.count),
      [6, 1],
    );
    assert.deepEqual(data.personNames(hocko.id), ['Michal Hocko']);
    assert.deepEqual(data.personIdsByName('michal hocko'), [hocko.id]);
    assert.deepEqual(data.personIdsByName('Michal Hocko'), [], 'the caller lower-cases');
  });
});

describe('commits', () => {
  it('lists the two corpus commits, undated first', () => {
    const c = data.commits();
    assert.deepEqual(
      c.map((x) => [x.hash, x.authorDate, x.complete]),
      [
        ['94968384dde15d48263bfc59d280cd71b1259d8c', null, false],
        ['55ab834a86a9934c4f17825c115f7dc16a89aae7', '2022-12-16T09:46:33Z', false],
      ],
    );
    assert.equal(data.commit('55ab834a86a9')?.subject, 'Revert "mm: add nodes= arg to memory.reclaim"');
    assert.equal(data.commit('0123456'), undefined);
  });
});
