// Header and line parsers on adversarial input of a size mail can carry (a header up to
// MAX_HEADER_BYTES, a line up to MAX_LINE_BYTES; 1 MB here): each input below made an earlier pattern
// quadratic (0.6 s at 20 KB for the trailer line, 0.2 s for the date, growing with the square of
// the size). The minute is a hang guard for the whole batch, not a speed target.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runHostile, type HostileCall } from '../helpers/hostile.ts';

const SIZE = 1_000_000;
const fill = (prefix: string, unit: string): string => prefix + unit.repeat(Math.ceil(SIZE / unit.length));

describe('parsers on hostile input', () => {
  it('trailer lines, dates and hypermail pages of 1 MB', async () => {
    const calls: HostileCall[] = [
      { module: 'src/mail/trailers.ts', fn: 'parseTrailerLine', input: fill('Acked-by: x <', '@') },
      { module: 'src/mail/trailers.ts', fn: 'parseTrailerLine', input: fill('Acked-by: a', ' ') + 'b' },
      { module: 'src/mail/trailers.ts', fn: 'parseTrailerLine', input: fill('Reviewed-by: a', '@') + ' x' },
      { module: 'src/mail/date.ts', fn: 'parseMailDate', input: fill('', '(') },
      { module: 'src/ingest/hypermail.ts', fn: 'hypermailBodyToText', input: fill('', '<pre>') },
      { module: 'src/ingest/hypermail.ts', fn: 'hypermailBodyToText', input: fill('', '<') },
      {
        module: 'src/ingest/hypermail.ts',
        fn: 'parseHypermailHtml',
        input: fill('<html>', '<'),
        buffer: true,
      },
    ];
    assert.equal((await runHostile(calls)).length, calls.length);
  });

  it('subjects, Message-ID lists and attribution lines of 1 MB (linear today; the guard keeps them so)', async () => {
    const calls: HostileCall[] = [
      { module: 'src/mail/subject.ts', fn: 'parseSubject', input: fill('', '[PATCH ') },
      { module: 'src/mail/subject.ts', fn: 'parseSubject', input: fill('', 'Re: [') },
      { module: 'src/mail/subject.ts', fn: 'parseSubject', input: fill('[PATCH v', '1/') },
      { module: 'src/mail/msgid.ts', fn: 'extractMsgIds', input: fill('', '<a@') },
      { module: 'src/mail/msgid.ts', fn: 'extractMsgIds', input: fill('', '(<') },
      { module: 'src/mail/attribution.ts', fn: 'parseAttribution', input: fill('On ', 'a, ') + 'wrote:' },
      { module: 'src/mail/attribution.ts', fn: 'parseAttribution', input: fill('On Mon, ', '<a@') },
    ];
    assert.equal((await runHostile(calls)).length, calls.length);
  });

  it('own-text paragraphs of 1 MB bodies (blank-ish lines, an Outlook header run into quote markers)', async () => {
    const calls: HostileCall[] = [
      { module: 'src/mail/owntext.ts', fn: 'ownParagraphs', input: fill('', '\n ') },
      { module: 'src/mail/owntext.ts', fn: 'ownParagraphs', input: fill('From: a\nSent: b\n', '>') },
      { module: 'src/mail/owntext.ts', fn: 'classify', input: fill('', 'On a, b wrote:\n') },
    ];
    assert.equal((await runHostile(calls)).length, calls.length);
  });

  it('body parts of 1 MB patch parts (a hunk header line of digits, hunks without end, file headers)', async () => {
    const calls: HostileCall[] = [
      { module: 'src/mail/parts.ts', fn: 'bodyParts', input: fill('diff --git a/x b/x\n@@ -', '1,') },
      {
        module: 'src/mail/parts.ts',
        fn: 'bodyParts',
        input: fill('diff --git a/x b/x\n@@ -1,99999999 +1 @@\n', '-a\n'),
      },
      { module: 'src/mail/parts.ts', fn: 'bodyParts', input: fill('diff --git ', 'a/b ') },
      { module: 'src/mail/parts.ts', fn: 'bodyParts', input: fill('diff --git a/x b/x\n', '--- a/\t') },
      { module: 'src/mail/parts.ts', fn: 'bodyParts', input: fill('', '> ') },
    ];
    assert.equal((await runHostile(calls)).length, calls.length);
  });
});
