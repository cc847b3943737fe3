// The argument graph over the bundled data set (data/: 862 archive messages of the story threads,
// the corpus copies and commit texts), built by the real ingest pipeline. Every expected value
// was written by hand from reading the mail named in it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { row, rows, ingestedDb } from '../helpers/archive.ts';
import { fixture } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';
import { findSeries, listClaims, resolveClaim, seriesView } from '../../src/graph/query.ts';
import { ruleIdOf } from '../../src/graph/stance.ts';

let db: Db;
let cleanup: () => void;

before(async () => {
  ({ db, cleanup } = await ingestedDb(['data', fixture('graph', 'nack-2019.mbox')]));
});
after(() => cleanup());

/** The relation and evidence of the edge between two claims, or undefined. */
function edge(from: string, to: string): { relation: string; evidence: string } | undefined {
  return row(
    db,
    `SELECT e.relation, e.evidence FROM edges e JOIN claims s ON s.id = e.src_claim_id JOIN claims d ON d.id = e.dst_claim_id
     WHERE s.key = ? AND d.key = ?`,
    from,
    to,
  );
}

describe('series: memory.reclaim from the 2020 posting to commit 94968384dde1', () => {
  it('chains v1 (2020), the 2022 RESEND and v2–v5 (retitled "proactive reclaim") into one series', () => {
    const ids = findSeries(db, '94968384dde1');
    assert.equal(ids.length, 1);
    const s = seriesView(db, ids[0]!)!;
    const heads = s.postings.map((p) => [
      p.date!.slice(0, 10),
      p.version,
      p.isResend,
      (p.parts.find((x) => x.isCover) ?? p.parts[0]!).messageId,
    ]);
    assert.deepEqual(heads, [
      ['2020-09-09', 1, false, '20200909215752.1725525-1-shakeelb@google.com'],
      ['2022-03-31', 1, true, '20220331084151.2600229-1-yosryahmed@google.com'],
      ['2022-04-07', 2, false, '20220407224244.1374102-1-yosryahmed@google.com'],
      ['2022-04-08', 3, false, '20220408045743.1432968-1-yosryahmed@google.com'],
      ['2022-04-21', 4, false, '20220421234426.3494842-1-yosryahmed@google.com'],
      ['2022-04-25', 5, false, '20220425190040.2475377-1-yosryahmed@google.com'],
    ]);
    // the resend changed author (Yosry carried Shakeel's patch, with his Signed-off-by)
    assert.equal(s.postings[1]!.chainedBy, 'title');
    // v2 is a 0/4 cover + 4 parts; its 1/4 keeps the 2020 title
    assert.deepEqual(
      s.postings[2]!.parts.map((p) => [p.part, p.total, p.isCover]),
      [
        [0, 4, true],
        [1, 4, false],
        [2, 4, false],
        [3, 4, false],
        [4, 4, false],
      ],
    );
    assert.equal(s.postings[2]!.parts[1]!.title, 'memcg: introduce per-memcg reclaim interface');
  });

  it('links the commit to v5 1/4 and does not swallow a later patch that only cites the series', () => {
    const s = seriesView(db, findSeries(db, '94968384dde1')[0]!)!;
    assert.equal(s.commits.length, 1);
    const c = s.commits[0]!;
    assert.equal(c.hash, '94968384dde15d48263bfc59d280cd71b1259d8c');
    assert.deepEqual(c.links.map((l) => [l.messageId, l.method]).sort(), [
      ['20220425190040.2475377-2-yosryahmed@google.com', 'posted-as'],
      ['20220425190040.2475377-2-yosryahmed@google.com', 'subject'],
    ]);
    // Vaibhav Jain's May 2022 patch links to the v5 thread as related work, not as a version
    const all = s.postings.flatMap((p) => p.parts.map((x) => x.messageId));
    assert.ok(!all.includes('20220518223815.809858-1-vaibhav@linux.ibm.com'));
  });

  it('shows trailers given on a version and carried into the next (Acked-by Johannes Weiner on the resend)', () => {
    const s = seriesView(db, findSeries(db, '94968384dde1')[0]!)!;
    const resend = s.postings[1]!;
    assert.ok(
      resend.trailers.some(
        (t) =>
          t.name === 'Acked-by' &&
          t.person === 'Johannes Weiner' &&
          !t.carried &&
          t.messageId === 'YkYAFxTgo4OsL4q4@cmpxchg.org',
      ),
    );
    const v2part1 = s.postings[2]!.trailers.filter((t) => t.part === 1 && t.carried).map((t) => t.person);
    assert.ok(v2part1.includes('Johannes Weiner') && v2part1.includes('Michal Hocko'));
  });
});

