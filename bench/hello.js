// The Koa hello-world of `npm run bench`: what one Koa 3 response costs on this machine, the floor
// under every figure of the mock and the ceiling.
//
//   node bench/hello.js [PORT]     prints "  listening http://127.0.0.1:PORT"
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = 'Hello World';
});
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => console.log(`  listening http://127.0.0.1:${server.address().port}`));
process.once('SIGTERM', () => process.exit(0));
