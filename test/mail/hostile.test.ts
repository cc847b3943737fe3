// Header and line parsers on adversarial input of a size mail can carry (a header up to
// MAX_HEADER_BYTES, a line up to MAX_LINE_BYTES; 1 MB here): each input below made an earlier pattern
// quadratic (0.6 s at 20 KB for the trailer line, 0.2 s for the date, growing with the square of
// the size). The minute is a hang guard for the whole batch, not a speed target.
import { describe, it } from 'node:test';
import { assertAllReturn, callsOf, fill } from '../helpers/hostile.ts';

describe('parsers on hostile input', () => {
  it('trailer lines, dates and hypermail pages of 1 MB', async () => {
    await assertAllReturn([
      ...callsOf('src/mail/trailers.ts', 'parseTrailerLine', [
        fill('Acked-by: x <', '@'),
        fill('Acked-by: a', ' ') + 'b',
        fill('Reviewed-by: a', '@') + ' x',
      ]),
      ...callsOf('src/mail/date.ts', 'parseMailDate', [fill('', '(')]),
      ...callsOf('src/ingest/hypermail.ts', 'hypermailBodyToText', [fill('', '<pre>'), fill('', '<')]),
      {
        module: 'src/ingest/hypermail.ts',
        fn: 'parseHypermailHtml',
        input: fill('<html>', '<'),
        buffer: true,
      },
    ]);
  });

  it('subjects, Message-ID lists and attribution lines of 1 MB (linear today; the guard keeps them so)', async () => {
    await assertAllReturn([
      ...callsOf('src/mail/subject.ts', 'parseSubject', [
        fill('', '[PATCH '),
        fill('', 'Re: ['),
        fill('[PATCH v', '1/'),
      ]),
      ...callsOf('src/mail/msgid.ts', 'extractMsgIds', [fill('', '<a@'), fill('', '(<')]),
      ...callsOf('src/mail/attribution.ts', 'parseAttribution', [
        fill('On ', 'a, ') + 'wrote:',
        fill('On Mon, ', '<a@'),
      ]),
    ]);
  });

  it('own-text paragraphs of 1 MB bodies (blank-ish lines, an Outlook header run into quote markers)', async () => {
    await assertAllReturn([
      ...callsOf('src/mail/owntext.ts', 'ownParagraphs', [fill('', '\n '), fill('From: a\nSent: b\n', '>')]),
      ...callsOf('src/mail/owntext.ts', 'classify', [fill('', 'On a, b wrote:\n')]),
    ]);
  });

  it('body parts of 1 MB patch parts (a hunk header line of digits, hunks without end, file headers)', async () => {
    await assertAllReturn(
      callsOf('src/mail/parts.ts', 'bodyParts', [
        fill('diff --git a/x b/x\n@@ -', '1,'),
        fill('diff --git a/x b/x\n@@ -1,99999999 +1 @@\n', '-a\n'),
        fill('diff --git ', 'a/b '),
        fill('diff --git a/x b/x\n', '--- a/\t'),
        fill('', '> '),
      ]),
    );
  });
});
