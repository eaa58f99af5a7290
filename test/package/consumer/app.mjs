// A partner's plain-Node app (no TypeScript, no tsx) that installed ats-consent from its tarball:
// mounts the kit in its own Koa app beside its own routes, and serves a page of its own that loads
// the widget bundle from the installed package. Configured by the test through the environment.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { createConsentKit, hashPassword, userDirectory } from 'ats-consent';
import { AtsErrorCode } from 'ats-consent/protocol';

const env = process.env;
const users = userDirectory([
  { id: 'u-1', tenantId: 't-1', username: 'partner@consumer.test', email: 'partner@consumer.test', displayName: 'Pat Partner', passwordHash: await hashPassword(env.USER_PASSWORD) },
]);
const kit = await createConsentKit({
  publicUrl: env.PUBLIC_URL,
  partnerName: 'Consumer Partner',
  smartRecruiters: {
    apiBaseUrl: env.SR_URL,
    appId: env.SR_APP_ID,
    clientId: env.SR_CLIENT_ID,
    clientSecret: env.SR_CLIENT_SECRET,
    allowedOrigins: [env.SR_URL],
    scopes: ['candidates_read'],
  },
  sessionSecret: env.SESSION_SECRET,
  encryptionKey: env.ENCRYPTION_KEY,
  databaseUrl: `sqlite:${env.DATA_DIR}/kit.sqlite`,
  authenticate: users,
  logLevel: 'warn',
});

const bundle = await readFile(fileURLToPath(import.meta.resolve('ats-consent/widget/bundle')), 'utf8');
const app = new Koa();
app.use(kit.middleware);
app.use(async (ctx) => {
  if (ctx.path === '/vendor/ats-consent.js') {
    ctx.type = 'text/javascript';
    ctx.body = bundle;
  } else if (ctx.path === '/embedded') {
    ctx.type = 'html';
    ctx.body = '<!doctype html><title>Partner page</title><script type="module" src="/vendor/ats-consent.js"></script><ats-consent></ats-consent>';
  } else if (ctx.path === '/partner/status') {
    ctx.body = { integrations: (await kit.integrations.list()).map(({ companyId, state }) => ({ companyId, state })), companyNotAuthorized: AtsErrorCode.CompanyNotAuthorized };
  }
});
const server = app.listen(Number(env.PORT ?? 0), '127.0.0.1', () => console.log(`consumer listening on http://127.0.0.1:${server.address().port}`));
process.once('SIGTERM', () => server.close(() => void kit.close()));