describe('series: nodes= from the RFC to its revert', () => {
  it('chains RFC V1 (retitled), RFC v2, v3 and the revert, with both commits', () => {
    const ids = findSeries(db, 'add nodes= arg to memory.reclaim');
    const s = ids.map((i) => seriesView(db, i)!).sort((a, b) => b.postings.length - a.postings.length)[0]!;
    assert.deepEqual(
      s.postings.map((p) => [p.role, p.version, p.isRfc, p.chainedBy, p.parts[0]!.messageId]),
      [
        ['patch', 1, true, null, '20221122203850.2765015-1-almasrymina@google.com'],
        ['patch', 2, true, 'similar-title', '20221130020328.1009347-1-almasrymina@google.com'],
        ['patch', 3, false, 'title', '20221202223533.1785418-1-almasrymina@google.com'],
        ['revert', 1, false, 'revert-of', 'Y5xASNe1x8cusiTx@dhcp22.suse.cz'],
      ],
    );
    // RFC V1 was four patches; the subjects of 1 and 2 carry no N/M ("[RFC PATCH V1] mm: Disable
    // demotion…", "[RFC PATCH v1] mm: Add memory.demote…"), 3 and 4 say 3/4 and 4/4. All belong
    // to one posting, and the unnumbered two take their number from git send-email's counter.
    assert.deepEqual(
      s.postings[0]!.parts.map((p) => [p.part, p.total, p.messageId]),
      [1, 2, 3, 4].map((n) => [n, 4, `20221122203850.2765015-${n}-almasrymina@google.com`]),
    );
    const commits = Object.fromEntries(
      s.commits.map((c) => [c.hash.slice(0, 12), c.links.map((l) => l.messageId)]),
    );
    assert.ok(commits['12a5d3955227']!.includes('20221202223533.1785418-1-almasrymina@google.com'));
    assert.ok(commits['55ab834a86a9']!.includes('Y5xASNe1x8cusiTx@dhcp22.suse.cz'));
  });

  it('chains swappiness= v1 … v6 (covers 0/1 and 0/2) and links 68cd9050d871 to v6 2/2', () => {
    const s = seriesView(db, findSeries(db, '68cd9050d871')[0]!)!;
    assert.deepEqual(
      s.postings.map((p) => p.version),
      [1, 2, 3, 4, 5, 6],
    );
    assert.ok(
      s.commits[0]!.links.some((l) => l.messageId === '20240103164841.2800183-3-schatzberg.dan@gmail.com'),
    );
  });
});

