// In-process start-up, as a test suite sees it: import the package, then for each new instance
// startGlossiaMock() → discovery answered → first mintToken(). Run by bench/run.js in a fresh
// process; prints one JSON line.
import { get } from 'node:http';

const runs = Number(process.argv[2] ?? 10);
const t0 = performance.now();
const { startGlossiaMock } = await import('glossia-mock');
const importMs = performance.now() - t0;

const discovery = (url) =>
  new Promise((resolve, reject) => {
    get(`${url}/.well-known/oauth-authorization-server`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`discovery: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });

const ms = [];
for (let i = 0; i < runs; i++) {
  const s = performance.now();
  const idp = await startGlossiaMock({ log: () => undefined });
  await discovery(idp.url);
  const token = await idp.mintToken({ user: 'dev' });
  ms.push(performance.now() - s);
  if (!token.access_token.startsWith('ey')) throw new Error('mintToken: no JWT');
  await idp.stop();
}
console.log(JSON.stringify({ importMs, ms }));
