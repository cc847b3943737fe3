// Reading decision records (src/decisions/record.ts): structure only, no archive. The bundled
// memory.reclaim record (data/decisions/memory-reclaim.md) is the golden case — its sixteen
// objections and their statuses were read off the file — and a small valid record
// (test/helpers/records.ts) is broken one way at a time: each problem names its file and line.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../helpers/archive.ts';
import { testRecord } from '../helpers/records.ts';
import { citationsIn, readRecord, readRecords, SECTIONS } from '../../src/decisions/record.ts';

const DECISIONS = resolve(import.meta.dirname, '..', '..', 'data', 'decisions');
const RECLAIM = join(DECISIONS, 'memory-reclaim.md');
const tmp = tempDir();
after(() => tmp.cleanup());

/** The problems of `text` saved as `name` (line, reason), and the parsed record. */
function read(text: string, name = 'test-record.md'): ReturnType<typeof readRecord> {
  const f = join(tmp.dir, name);
  writeFileSync(f, text);
  return readRecord(f);
}
const lineOf = (text: string, needle: string): number =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

describe('the bundled memory.reclaim record', () => {
  const r = readRecord(RECLAIM);
  const fileLines = readFileSync(RECLAIM, 'utf8').split('\n');

  it('reads without problems, with its front matter', () => {
    assert.deepEqual(r.problems, []);
    assert.equal(r.slug, 'memory-reclaim');
    assert.equal(r.meta.status, 'merged');
    assert.equal(r.meta.version, '5.19');
    assert.equal(r.meta.proposed, '2020-09-09');
    assert.ok(Array.isArray(r.meta.people) && r.meta.people.includes('Shakeel Butt: author'));
  });

  it('has the twelve sections in order, at their lines', () => {
    assert.deepEqual(
      r.sections.map((s) => s.title),
      [...SECTIONS],
    );
    for (const s of r.sections) assert.equal(fileLines[s.line - 1], `## ${s.title}`);
  });

  it('has objections O1–O16 with the statuses written in the file', () => {
    assert.deepEqual(
      r.objections.map((o) => [o.number, o.status]),
      [
        [1, 'conceded'],
        [2, 'conceded'],
        [3, 'accepted'],
        [4, 'withdrawn'],
        [5, 'accepted'],
        [6, 'conceded'],
        [7, 'open'],
        [8, 'addressed in v2'],
        [9, 'addressed in v2'],
        [10, 'open'],
        [11, 'addressed in v4'],
        [12, 'rebutted'],
        [13, 'addressed in v2'],
        [14, 'open'],
        [15, 'accepted'],
        [16, 'rebutted'],
      ],
    );
    const o2 = r.objections[1]!;
    assert.equal(o2.title, 'Too easy to misuse, and it leaves no footprint');
    assert.equal(o2.line, 206);
    assert.ok(
      o2.raisedBy!.startsWith('Michal Hocko, 2020-09-21 [msg:20200921163055.GQ12990@dhcp22.suse.cz#p3]'),
    );
    const o16 = r.objections[15]!;
    assert.deepEqual(
      o16.settledBy.map((c) => [c.kind, c.target, c.paragraph]),
      [
        ['msg', 'CALvZod7y0kTVU5Y6-678OW8pLF8P4n3rNoWg8CXrem-diSMXXQ@mail.gmail.com', null],
        ['msg', '20200910163433.29792-1-sjpark@amazon.com', null],
      ],
    );
    for (const o of r.objections.filter((x) => x.status === 'open')) assert.deepEqual(o.settledBy, []);
  });

  it('places every citation and excerpt on the file line that holds it', () => {
    assert.ok(r.citations.length > 100);
    for (const c of r.citations) assert.ok(fileLines[c.line - 1]!.includes(c.raw), `${c.raw} at ${c.line}`);
    for (const e of r.excerpts) {
      assert.ok(fileLines[e.line - 1]!.includes(`"${e.text.split('\n')[0]}`), `excerpt at ${e.line}`);
      assert.equal(e.citation.kind, 'msg');
    }
  });

  it('reads every bundled record, sorted, without a README', () => {
    const all = readRecords(DECISIONS);
    assert.deepEqual(
      all.map((x) => x.slug),
      [
        'memory-high-async-reclaim',
        'memory-high-throttling',
        // by file name: "-" sorts before ".md"
        'memory-reclaim-nodes',
        'memory-reclaim-swappiness',
        'memory-reclaim',
      ],
    );
    for (const x of all) assert.deepEqual(x.problems, [], x.slug);
  });
});

describe('citations', () => {
  it('reads each kind with its paragraph and line', () => {
    const t = 'See [msg:a@b.c#p3] and\n[commit:94968384dde1], [model:S2]\n\n[claim:x@y#p12] [msg:<q@r>]';
    assert.deepEqual(
      citationsIn(t, 10).map((c) => [c.kind, c.target, c.paragraph, c.line]),
      [
        ['msg', 'a@b.c', 3, 10],
        ['commit', '94968384dde1', null, 11],
        ['model', 'S2', null, 11],
        ['claim', 'x@y', 12, 13],
        ['msg', '<q@r>', null, 13],
      ],
    );
  });

  it('ignores what only looks like a citation', () => {
    assert.deepEqual(citationsIn('[msg: a@b] [link:x] [msg:] msg:a@b [commit:ab cd]', 1), []);
  });

  it('finds the line of a citation deep in a long text', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 997 === 0 ? `x [msg:m${i}@l]` : 'text'));
    const got = citationsIn(lines.join('\n'), 1);
    assert.deepEqual(
      got.map((c) => c.line),
      lines.flatMap((l, i) => (l.startsWith('x') ? [i + 1] : [])),
    );
  });
});