describe('claims, edges and relations (one real instance of each relation)', () => {
  const cases: [string, string, string, string][] = [
    // [relation, from, to, what the mail says]
    [
      'objects-to',
      '20200227125011.GB39625@cmpxchg.org#p1',
      '2be6ac8d-e290-0a85-5cfa-084968a7fe36@linux.alibaba.com#p2',
      '"That doesn\'t sound right." under Yang Shi\'s accounting doubt',
    ],
    [
      'supports',
      'Ykdz7fiMFZeFltYy@cmpxchg.org#p1',
      '243A0156-D26A-47C9-982A-C8B0CDD69DA2@linux.dev#p2',
      '"Sounds good to me!" under Roman\'s docs-only resolution',
    ],
    [
      'asks',
      '20220331173350.1fe09370479a4a6f916b477d@linux-foundation.org#p2',
      '20220331084151.2600229-1-yosryahmed@google.com#p2',
      'Andrew asks a second question under the quoted diff (his first, p1, the record calls objection O12)',
    ],
    [
      'answers',
      'CAAPL-u-_Da0qe7h_o70HCz4gPtjT8_bjx4rVNdgKZh3KNruzpA@mail.gmail.com#p1',
      '20220331173350.1fe09370479a4a6f916b477d@linux-foundation.org#p1',
      'Wei Xu answers Andrew',
    ],
    [
      'concedes',
      'CAJD7tkYVpnf1+sa9vRAQCw5H0LUH6zE6_yhNAFwKF3sW0BLzEA@mail.gmail.com#p3',
      'YkXkA+Oh1Bx33PrU@carbon.dhcp.thefacebook.com#p3',
      '"I will add a test in v2" under Roman\'s request',
    ],
    [
      'proposes-alternative',
      '2025405d-c32b-338a-b668-48b07a34e4ef@huawei.com#p1',
      '20220331084151.2600229-1-yosryahmed@google.com#p2',
      '"how about add may_swap option?" under the quoted diff',
    ],
    [
      'acks',
      'YkYAFxTgo4OsL4q4@cmpxchg.org#t1',
      '20220331084151.2600229-1-yosryahmed@google.com#p2',
      'Acked-by: Johannes Weiner under the whole quoted patch',
    ],
    [
      'nacks',
      '20190615162004.GG657710@devbig004.ftw2.facebook.com#t1',
      '0f1be041f8de95603753ffe989bd25069efa13bb.camel@mengyan1223.wang#p1',
      'Nacked-by: Tejun Heo under the quoted patch',
    ],
    [
      'responds-to',
      'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com#p1',
      '20200922165527.GD12990@dhcp22.suse.cz#p1',
      'the seed\'s "Adding Minchan" under Michal\'s "Yes."',
    ],
    [
      'implements',
      '20221202223533.1785418-1-almasrymina@google.com#p12',
      '20221201213202.ycdaymwojd5plyrk@google.com#p1',
      'v3 changelog "as Shakeel and Muchun suggested" → Shakeel\'s nodemask_t* request',
    ],
    [
      'supersedes',
      '20220425190040.2475377-2-yosryahmed@google.com#p2',
      '20220421234426.3494842-2-yosryahmed@google.com#p2',
      'v5 1/4 repeats the v4 1/4 description paragraph',
    ],
  ];
  for (const [relation, from, to, what] of cases)
    it(`${relation}: ${what}`, () => {
      const e = edge(from, to);
      assert.ok(e, `edge ${from} → ${to}`);
      assert.equal(e.relation, relation);
    });

  it('a carried trailer acks the version it sits in, with the reply that gave it ("Added Michal\'s Ack" in nodes= v3)', () => {
    const e = row<{ relation: string; evidence: string; dst: string }>(
      db,
      `SELECT e.relation, e.evidence, d.key AS dst FROM edges e JOIN claims s ON s.id = e.src_claim_id
       JOIN claims d ON d.id = e.dst_claim_id WHERE s.key = ? AND e.evidence LIKE 'carried%'`,
      '20221202223533.1785418-1-almasrymina@google.com#t1',
    );
    assert.equal(e.relation, 'acks');
    assert.equal(e.dst, '20221202223533.1785418-1-almasrymina@google.com#p1');
    assert.equal(e.evidence, 'carried from v2: Y4i+6bjLGy/GF7uM@dhcp22.suse.cz');
  });

  it('resolves claim keys MESSAGE-ID#pN and #tN, with text, stance and edges', () => {
    const c = resolveClaim(db, 'claim:20221202223533.1785418-1-almasrymina@google.com#p12')!;
    assert.equal(c.kind, 'para');
    assert.match(c.text, /^v3:/);
    assert.equal(c.stance, 'neutral');
    // the model decided (the rules' id is kept in the reason): a change log stays neutral
    assert.equal(ruleIdOf(c.stanceReason), 'form.changelog');
    assert.match(c.stanceReason, /^model: p=0\.\d\d/);
    const t = resolveClaim(db, 'YkYAFxTgo4OsL4q4@cmpxchg.org#t1')!;
    assert.equal(t.text, 'Acked-by: Johannes Weiner <hannes@cmpxchg.org>');
    assert.equal(resolveClaim(db, 'YkYAFxTgo4OsL4q4@cmpxchg.org#p99'), null);
  });

  it('answers `claims --topic memory.high --stance objects-to` for the 2020 thread, each with a status', () => {
    const list = listClaims(db, {
      topic: 'memory.high',
      stance: 'objects-to',
      thread: '20200909215752.1725525-1-shakeelb@google.com',
    });
    assert.ok(list.length >= 5);
    for (const c of list) {
      assert.equal(c.stance, 'objects-to');
      assert.ok(c.topics.includes('memory.high'), c.key);
      assert.ok(
        c.status && ['addressed', 'rebutted', 'conceded', 'withdrawn', 'open'].includes(c.status.status),
        c.key,
      );
    }
    // Michal: "You are right that misconfigured limits can result in problems. But …", under
    // Shakeel's "We can already do all such things with memory.high interface"
    assert.ok(list.some((c) => c.key === '20200922114908.GZ12990@dhcp22.suse.cz#p6'));
  });

  it("curated overrides win in stance, keep the rules' stance, and say why", () => {
    const c = resolveClaim(db, '20200922114908.GZ12990@dhcp22.suse.cz#p4')!;
    assert.equal(c.stance, 'proposes-alternative');
    assert.match(c.stanceReason, /^override: the question carries a suggestion/);
    assert.equal(c.ruleStance, 'objects-to');
  });
});

