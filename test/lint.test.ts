// The lint rules that hold the architecture (docs/architecture.md, "Rules"), run through ESLint's
// own API on small probes: SQL outside src/store/ and src/graph/query.ts must fail the build, the
// same text inside them must not, and English that merely mentions a keyword must not either.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

// The probes are not files of the TypeScript project, so the typed rules are switched off for them;
// the rule under test is syntactic.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/await-thenable': 'off',
    },
  },
});

async function sqlErrors(code: string, filePath: string): Promise<number> {
  const [r] = await eslint.lintText(code, { filePath });
  assert.ok(r, 'a lint result');
  assert.deepEqual(
    r.messages.filter((m) => m.fatal),
    [],
    'the probe parses',
  );
  return r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

const DB = 'declare const db: { prepare(s: string): unknown; exec(s: string): void };\n';

describe('lint: SQL lives in the store and the graph query layer only', () => {
  const probes: [string, string][] = [
    ['a prepared SELECT', "db.prepare('SELECT id FROM messages WHERE message_id = ?');"],
    ['an INSERT in a constant', "export const Q = 'INSERT OR IGNORE INTO edges(a, b) VALUES (?, ?)';"],
    ['a DELETE through exec', "db.exec('DELETE FROM objections');"],
    [
      'a template with interpolated columns',
      'const c = "id"; db.prepare(`SELECT ${c} FROM messages WHERE id = ?`);',
    ],
    [
      'the tail of a split template',
      'const c = "id"; export const q = `${c} FROM claim_rows c JOIN messages m ON m.id = c.message_id`;',
    ],
    ['an UPDATE', "export const u = 'UPDATE messages SET parent_id = ? WHERE id = ?';"],
  ];
  for (const [what, code] of probes) {
    it(`rejects ${what} in src/site/ and accepts it in src/store/ and src/graph/query.ts`, async () => {
      assert.ok((await sqlErrors(DB + code, 'src/site/probe.ts')) >= 1);
      assert.ok((await sqlErrors(DB + code, 'src/search/probe.ts')) >= 1);
      assert.equal(await sqlErrors(DB + code, 'src/store/probe.ts'), 0);
      assert.equal(await sqlErrors(DB + code, 'src/graph/query.ts'), 0);
    });
  }
  it('leaves prose and regular expressions alone', async () => {
    const prose = [
      "export const help = 'select the messages from a thread and update the page';",
      "export const m = /^(\\d+)-(\\d+)/.exec('12-34');",
      "export const s = 'Please select one FROM the list';",
    ].join('\n');
    assert.equal(await sqlErrors(prose, 'src/site/probe.ts'), 0);
  });
});