describe('problems, each at its line', () => {
  it('the test record itself has none, and its excerpt is read', () => {
    const r = read(testRecord());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.excerpts.map((e) => [e.text, e.citation.paragraph, e.line]),
      [['100s of usecs', 6, lineOf(testRecord(), '"100s of usecs"')]],
    );
  });

  it('refuses a file name that is not a slug', () => {
    assert.match(read(testRecord(), 'Test_Record.md').problems[0]!.reason, /not a slug/);
  });

  it('names an unknown key, a missing title, a bad status, date and commit at their lines', () => {
    const text = testRecord((s) =>
      s
        .replace('title: A test record\n', 'colour: blue\n')
        .replace('status: merged', 'status: shipped')
        .replace('proposed: 2020-09-09', 'proposed: 9 Sep 2020')
        .replace('  - 94968384dde1', '  - 94968384DDE1'),
    );
    const p = read(text).problems.map((x) => [x.line, x.reason.replace(/ \(.*$/, '')]);
    assert.deepEqual(p, [
      [lineOf(text, 'colour'), 'front matter: unknown key colour'],
      [1, 'front matter: title is required'],
      [lineOf(text, 'status:'), 'front matter: unknown status "shipped"'],
      [lineOf(text, 'proposed:'), 'front matter: proposed must be YYYY-MM-DD, got "9 Sep 2020"'],
      [
        lineOf(text, 'commits:'),
        'front matter: commit "94968384DDE1" must be 12 to 40 lower-case hex digits',
      ],
    ]);
  });

  it('wants lists as lists and single values as single values', () => {
    const text = testRecord((s) =>
      s.replace('messages:\n  - 20200909215752.1725525-1-shakeelb@google.com', 'messages: one'),
    );
    const p = read(text).problems;
    assert.equal(p.length, 1);
    assert.equal(p[0]!.line, lineOf(text, 'messages:'));
    assert.match(p[0]!.reason, /messages must be a list/);
  });

  it('names an unknown section, a missing one and the wrong order', () => {
    const text = testRecord((s) =>
      s
        .replace('## Open questions', '## Questions')
        .replace(/## Decision\n\nMerged \[commit:94968384dde1\]\.\n\n/, '')
        .replace('## Who took part', '## Decision\n\nMerged.\n\n## Who took part'),
    );
    const p = read(text).problems.map((x) => x.reason);
    assert.ok(p.includes('missing section "## Open questions"'), p.join('\n'));
    assert.ok(p.some((x) => x.startsWith('unknown section "## Questions"')));
    assert.ok(p.some((x) => x.startsWith('sections out of order')));
  });

  it('checks objection headings, numbering, status and settlement', () => {
    const base = testRecord();
    const o1 = lineOf(base, '### O1.');
    const cases: [string, (s: string) => string, RegExp][] = [
      [
        'heading',
        (s) => s.replace('### O1. ', '### Objection one: '),
        /objection heading must be "### O<n>. Title"/,
      ],
      ['numbering', (s) => s.replace('### O1. ', '### O2. '), /objection numbered O2, expected O1/],
      [
        'status',
        (s) => s.replace('- **Status:** withdrawn', '- **Status:** dropped'),
        /O1: unknown status "dropped"/,
      ],
      [
        'open',
        (s) => s.replace('- **Status:** withdrawn', '- **Status:** open'),
        /O1: an open objection has no "Settled by"/,
      ],
      [
        'settled',
        (s) => s.replace(/- \*\*Settled by:\*\* .*\n/, ''),
        /O1: status withdrawn needs "- \*\*Settled by:\*\*/,
      ],
      ['raised', (s) => s.replace(/- \*\*Raised by:\*\* .*\n/, ''), /O1: missing "- \*\*Raised by:\*\*/],
      [
        'cite',
        (s) => s.replace('2020-09-22 [msg:20200922114908.GZ12990@dhcp22.suse.cz]', '2020-09-22'),
        /O1: "Raised by" needs a citation/,
      ],
    ];
    for (const [what, edit, want] of cases) {
      const p = read(testRecord(edit)).problems;
      assert.equal(p.length, 1, `${what}: ${JSON.stringify(p)}`);
      assert.match(p[0]!.reason, want, what);
      assert.equal(p[0]!.line, o1, what);
    }
  });

  it('refuses an odd number of ASCII quotes at its paragraph, and ignores quotes in code', () => {
    const text = testRecord((s) =>
      s.replace('## Goals and non-goals\n\nNone.', '## Goals and non-goals\n\nA stray " quote.'),
    );
    const p = read(text).problems;
    assert.deepEqual(
      p.map((x) => x.line),
      [lineOf(text, 'A stray')],
    );
    const code = testRecord((s) =>
      s.replace(
        '## Goals and non-goals\n\nNone.',
        '## Goals and non-goals\n\nWrite `echo "1` and\n\n```\n"\n```',
      ),
    );
    assert.deepEqual(read(code).problems, []);
  });
});