describe('objection status', () => {
  it("a decision record wins over the state machine: Roman's blocking write (memory.reclaim O10) stays open", () => {
    // the rules read Yosry's "I will add a test in v2" as conceding it; the record says that
    // answered the selftest request (O13), and that nobody settled O10
    const o = row<{
      status: string;
      source: string;
      record_status: string;
      record: string;
      evidence: string;
    }>(
      db,
      `SELECT o.status, o.source, o.record_status, o.record, o.evidence FROM objections o JOIN claims c ON c.id = o.claim_id
       WHERE c.key = ?`,
      'YkXkA+Oh1Bx33PrU@carbon.dhcp.thefacebook.com#p3',
    );
    assert.deepEqual(
      [o.status, o.source, o.record_status, o.record],
      ['open', 'record', 'open', 'memory-reclaim O10'],
    );
    assert.match(o.evidence, /rules: conceded/);
  });

  it("a record closes an objection with its last settling message (memory.reclaim O1: Michal's ack)", () => {
    const c = resolveClaim(db, '20200921163055.GQ12990@dhcp22.suse.cz#p2')!;
    assert.equal(c.stance, 'objects-to');
    assert.equal(c.ruleStance, 'asks');
    assert.equal(c.stanceSource, 'record');
    assert.equal(c.status?.status, 'withdrawn');
    assert.equal(c.status?.recordStatus, 'conceded');
    assert.equal(c.status?.evidenceMessageId, 'YkcEMdsi9G5y8mX4@dhcp22.suse.cz');
    assert.equal(c.status?.evidenceKey, 'YkcEMdsi9G5y8mX4@dhcp22.suse.cz#p3');
    const ack = resolveClaim(db, 'YkcEMdsi9G5y8mX4@dhcp22.suse.cz#p3')!;
    assert.deepEqual([ack.stance, ack.ruleStance, ack.stanceSource], ['concedes', 'objects-to', 'record']);
    assert.equal(ack.status, null);
    // p1 is on another point (how flags would be added) and keeps the machine reading (the stance model's)
    assert.equal(resolveClaim(db, 'YkcEMdsi9G5y8mX4@dhcp22.suse.cz#p1')!.stanceSource, 'model');
  });

  it('addressed: Shakeel asks for a nodemask_t* (RFC v2), v3 changelog says it was done', () => {
    const o = row<{ status: string; evidence: string }>(
      db,
      'SELECT o.status, o.evidence FROM objections o JOIN claims c ON c.id = o.claim_id WHERE c.key = ?',
      '20221201213202.ycdaymwojd5plyrk@google.com#p1',
    );
    assert.equal(o.status, 'addressed');
    assert.match(o.evidence, /as Shakeel and Muchun suggested/);
  });

  it('every objection has one status; no reply and no later version means open', () => {
    const counts = rows<{ status: string; n: number }>(
      db,
      'SELECT status, COUNT(*) AS n FROM objections GROUP BY status',
    );
    const total = counts.reduce((a, c) => a + c.n, 0);
    const objections = row<{ n: number }>(
      db,
      "SELECT COUNT(*) AS n FROM claim_rows WHERE kind = 'para' AND stance IN ('objects-to', 'nacks', 'proposes-alternative')",
    ).n;
    assert.equal(total, objections);
    for (const s of ['addressed', 'rebutted', 'conceded', 'withdrawn', 'open'])
      assert.ok(
        counts.some((c) => c.status === s && c.n > 0),
        `some objection is ${s}`,
      );
  });
});
