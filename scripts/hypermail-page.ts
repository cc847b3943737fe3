/**
 * The parts of a saved hypermail 2.x HTML page that both fixture scripts write
 * (scripts/make-fixtures.ts: the seed page of test/fixtures/pages/; scripts/make-hypermail-fixtures.ts:
 * a lkml.iu.edu page of test/fixtures/hypermail/): the escaping, the header comments the parser
 * reads, and the body lines with their quote levels.
 */

/** HTML-escape text for an element or a double-quoted attribute, as hypermail does. */
export function esc(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The header comments of a page, from `received` (written as given) to `id` (escaped). */
export function headComments(h: {
  received: string;
  sent: string;
  name: string;
  email: string;
  subject: string;
  id: string;
}): string[] {
  return [
    `<!-- received="${h.received}" -->`,
    `<!-- sent="${esc(h.sent)}" -->`,
    `<!-- name="${esc(h.name)}" -->`,
    `<!-- email="${esc(h.email)}" -->`,
    `<!-- subject="${esc(h.subject)}" -->`,
    `<!-- id="${esc(h.id)}" -->`,
  ];
}

/**
 * The body of a page, a line of text each: a quoted line in a `quotelevN` span (N the number of
 * `>`), a blank line as `<p>`; `clean` rewrites a line before it is escaped (addresses hidden).
 */
export function bodyLines(text: string, clean: (line: string) => string = (l) => l): string[] {
  return text.split('\n').map((l) => {
    const depth = /^(>\s?)+/.exec(l)?.[0].replace(/\s/g, '').length ?? 0;
    const t = esc(clean(l));
    if (!l.trim()) return '<p>';
    return depth ? `<span class="quotelev${depth}">${t}\n</span><br>` : `${t}\n<br>`;
  });
}
