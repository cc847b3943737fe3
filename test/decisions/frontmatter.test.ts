// The front-matter subset of decision records (src/decisions/frontmatter.ts): scalars, quoted
// strings, lists, and every construct outside the subset refused at its line. The first case moved
// here unchanged from test/decisions/check.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFrontMatter } from '../../src/decisions/frontmatter.ts';

const errorsOf = (text: string): [number, string][] =>
  parseFrontMatter(text).errors.map((e) => [e.line, e.reason]);

describe('parseFrontMatter', () => {
  it('parses the front matter subset and rejects flow syntax', () => {
    const fm = parseFrontMatter('---\ntitle: "a: b"\nlist:\n  - "x: y"\n  - z\nbad: [1, 2]\n---\nbody');
    assert.equal(fm.values.get('title'), 'a: b');
    assert.deepEqual(fm.values.get('list'), ['x: y', 'z']);
    assert.ok(fm.errors.some((e) => e.line === 6));
    assert.equal(fm.body, 'body');
  });

  it('reads the bundled memory.reclaim record: its title, its people, and where the body starts', () => {
    const text = readFileSync(
      resolve(import.meta.dirname, '..', '..', 'data', 'decisions', 'memory-reclaim.md'),
      'utf8',
    );
    const fm = parseFrontMatter(text);
    assert.deepEqual(fm.errors, []);
    assert.equal(
      fm.values.get('title'),
      'memory.reclaim: a stateless proactive-reclaim file instead of a lowered memory.high',
    );
    assert.equal(fm.values.get('version'), '5.19');
    assert.equal((fm.values.get('people') as string[])[0], 'Shakeel Butt: author');
    assert.equal(fm.lines.get('status'), 3);
    const lines = text.split('\n');
    assert.equal(lines[fm.bodyLine - 2], '---', 'the body starts after the closing ---');
    assert.equal(fm.body, lines.slice(fm.bodyLine - 1).join('\n'));
  });

  it('unescapes \\" and \\\\ only, and says what else is wrong with a quoted value', () => {
    const fm = parseFrontMatter('---\na: "say \\"hi\\" \\\\ ok"\n---\n');
    assert.equal(fm.values.get('a'), 'say "hi" \\ ok');
    assert.deepEqual(errorsOf('---\na: "x\\n"\n---\n'), [
      [2, 'unsupported escape \\n in a quoted value (only \\" and \\\\ are allowed)'],
    ]);
    assert.deepEqual(errorsOf('---\na: "open\n---\n'), [[2, 'unterminated double-quoted value']]);
    assert.deepEqual(errorsOf('---\na: "x" y\n---\n'), [[2, 'text after the closing quote: "y"']]);
  });

  it('refuses what YAML would read differently, each at its line', () => {
    const e = errorsOf(
      '---\ntitle: ok\n  - orphan item\nnot a key line\ndup: 1\ndup: 2\nmap: {a: 1}\n---\nbody',
    );
    assert.deepEqual(
      e.map(([l]) => l),
      [3, 4, 6, 7, 7],
    );
    assert.match(e[0]![1], /list item without a "key:" line above it/);
    assert.match(e[1]![1], /not "key: value", "key:" or " {2}- item"/);
    assert.match(e[2]![1], /duplicate key dup/);
    assert.match(e[3]![1], /flow syntax is not allowed \(map\)/);
  });

  it('needs the opening and the closing ---', () => {
    assert.deepEqual(errorsOf('title: x\n'), [[1, 'a record must start with a line containing exactly ---']]);
    assert.deepEqual(errorsOf('---\ntitle: x\n'), [[1, 'front matter is not closed by a --- line']]);
    assert.deepEqual(
      parseFrontMatter('---\r\ntitle: x\r\n---\r\nbody').values.get('title'),
      'x',
      'CRLF files read alike',
    );
  });
});
