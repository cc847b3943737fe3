// ESLint is a correctness gate, not a style gate: Prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** A statement's opening keyword followed by the clause that makes it SQL (not English prose). */
const SQL_TEXT =
  '/\\b(SELECT\\b[\\s\\S]*\\bFROM|INSERT\\s+(OR\\s+\\w+\\s+)?INTO|UPDATE\\s+\\w+\\s+SET|DELETE\\s+FROM|CREATE\\s+(TABLE|INDEX|VIRTUAL)|PRAGMA\\s+\\w+|FROM\\s+\\w+(\\s+\\w+)?\\s+(WHERE|JOIN|LEFT|ORDER|GROUP|LIMIT))\\b/';

export default tseslint.config(
  { ignores: ['node_modules/', 'site/', 'out/', 'coverage/', 'test-results/', '*.sqlite', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // SQL only in src/store/ (the archive) and src/graph/query.ts (the graph's reads), so that a
    // schema change is a change in two places (docs/architecture.md, "Rules"). SQL text is told by
    // its keywords in the upper case the project writes it in; a statement is also any
    // prepare()/exec()/pragma() call whose argument is literal text.
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', 'src/graph/query.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['Literal', 'TemplateElement'].map((node) => ({
          selector: `${node}[${node === 'Literal' ? 'value' : 'value.raw'}=${SQL_TEXT}]`,
          message:
            'SQL only in src/store/ or src/graph/query.ts: add a named, typed query there and call it.',
        })),
        {
          selector:
            'CallExpression[callee.property.name=/^(prepare|exec|pragma)$/]:not([callee.object.regex])[arguments.0.type=/^(Literal|TemplateLiteral)$/]',
          message:
            'SQL only in src/store/ or src/graph/query.ts: add a named, typed query there and call it.',
        },
      ],
    },
  },
  {
    files: ['web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
