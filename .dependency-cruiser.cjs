/**
 * The rooms of src/ and the arrows allowed between them (docs/architecture.md draws them).
 * `npm run lint` runs this: an import cycle, an upward import, or Node APIs in code that must also
 * run in the browser fail the build. Type-only imports count (tsPreCompilationDeps), because a
 * type cycle is still a cycle for a reader.
 */
const ROOMS = [
  'util',
  'mail',
  'store',
  'thread',
  'graph',
  'decisions',
  'search',
  'ingest',
  'site',
  'model',
  'cli',
];

/** Each room and the rooms it may import (besides itself). */
const ALLOWED = {
  util: [],
  mail: ['util'],
  store: ['util', 'mail'],
  thread: ['util', 'mail', 'store'],
  graph: ['util', 'mail', 'store'],
  decisions: ['util', 'mail', 'store', 'graph'],
  search: ['util', 'mail', 'store', 'graph', 'decisions'],
  ingest: ['util', 'mail', 'store', 'thread', 'graph', 'decisions', 'search'],
  site: ['util', 'mail', 'store', 'graph', 'decisions', 'search', 'model'],
  model: [],
  cli: ROOMS.filter((r) => r !== 'cli'),
};

const layerRules = ROOMS.map((room) => {
  const forbidden = ROOMS.filter((r) => r !== room && !ALLOWED[room].includes(r));
  return {
    name: `room-${room}`,
    comment: `src/${room}/ may import only ${ALLOWED[room].length ? ALLOWED[room].map((r) => `src/${r}/`).join(', ') : 'itself'}`,
    severity: 'error',
    from: { path: `^src/${room}/` },
    to: { path: `^src/(${forbidden.join('|')})/` },
  };
}).filter((r) => !r.to.path.endsWith('()/'));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'import cycles make a room impossible to read or test on its own',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'browser-code-has-no-node',
      comment: 'the model and web/ run in the browser (a Web Worker, the site): no Node built-ins',
      severity: 'error',
      from: { path: '^(src/model|web)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-imports-browser-safe-rooms-only',
      comment: 'web/ bundles the model and the search engine; nothing that touches SQLite or the disk',
      severity: 'error',
      from: { path: '^web/' },
      to: {
        path: '^src/',
        pathNot: '^src/(model|search/(engine|query|index-build|lunr-setup|timing|api))\\.?',
      },
    },
    {
      name: 'sqlite-only-in-the-store',
      comment: 'only src/store/ opens or types the database driver; everyone else gets a Db from it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: 'node_modules/(@types/)?better-sqlite3/' },
    },
    {
      name: 'src-does-not-import-tests-or-benches',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
