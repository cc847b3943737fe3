// The site's view of patch series (src/site/series.ts) on three real proposals: Chris Down's
// throttling patch (v3 and v4 in one series), the 2020 memory.reclaim [PATCH] (v1) and Xi
// Ruoyao's "[PATCH RFC]" (test/fixtures/graph/nack-2019.mbox). Labels follow the subjects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, ingestedDb } from '../helpers/archive.ts';
import { SiteData } from '../../src/store/site-data.ts';
import { loadSeries } from '../../src/site/series.ts';
import type { Series } from '../../src/site/pages/more.ts';

let all: Series[];
let data: SiteData;
let cleanup: () => void;
before(async () => {
  const f = await ingestedDb([
    fixture('mbox', 'throttle-2019.mbox'),
    fixture('mbox', 'reclaim-2020.mbox'),
    fixture('graph', 'nack-2019.mbox'),
  ]);
  cleanup = f.cleanup;
  data = new SiteData(f.db);
  all = loadSeries(data);
});
after(() => cleanup());

describe('loadSeries', () => {
  it('labels each posting by version, RFC and RESEND', () => {
    const byFirst = new Map(all.map((s) => [s.firstRootMessageId, s.postings.map((p) => p.label)]));
    assert.deepEqual(
      byFirst,
      new Map([
        ['20190501184104.GA30293@chrisdown.name', ['v3', 'v4']],
        ['0f1be041f8de95603753ffe989bd25069efa13bb.camel@mengyan1223.wang', ['RFC v1']],
        ['20200909215752.1725525-1-shakeelb@google.com', ['v1']],
      ]),
    );
  });

  it('starts each posting at its one patch, part 1, dated as sent', () => {
    const s = all.find((x) => x.postings.length === 2)!;
    assert.deepEqual(
      s.postings.map((p) => [data.messageByRow(p.rootRow)!.messageId, [...p.parts.keys()], p.date]),
      [
        ['20190501184104.GA30293@chrisdown.name', [1], '2019-05-01T18:41:04Z'],
        ['20190723180700.GA29459@chrisdown.name', [1], '2019-07-23T18:07:00Z'],
      ],
    );
    assert.equal(s.title, 'mm: Throttle allocators when failing reclaim over memory.high');
    assert.equal(typeof s.graphId, 'number');
  });
});
