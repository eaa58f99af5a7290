// The baseline: a bare Koa app answering one JSON route, in its own process like the kit and, like
// it, plain JavaScript run by node. Prints its URL, serves until killed or until its stdin closes.
import { createServer } from 'node:http';
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = { ok: true };
});
const server = createServer(app.callback());
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/` }) + '\n');
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
// The bench gone (its end of stdin closed): exit rather than serve on as an orphan.
process.stdin.once('end', () => process.exit(0)).resume();
