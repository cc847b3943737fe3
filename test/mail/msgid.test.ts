import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractMsgIds, firstMsgId, normaliseMsgId, syntheticMsgId } from '../../src/mail/msgid.ts';

describe('Message-IDs', () => {
  it('strips angle brackets and keeps case', () => {
    assert.equal(
      normaliseMsgId(' <CALvZod7K9g9mi599c5+ayLeC4@mail.gmail.com> '),
      'CALvZod7K9g9mi599c5+ayLeC4@mail.gmail.com',
    );
  });
  it('ignores trailing comments after the id (real: "(raw)" pasted from lore)', () => {
    assert.equal(
      firstMsgId('<20241024065712.1274481-4-shakeel.butt@linux.dev> (raw)'),
      '20241024065712.1274481-4-shakeel.butt@linux.dev',
    );
  });
  it('reads In-Reply-To with a Gnus-style comment (real)', () => {
    assert.deepEqual(
      extractMsgIds(
        `<1559156926-31336-2-git-send-email-chiluk+linux@indeed.com> (Dave Chiluk's message of "Wed, 29 May 2019 14:08:46 -0500")`,
      ),
      ['1559156926-31336-2-git-send-email-chiluk+linux@indeed.com'],
    );
  });
  it('rejoins an id folded inside its brackets (real: aerc, cgroups-2020)', () => {
    assert.deepEqual(
      extractMsgIds('<CALvZod5m3otRRqcLBebbgiZbhoYWAMbMg+ESkacJuj64OP\n =H4Q@mail.gmail.com>'),
      ['CALvZod5m3otRRqcLBebbgiZbhoYWAMbMg+ESkacJuj64OP=H4Q@mail.gmail.com'],
    );
  });
  it('rejects a subject pasted into References (real, cgroups-2022)', () => {
    assert.deepEqual(extractMsgIds('<[PATCH 0/2] Correct locking assumption on PREEMPT_RT>'), []);
  });
  it('keeps References order, drops duplicates, and caps the count (last ids kept)', () => {
    assert.deepEqual(extractMsgIds('<a@x> <b@x> <a@x> <c@x>'), ['a@x', 'b@x', 'c@x']);
    const many = Array.from({ length: 1000 }, (_, i) => `<m${i}@x>`).join(' ');
    const got = extractMsgIds(many, 256);
    assert.equal(got.length, 256);
    assert.equal(got[255], 'm999@x');
  });
  it('falls back to bare ids when there are no brackets', () => {
    assert.deepEqual(extractMsgIds('20200922165527.GD12990@dhcp22.suse.cz'), [
      '20200922165527.GD12990@dhcp22.suse.cz',
    ]);
    assert.deepEqual(extractMsgIds(''), []);
    assert.deepEqual(extractMsgIds(undefined), []);
  });
  it('derives stable synthetic ids from content', () => {
    const a = syntheticMsgId('a'.repeat(64));
    assert.equal(a, syntheticMsgId('a'.repeat(64)));
    assert.notEqual(a, syntheticMsgId('b'.repeat(64)));
    assert.match(a, /@argmap\.invalid$/);
  });
});
