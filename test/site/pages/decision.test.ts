// Decision pages (src/site/pages/decision.ts) for the small test record (test/helpers/records.ts),
// whose citations all point into the real 2020 memory.reclaim thread and the corpus commit
// 94968384dde1: Shakeel Butt's 21 Sep reply, paragraph 6, says limit reclaim "can still take 100s
// of usecs"; Michal Hocko raised O1 on 22 Sep and it was withdrawn in his 18:31 reply. Those are
// read off the mail; the pages must link and preview exactly them, and refuse what is not there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, ingestedDb } from '../../helpers/archive.ts';
import { testRecord } from '../../helpers/records.ts';
import { pageText, siteContext } from '../../helpers/site.ts';
import { readRecord, type DecisionRecord } from '../../../src/decisions/record.ts';
import { CitationResolver } from '../../../src/decisions/check.ts';
import { CitationError, citationHtml, decisionMap, decisionPages } from '../../../src/site/pages/decision.ts';
import type { SiteContext } from '../../../src/site/context.ts';
import { paragraphAnchor, urls } from '../../../src/site/urls.ts';
import { RECLAIM_ROOT as ROOT } from '../../helpers/fixture-ids.ts';

const SHAKEEL = 'CALvZod43VXKZ3StaGXK_EZG_fKcW3v3=cEYOWFwp4HNJpOOf8g@mail.gmail.com';
const RAISED = '20200922114908.GZ12990@dhcp22.suse.cz';
const SETTLED = '20200922183125.GG12990@dhcp22.suse.cz';

let ctx: SiteContext;
let resolver: CitationResolver;
let rec: DecisionRecord;
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([fixture('mbox', 'reclaim-2020.mbox'), fixture('commits')]);
  cleanup = f.cleanup;
  const file = join(f.dir, 'test-record.md');
  writeFileSync(file, testRecord());
  rec = readRecord(file);
  assert.deepEqual(rec.problems, []);
  ctx = siteContext(f.db, [rec]);
  resolver = new CitationResolver(f.db);
});
after(() => cleanup());

const cite = (raw: string): string => {
  const m = /^\[(msg|claim|commit|model):([^\]#]+)(?:#p(\d+))?\]$/.exec(raw)!;
  return citationHtml(ctx, resolver, urls.decision(rec.slug), rec, {
    kind: m[1] as 'msg',
    target: m[2]!,
    paragraph: m[3] ? Number(m[3]) : null,
    raw,
  });
};

describe('citations', () => {
  it('link a paragraph in its thread page and preview its words', () => {
    const h = cite(`[msg:${SHAKEEL}#p6]`);
    assert.ok(h.includes(`href="../${urls.paragraph(ROOT, SHAKEEL, 6)}"`), h);
    assert.match(h, />Butt 2020-09-21 ¶6</);
    assert.match(
      h,
      /<b>Shakeel Butt<\/b>, 2020-09-21, paragraph 6: <i>Re: \[PATCH\] memcg: introduce per-memcg reclaim interface<\/i>/,
    );
    assert.match(h, /can still take 100s of usecs/);
  });

  it('link a whole message to its place in the thread', () => {
    const h = cite(`[msg:${RAISED}]`);
    assert.ok(h.includes(`href="../${urls.inThread(ROOT, RAISED)}"`));
    assert.match(h, />Hocko 2020-09-22</);
  });

  it('link a commit and a model scenario', () => {
    assert.match(
      cite('[commit:94968384dde1]'),
      /href="#c-94968384dde1" class="c-commit"><code>94968384dde1<\/code>/,
    );
    assert.match(cite('[commit:94968384dde1]'), /memcg: introduce per-memcg reclaim interface/);
    assert.match(cite('[model:S2]'), /href="\.\.\/model\.html#scenario=S2" class="c-model">model S2</);
  });

  it('refuse a message, a paragraph or a commit the archive lacks, naming the record and citation', () => {
    const fails: [string, RegExp][] = [
      ['[msg:nobody@example.invalid]', /no message nobody@example\.invalid in the archive/],
      [`[msg:${SHAKEEL}#p999]`, /paragraph 999 does not exist/],
      [`[msg:${SHAKEEL}#p0]`, /paragraph 0 does not exist/],
      ['[commit:0123456789ab]', /no commit 0123456789ab in the archive/],
    ];
    for (const [raw, why] of fails)
      assert.throws(
        () => cite(raw),
        (e: unknown) =>
          e instanceof CitationError && e.message.startsWith(`${rec.file}: ${raw}: `) && why.test(e.message),
        raw,
      );
  });

  it('escape what the mail says in the preview', () => {
    // SeongJae Park's review quotes C: '&&' and '||' must come out as text
    const h = cite('[msg:20200910063656.25038-1-sjpark@amazon.com#p1]');
    assert.doesNotMatch(h.replace(/<\/?(span|a|b|i|br)\b[^>]*>/g, ''), /<|>/);
    assert.match(h, /&amp;&amp;/);
  });
});

describe('the argument map', () => {
  it('goes proposal → objection → settling reply → outcome', () => {
    const { nodes, edges } = decisionMap(ctx, resolver, rec, urls.decision(rec.slug), true);
    assert.deepEqual(
      nodes.map((n) => [n.id, n.kind]),
      [
        ['proposal', 'proposal'],
        ['o1', 'objection'],
        [`r-${SETTLED}`, 'response'],
        ['outcome', 'outcome'],
      ],
    );
    assert.deepEqual(
      edges.map((e) => [e.from, e.to]),
      [
        ['proposal', 'o1'],
        ['o1', `r-${SETTLED}`],
        ['o1', 'outcome'],
      ],
    );
    const o1 = nodes[1]!;
    assert.equal(o1.title, 'O1. The latency is a zswap detail');
    assert.equal(o1.sub, 'withdrawn · raised by Michal Hocko');
    assert.equal(nodes[0]!.sub, 'proposed by Shakeel Butt, 2020-09-09');
    assert.equal(nodes[3]!.title, 'merged in Linux 5.19');
    assert.equal(nodes[2]!.title, 'Michal Hocko, 2020-09-22');
  });
});

describe('the pages', () => {
  it('writes the decision page, the map page and their JSON twins', () => {
    const pages = decisionPages(ctx, resolver, rec);
    const paths = pages.map((p) => p.path);
    for (const p of [urls.decision('test-record'), urls.map('test-record')]) {
      assert.ok(paths.includes(p), p);
      assert.ok(paths.includes(urls.json(p)), urls.json(p));
    }
    const h = pageText(pages, urls.decision('test-record'));
    assert.match(h, /<h1[^>]*>A test record<\/h1>/);
    assert.ok(h.includes(paragraphAnchor(SHAKEEL, 6)), 'the excerpt links its paragraph');
    assert.match(h, /id="o1"/);
    const j = JSON.parse(pageText(pages, urls.json(urls.decision('test-record')))) as {
      objections: { number: number; status: string }[];
    };
    assert.deepEqual(
      j.objections.map((o) => [o.number, o.status]),
      [[1, 'withdrawn']],
    );
  });
});
