// Second step of `npm run build`: the compiled modules of the two entry points (the CLI and the
// package's main export) joined into dist/bundle/, packages left as imports. Node's ESM loader
// resolves, reads and links each of the ~100 compiled files on its own; one file per entry saves
// ~45 ms of CPU per CLI start (~15%). dist/bundle/ sits two levels below the package root, like
// every compiled module, so paths derived from import.meta.url (the bundled fixtures) stay right.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'rolldown';

const ENTRIES = { cli: 'dist/cli/main.js', index: 'dist/index.js', 'early-key': 'dist/crypto/early-key.js' };

// CommonJS packages are loaded with require(), not import: an ESM import of CommonJS makes Node run
// its export lexer over the package's files, and those lexer loops get hot enough for V8 to
// optimise them, all during start-up. For koa and @koa/router that cost ~15 ms of CPU and ~5 MB of
// resident memory (measured: import 126 ms CPU / 60 MB RSS vs require 110 ms / 54 MB). Each of
// these packages is used through its default export only, which require() returns; a dynamic
// import() of one stays lazy (its own chunk).
const VIA_REQUIRE = new Set(['koa', '@koa/router', 'koa-bodyparser']);
const REQUIRED = '\0require:';

const viaRequire = {
  name: 'commonjs-via-require',
  resolveId(id) {
    return VIA_REQUIRE.has(id) ? `${REQUIRED}${id}` : null;
  },
  load(id) {
    if (!id.startsWith(REQUIRED)) return null;
    // Resolved from dist/bundle/, as the import would have been.
    return `import { createRequire } from 'node:module';\nexport default createRequire(import.meta.url)(${JSON.stringify(id.slice(REQUIRED.length))});\n`;
  },
};

// Every module the CLI or the main export imports statically goes into one chunk (output.js):
// rolldown's default chunking would make a chunk per set of importers, and a module the lazily
// loaded pages share with the rest (errors, params, ...) would become one more file to resolve and
// link at every start. What only dynamic imports reach stays in their own chunks.
// The entry modules themselves stay in their entry chunks (index.js must import early-key.js first).
let eager = null;
function isEager(id, ctx) {
  if (!eager) {
    const entries = Object.values(ENTRIES).map((file) => resolve(file));
    eager = new Set();
    const queue = entries.flatMap((entry) => ctx.getModuleInfo(entry)?.importedIds ?? []);
    for (const next of queue) {
      if (eager.has(next) || entries.includes(next)) continue;
      eager.add(next);
      queue.push(...(ctx.getModuleInfo(next)?.importedIds ?? []));
    }
  }
  return eager.has(id);
}

// V8 keeps each module's source text for the process's lifetime, one byte per character only while
// every character is Latin-1: a single "—" in a page template doubles the 330 KB of output.js.
// charset 'ascii' leaves template literals alone (their raw text would change); no code here reads
// a template's raw text, so the few characters above U+00FF become \u escapes in every chunk.
const latin1Only = {
  name: 'latin1-source',
  renderChunk(code) {
    return code.replace(/[^\u0000-\u00ff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  },
};

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  input: ENTRIES,
  platform: 'node',
  plugins: [viaRequire, latin1Only],
  // Other packages stay imports; a dynamic import (body parser, yargs, the MCP SDK) loads its package when needed.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !VIA_REQUIRE.has(id),
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    chunkFileNames: '[name].js',
    // The package's main export starts generating the shared signing key before the rest of the
    // package is evaluated (src/crypto/early-key.ts): that module and the key code it needs are
    // chunks of their own, which index.js imports ahead of the shared chunk. The CLI never
    // evaluates early-key.js.
    codeSplitting: {
      groups: [
        { name: 'signing-key', test: /dist[\\/]crypto[\\/](keys|jwt)\.js$/, priority: 2 },
        { name: (id, ctx) => (isEager(id, ctx) ? 'output' : null), debugName: 'output', priority: 1 },
      ],
    },
    // Comments cost memory too (see latin1Only).
    comments: false,
    charset: 'ascii',
  },
  logLevel: 'warn',
});
