// Decision records against a real archive built from the bundled data: the bundled records pass,
// and each kind of mistake fails with the file, the line and a reason a writer can act on.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkRecords } from '../../src/decisions/check.ts';
import { ownParagraphs } from '../../src/mail/owntext.ts';
import { ingestedDb } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';
import { testRecord as record } from '../helpers/records.ts';

const DATA = resolve(import.meta.dirname, '..', '..', 'data');
let db: Db;
let dir: string;
let cleanup: () => void;

before(async () => {
  ({ db, dir, cleanup } = await ingestedDb([DATA]));
});
after(() => cleanup());

function checkOne(text: string): { line: number; reason: string }[] {
  const d = join(dir, `records-${Math.random().toString(36).slice(2)}`);
  mkdirSync(d);
  writeFileSync(join(d, 'test-record.md'), text);
  return checkRecords(db, d).problems.map((p) => ({ line: p.line, reason: p.reason }));
}

const lineOf = (text: string, needle: string): number =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

describe('argmap check', () => {
  it('passes on every bundled decision record (all citations, excerpts and objections)', () => {
    const r = checkRecords(db, join(DATA, 'decisions'));
    assert.deepEqual(r.problems, []);
    assert.equal(r.counts.records, 5);
    assert.ok(r.counts.citations > 500);
    assert.ok(r.counts.objections >= 40);
  });

  it('the valid test record passes (so the failures below are caused by the edits)', () => {
    assert.deepEqual(checkOne(record()), []);
  });

  it('a wrong excerpt fails at its line, saying it is not in the author’s own text', () => {
    const text = record((s) => s.replace('"100s of usecs"', '"1000s of usecs"'));
    const got = checkOne(text);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.line, lineOf(text, '1000s of usecs'));
    assert.match(got[0]!.reason, /does not appear verbatim in the author's own text/);
  });

  it('an excerpt of words the author only quoted fails (quoted text is not own text)', () => {
    // Michal's reply 20200922183125 quotes Shakeel; the quoted words are not Michal's own text.
    const text = record((s) =>
      s.replace(
        'He withdrew it [msg:20200922183125.GG12990@dhcp22.suse.cz].',
        'He quoted "I am fine with either of one" [msg:20200922183125.GG12990@dhcp22.suse.cz].',
      ),
    );
    const got = checkOne(text);
    assert.equal(got.length, 1);
    assert.match(got[0]!.reason, /does not appear verbatim/);
  });

  it('a missing message fails, naming it', () => {
    const text = record((s) =>
      s.replace('Merged [commit:94968384dde1].', 'Merged [msg:no-such-message@example.invalid].'),
    );
    const got = checkOne(text);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.line, lineOf(text, 'no-such-message'));
    assert.match(got[0]!.reason, /no message no-such-message@example\.invalid in the archive/);
  });

  it('a paragraph that does not exist fails with the real paragraph count', () => {
    const got = checkOne(
      record((s) =>
        s.replace(
          '[msg:20200909215752.1725525-1-shakeelb@google.com].\n\n## Problem',
          '[msg:20200909215752.1725525-1-shakeelb@google.com#p999].\n\n## Problem',
        ),
      ),
    );
    assert.equal(got.length, 1);
    assert.match(got[0]!.reason, /paragraph 999 does not exist: the message has \d+ own-text paragraphs/);
  });

  it('malformed front matter fails at its line', () => {
    const text = record((s) => s.replace('title: A test record', 'title: A test: record'));
    const got = checkOne(text);
    assert.equal(got[0]!.line, 2);
    assert.match(got[0]!.reason, /front matter: .*write it in double quotes/);
    const unclosed = checkOne(record((s) => s.replace('\n---\n\n## Summary', '\n\n## Summary')));
    assert.match(unclosed[0]!.reason, /front matter is not closed/);
  });

  it('an unknown status, an unknown commit and an objection without status fail', () => {
    const got = checkOne(
      record((s) =>
        s
          .replace('status: merged', 'status: shipped')
          .replace('[commit:94968384dde1]', '[commit:0123456789ab]')
          .replace('- **Status:** withdrawn\n', ''),
      ),
    );
    const reasons = got.map((g) => g.reason).join('\n');
    assert.match(reasons, /unknown status "shipped"/);
    assert.match(reasons, /no commit 0123456789ab/);
    assert.match(reasons, /O1: missing "- \*\*Status:\*\* …"/);
  });

  it('a model citation needs its result marker and its place in scenarios:', () => {
    const got = checkOne(record((s) => s.replace(' <!-- model-result: S2 -->', '').replace('  - S2\n', '')));
    const reasons = got.map((g) => g.reason).join('\n');
    assert.match(reasons, /<!-- model-result: S2 -->/);
    assert.match(reasons, /not listed under scenarios/);
  });

  it('an unmatched ASCII quote fails instead of silently dropping an excerpt', () => {
    const got = checkOne(
      record((s) =>
        s.replace('## Goals and non-goals\n\nNone.', '## Goals and non-goals\n\nA stray " quote.'),
      ),
    );
    assert.match(got[0]!.reason, /odd number of ASCII double quotes/);
  });
});

describe('own-text paragraphs as records cite them (docs/decisions.md §3.2)', () => {
  it('skips quotes, attributions, snips, trailers, the signature and the patch part (real seed reply)', () => {
    const body = readFileSync(
      resolve(import.meta.dirname, '..', 'fixtures', 'pages', 'seed-hypermail.txt'),
      'utf8',
    )
      .split('\n')
      .slice(5)
      .join('\n');
    const paras = ownParagraphs(body).map((p) => p.text.split('\n')[0]);
    assert.deepEqual(paras, [
      'Adding Minchan, if he has more experience/opinion on async swap on zram/zswap.',
      'Wait how did you reach this conclusion? I have explicitly said that we',
      'I am not really understanding your concern specific for the new API.',
      'So, it comes down to adding more functionality/semantics to',
      'I can send the patch to add the functionality in the memory.high but I',
    ]);
  });
  it('cuts the patch part at --- followed by a diffstat, and ignores trailers', () => {
    const body =
      'Intro line.\n\nSigned-off-by: A <a@x>\n---\n mm/x.c | 2 +-\n 1 file changed, 1 insertion(+)\n\ndiff --git a/mm/x.c b/mm/x.c\n+own?\n';
    assert.deepEqual(
      ownParagraphs(body).map((p) => p.text),
      ['Intro line.'],
    );
  });
});
