#!/usr/bin/env node
// First step of `npm test`: the browser tests drive Debian's Chromium at /usr/bin/chromium
// (test/helpers/chromium.ts). Without it, say so in one line and stop, instead of a screen of failing
// browser tests after the type check and build. An argument checks another path (for its own test).
import { accessSync, constants } from 'node:fs';

const path = process.argv[2] ?? '/usr/bin/chromium';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(`npm test needs Chromium at ${path} for the browser tests: apt-get install -y chromium (CI's .ci/run installs it).`);
  process.exit(1);
}
