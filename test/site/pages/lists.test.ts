// The list pages (src/site/pages/lists.ts): home, decisions, threads, people and a person's page,
// on the real 2019 throttling and 2020 memory.reclaim threads with the small test record. Counts
// and orders come from the mail headers (the mbox oracle); Michal Hocko wrote 1 message in 2019
// and 6 in 2020 and raised the record's O1; SeongJae Park's second reply carries his Reviewed-by.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestedDb } from '../../helpers/archive.ts';
import { RECLAIM_MBOX, RECLAIM_ROOT, THROTTLE_MBOX, THROTTLE_V2 } from '../../helpers/fixture-ids.ts';
import { oracleMessages } from '../../helpers/mbox-oracle.ts';
import { testRecord } from '../../helpers/records.ts';
import { pageText, siteContext } from '../../helpers/site.ts';
import { readRecord } from '../../../src/decisions/record.ts';
import type { SiteContext } from '../../../src/site/context.ts';
import * as lists from '../../../src/site/pages/lists.ts';
import { urls } from '../../../src/site/urls.ts';

const MAIL = [...oracleMessages(THROTTLE_MBOX), ...oracleMessages(RECLAIM_MBOX)];
const NO_GRAPH: lists.PersonGraph = { objections: [], concessions: [], proposals: [] };

let ctx: SiteContext;
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([THROTTLE_MBOX, RECLAIM_MBOX]);
  cleanup = f.cleanup;
  const file = join(f.dir, 'test-record.md');
  writeFileSync(file, testRecord());
  ctx = siteContext(f.db, [readRecord(file)]);
});
after(() => cleanup());

describe('home and decisions', () => {
  it('leads with the record and counts what the archive holds', () => {
    const pages = lists.indexPage(ctx, { messages: 32, threads: 2, people: 6 });
    const h = pageText(pages, urls.index());
    assert.match(h, /<a class="button" href="d\/test-record\.html">Read the decision: A test record<\/a>/);
    assert.match(h, /placeholder="Search 32 messages/);
    assert.match(h, /All 2 threads<\/a> · <a href="p\/index\.html">6 people<\/a>/);
    const recent = [...h.matchAll(/<li><a href="(t\/[^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(
      recent,
      [urls.thread(RECLAIM_ROOT), urls.thread(THROTTLE_V2)],
      'most recently active first',
    );
    const j = JSON.parse(pageText(pages, urls.json(urls.index()))) as {
      decisions: { slug: string; status: string }[];
    };
    assert.deepEqual(j.decisions, [
      { slug: 'test-record', title: 'A test record', status: 'merged', url: 'd/test-record.html' },
    ]);
  });

  it('lists each record with its objection count and map', () => {
    const h = pageText(lists.decisionsPage(ctx), urls.decisions());
    assert.match(
      h,
      /<b>A test record<\/b><\/a> .*5\.19 · 1 objections · <a href="\.\.\/map\/test-record\.html">map<\/a>/,
    );
  });

  it('says when there is no record', () => {
    const h = pageText(
      lists.indexPage({ ...ctx, records: [] }, { messages: 32, threads: 2, people: 6 }),
      urls.index(),
    );
    assert.match(h, /No decision records yet/);
    assert.doesNotMatch(h, /Read the decision/);
  });
});

describe('threads and people', () => {
  it('groups threads by the month they started, newest first', () => {
    const h = pageText(lists.threadsPage(ctx), urls.threads());
    const months = [...h.matchAll(/<h2 id="m-([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(months, ['2020-09', '2019-05']);
    assert.match(h, /28 msgs, 2020-09-09 – 2020-10-08/);
    assert.match(h, /4 msgs, 2019-05-01 – 2019-07-23/);
  });

  it('lists people by messages written, with the counts of the From lines', () => {
    const counts = new Map<string, number>();
    for (const m of MAIL) counts.set(m.fromName, (counts.get(m.fromName) ?? 0) + 1);
    const want = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const j = JSON.parse(pageText(lists.peoplePage(ctx), urls.json(urls.people()))) as {
      people: { name: string; messages: number }[];
    };
    assert.deepEqual(
      j.people.map((p) => [p.name, p.messages]),
      want,
    );
  });
});

describe("a person's page", () => {
  const page = (name: string): { html: string; json: Record<string, unknown> } => {
    const p = [...ctx.people.values()].find((x) => x.name === name)!;
    const pages = lists.personPages(ctx, p, NO_GRAPH);
    return {
      html: pageText(pages, urls.person(p.slug)),
      json: JSON.parse(pageText(pages, urls.json(urls.person(p.slug)))) as Record<string, unknown>,
    };
  };

  it("shows Michal Hocko's threads, the record's objection he raised, and no thread he started", () => {
    const { html, json } = page('Michal Hocko');
    assert.match(html, /<p class="meta">7 messages in 2 threads/);
    assert.match(html, /<a href="\.\.\/d\/test-record\.html#o1">O1\. The latency is a zswap detail<\/a>/);
    assert.match(html, /Started no thread in the archive\./);
    assert.deepEqual(json.objections, [
      { decision: 'test-record', objection: 1, title: 'The latency is a zswap detail', status: 'withdrawn' },
    ]);
    assert.deepEqual(
      (json.threads as { messages: number }[]).map((t) => t.messages),
      [6, 1],
    );
  });

  it('shows the thread Shakeel Butt started and the Reviewed-by SeongJae Park gave', () => {
    assert.deepEqual(page('Shakeel Butt').json.proposed, [urls.thread(RECLAIM_ROOT)]);
    const sj = page('SeongJae Park');
    assert.deepEqual(
      (sj.json.reviews as { trailer: string; messageId: string }[]).map((r) => [r.trailer, r.messageId]),
      [['Reviewed-by', '20200910163433.29792-1-sjpark@amazon.com']],
    );
    assert.match(sj.html, /<b>Reviewed-by<\/b> on <a href="\.\.\/t\//);
  });
});
