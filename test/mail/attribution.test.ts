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
  // Name forms that placement of archive pages needs (docs/placement.md); each line is from the
  // shared cgroups archive.
  it('keeps a name that holds a comma after a mutt time and zone', () => {
    const a = parseAttribution('On Mon, Sep 11, 2023 at 07:55:15AM +0000, Yakunin, Dmitry (Nebius) wrote:');
    assert.equal(a?.name, 'Yakunin, Dmitry');
    assert.deepEqual(a?.when, { month: 9, day: 11, year: 2023, hour: 7, minute: 55, second: 15 });
  });
  it('reads the name after a zone with no comma (Claws, Evolution)', () => {
    assert.equal(
      parseAttribution('On Wed, Jun 12, 2019 at 11:50:48AM -0400 Joel Savitz wrote:')?.name,
      'Joel Savitz',
    );
    assert.equal(
      parseAttribution('On Fri, 17 Apr 2020 09:37:16 +0200 Michal Hocko wrote:')?.name,
      'Michal Hocko',
    );
  });
  it('reads a Thunderbird m/d/yy line with a 12-hour time', () => {
    const a = parseAttribution('On 5/24/19 3:40 PM, Tejun Heo wrote:');
    assert.equal(a?.name, 'Tejun Heo');
    assert.equal(a?.when?.hour, 15);
    assert.equal(a?.when?.minute, 40);
  });
  it('takes a bare address as both the name and the address', () => {
    const a = parseAttribution('On Wed, May 29, 2019 at 02:05:55PM -0700, bsegall@google.com wrote:');
    assert.equal(a?.name, 'bsegall@google.com');
    assert.equal(a?.addr, 'bsegall@google.com');
  });
});
