import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hypermailWallClock, parseMailDate, parseHypermailDate, toIsoUtc } from '../../src/mail/date.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : toIsoUtc(ms));

describe('mail dates', () => {
  it('parses the forms seen in the archive (expected values worked out by hand)', () => {
    assert.equal(iso(parseMailDate('Tue, 22 Sep 2020 11:10:17 -0700')), '2020-09-22T18:10:17Z');
    assert.equal(iso(parseMailDate('Wed,  9 Sep 2020 14:57:52 -0700')), '2020-09-09T21:57:52Z');
    assert.equal(iso(parseMailDate('Mon, 21 Sep 2020 18:30:55 +0200')), '2020-09-21T16:30:55Z');
    assert.equal(iso(parseMailDate('Thu, 30 Nov 2023 11:56:42 -0500 (EST)')), '2023-11-30T16:56:42Z');
    assert.equal(iso(parseMailDate('28 May 2019 16:48:21 +0200')), '2019-05-28T14:48:21Z');
    assert.equal(iso(parseMailDate('Sun, 06 Oct 19 20:24:17 GMT')), '2019-10-06T20:24:17Z');
    assert.equal(iso(parseMailDate('Fri, 1 Feb 2019 11:12:33 -0000')), '2019-02-01T11:12:33Z');
    assert.equal(iso(parseMailDate('Mon, 4 Mar 2024 09:10 PST')), '2024-03-04T17:10:00Z');
  });
  it('returns null for garbage and absurd years rather than guessing', () => {
    assert.equal(parseMailDate('yesterday at tea time'), null);
    assert.equal(parseMailDate('Mon, 1 Jan 1901 00:00:00 +0000'), null);
    assert.equal(parseMailDate(''), null);
    assert.equal(parseMailDate(null), null);
  });
  it('reads hypermail "EST" receipt times as US Eastern local time, EDT in summer', () => {
    // The seed page: "Tue Sep 22 2020 - 14:10:38 EST"; the raw mail says 11:10:17 -0700 (18:10:17Z).
    assert.equal(iso(parseHypermailDate('Tue Sep 22 2020 - 14:10:38 EST')), '2020-09-22T18:10:38Z');
    // In winter Eastern time really is EST (UTC-5).
    assert.equal(iso(parseHypermailDate('Wed Feb 19 2020 - 13:12:19 EST')), '2020-02-19T18:12:19Z');
  });
});

describe('hypermailWallClock', () => {
  it('keeps the printed clock and says what "EST" means on that day (US Eastern, DST-aware)', () => {
    // The seed page prints 14:10:38 EST for a mail received 18:10:38Z: EDT in September.
    assert.deepEqual(hypermailWallClock('Tue Sep 22 2020 - 14:10:38 EST'), {
      wallMs: Date.UTC(2020, 8, 22, 14, 10, 38),
      labelOffsetMinutes: -240,
    });
    assert.equal(hypermailWallClock('Wed Jan 15 2020 - 10:00:00 EST')?.labelOffsetMinutes, -300);
    // The spring-forward day: 01:30 is still standard time, 03:30 is daylight time.
    assert.equal(hypermailWallClock('Sun Mar 08 2020 - 01:30:00 EST')?.labelOffsetMinutes, -300);
    assert.equal(hypermailWallClock('Sun Mar 08 2020 - 03:30:00 EST')?.labelOffsetMinutes, -240);
  });
  it('gives other known labels their fixed offset, an unknown one none, and rejects non-dates', () => {
    assert.equal(hypermailWallClock('Tue Sep 22 2020 - 14:10:38 UTC')?.labelOffsetMinutes, 0);
    assert.equal(hypermailWallClock('Tue Sep 22 2020 - 14:10:38 XYZ')?.labelOffsetMinutes, null);
    assert.equal(hypermailWallClock('Tue Foo 22 2020 - 14:10:38 EST'), null);
    assert.equal(hypermailWallClock('yesterday'), null);
  });
});
