// Second step of `npm run build`: the compiled modules of the two entry points (the CLI and the
// package's main export) joined into dist/bundle/, packages left as imports. Node's ESM loader
// resolves, reads and links each of the ~100 compiled files on its own; one file per entry saves
// ~45 ms of CPU per CLI start (~15%). dist/bundle/ sits two levels below the package root, like
// every compiled module, so paths derived from import.meta.url (the bundled fixtures) stay right.
import { rmSync } from 'node:fs';
import { build } from 'rolldown';

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  input: { cli: 'dist/cli/main.js', index: 'dist/index.js' },
  platform: 'node',
  // Packages stay imports: dynamic imports (body parser, yargs) keep loading them only when needed.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  output: { dir: 'dist/bundle', format: 'esm', chunkFileNames: '[name].js' },
  logLevel: 'warn',
});
