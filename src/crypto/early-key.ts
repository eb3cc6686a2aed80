// The package's main export imports this first: a test suite imports the package and then starts
// its first mock, so the process's shared RSA key (50-500 ms of CPU, on the thread pool) is
// generated while the rest of the package loads instead of after startGlossiaMock(). The CLI does
// not import it: its default store on disk has a key of its own.
import { sharedKey } from './keys.js';

sharedKey().catch(() => undefined);
