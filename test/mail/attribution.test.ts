import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAttributionLine, parseAttribution } from '../../src/mail/attribution.ts';

describe('attribution lines (real lines from the corpus)', () => {
  it('parses Gmail style with a 12-hour time', () => {
    const a = parseAttribution('On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko <mhocko@xxxxxxxx> wrote:');
    assert.deepEqual(a, {
      name: 'Michal Hocko',
      addr: 'mhocko@xxxxxxxx',
      when: { month: 9, day: 22, year: 2020, hour: 9, minute: 55 },
    });
  });
  it('parses mutt style as Michal Hocko writes it (dd-mm-yy)', () => {
    const a = parseAttribution('On Tue 22-09-20 08:54:25, Shakeel Butt wrote:');
    assert.equal(a?.name, 'Shakeel Butt');
    assert.deepEqual(a?.when, { day: 22, month: 9, year: 2020, hour: 8, minute: 54, second: 25 });
  });
  it('parses mutt default style with a zone', () => {
    const a = parseAttribution('On Fri, Feb 01, 2019 at 08:17:57AM +0100, Michal Hocko wrote:');
    assert.equal(a?.name, 'Michal Hocko');
    assert.equal(a?.when?.hour, 8);
    assert.equal(a?.when?.minute, 17);
  });
  it('parses ISO style (SeongJae Park)', () => {
    const a = parseAttribution('On 2020-09-09T14:57:52-07:00 Shakeel Butt <shakeelb@google.com> wrote:');
    assert.equal(a?.name, 'Shakeel Butt');
    assert.equal(a?.addr, 'shakeelb@google.com');
    assert.deepEqual(a?.when, { year: 2020, month: 9, day: 9, hour: 14, minute: 57, second: 52 });
  });
  it('recognises Gnus, Thunderbird, German Gmail and Outlook introductions', () => {
    for (const l of [
      'Shakeel Butt <shakeelb@google.com> writes:',
      'On 12/1/23 10:13, Huan Yang wrote:',
      'Am Di., 22. Sept. 2020 um 18:55 Uhr schrieb Michal Hocko <mhocko@kernel.org>:',
      '-----Original Message-----',
      'Quoting Michal Hocko (2020-09-22 18:55:27):',
    ])
      assert.ok(isAttributionLine(l), l);
    assert.equal(
      parseAttribution('Am Di., 22. Sept. 2020 um 18:55 Uhr schrieb Michal Hocko <mhocko@kernel.org>:')?.name,
      'Michal Hocko',
    );
  });
  it('does not take ordinary prose for an attribution', () => {
    assert.equal(
      isAttributionLine('I am fine with either of one but IMO convoluted memory.high might have'),
      false,
    );
    assert.equal(
      isAttributionLine('> On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko wrote: and more text'),
      false,
    );
  });
});
