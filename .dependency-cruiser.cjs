/**
 * The layers of ARCHITECTURE.md, checked by `npm run lint` (and so by `npm test`): no import cycles
 * anywhere, and each layer imports only what its rule allows. Type-only imports count too.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A module may not reach itself through its imports (type-only imports included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-outer-layer',
      comment: 'core/ is the domain: it knows nothing of the bot, cards, connectors or the embedded server.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(bot|cards|connectors|embedded-mongo|manifest|scripts|bench|test)/' },
    },
    {
      name: 'core-imports-no-edge-library',
      comment: 'core/ never uses Teams, HTTP server or token libraries; the outer layers do.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: 'node_modules/(botbuilder[^/]*|restify[^/]*|@azure/msal-[^/]+)/' },
    },
    {
      name: 'connectors-use-only-ports-and-model',
      comment: 'connectors/ implement core/ports; from the rest they import only core/ports and core/model.',
      severity: 'error',
      from: { path: '^connectors/' },
      to: {
        path: '^(core|bot|cards|embedded-mongo|manifest|scripts|bench|test)/',
        pathNot: '^core/(ports|model)/',
      },
    },
    {
      name: 'mongodb-only-in-core-embedded-mongo-and-the-root',
      comment:
        'Outside core/ and embedded-mongo/, only the composition root (bot/composition/) opens MongoDB.',
      severity: 'error',
      from: { path: '^(bot|cards|connectors|manifest|scripts)/', pathNot: '^bot/composition/' },
      to: { path: 'node_modules/mongodb/' },
    },
    {
      name: 'embedded-mongo-only-from-the-root',
      comment: 'The bot starts the embedded server only through the composition root.',
      severity: 'error',
      from: { path: '^(bot|cards|connectors)/', pathNot: '^bot/composition/' },
      to: { path: '^embedded-mongo/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|test-artifacts|\\.[^/]+)/' },
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
