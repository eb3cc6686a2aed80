#!/usr/bin/env node
import module from 'node:module';

// Node >= 22.1 can cache compiled modules on disk; start-up is most of what a CI run waits for.
module.enableCompileCache?.();
const { main } = await import('../dist/bundle/cli.js');
await main(process.argv.slice(2));
