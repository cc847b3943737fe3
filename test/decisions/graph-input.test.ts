// The decision records as the graph reads them (src/decisions/graph-input.ts), on the bundled
// memory.reclaim record: O1 was raised by Michal Hocko in paragraph 2 of his 21 Sep 2020 reply and
// conceded, settled first by Shakeel Butt's CALvZod6kfF… (read off data/decisions/memory-reclaim.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUNDLED_DECISIONS, objectionsOf, recordObjections } from '../../src/decisions/graph-input.ts';
import { readRecord } from '../../src/decisions/record.ts';

describe('objectionsOf', () => {
  const objs = objectionsOf([readRecord(join(BUNDLED_DECISIONS, 'memory-reclaim.md'))]);

  it('gives every objection of the record, in order, with its status', () => {
    assert.deepEqual(
      objs.map((o) => o.ref),
      Array.from({ length: 16 }, (_, i) => `memory-reclaim O${i + 1}`),
    );
    assert.deepEqual(
      objs.slice(0, 4).map((o) => o.status),
      ['conceded', 'conceded', 'accepted', 'withdrawn'],
    );
  });

  it('keeps the message citations that raised and settled O1, with their paragraphs', () => {
    const o1 = objs[0]!;
    assert.deepEqual(o1.raised, [{ messageId: '20200921163055.GQ12990@dhcp22.suse.cz', paragraph: 2 }]);
    assert.deepEqual(o1.settledBy[0], {
      messageId: 'CALvZod6kfF_r5u2ydZ34Q+6QWvg11ZFwfRMHdiNUvi3NJnms=A@mail.gmail.com',
      paragraph: null,
    });
    assert.ok(objs.every((o) => [...o.raised, ...o.settledBy].every((c) => c.messageId.includes('@'))));
  });

  it('raises O5 by both objectors', () => {
    assert.deepEqual(
      objs[4]!.raised.map((c) => c.messageId),
      ['20200922190859.GH12990@dhcp22.suse.cz', '20200928210216.GA378894@cmpxchg.org'],
    );
  });
});

describe('recordObjections', () => {
  it('reads the bundled records, and none from nowhere', () => {
    assert.ok(recordObjections().length >= 16);
    assert.deepEqual(recordObjections(null), []);
    assert.deepEqual(recordObjections(join(BUNDLED_DECISIONS, 'no-such-dir')), []);
  });
});
