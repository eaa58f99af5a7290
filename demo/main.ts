/**
 * `npm start`: the demo on embedded defaults, no configuration needed. PORT, SR_PORT and
 * PROVIDER_PORT_BASE (three consecutive ports for the fake providers) move it.
 */
import { PROVIDER_USERS } from './provider-fakes.js';
import { DEMO_PASSWORDS } from './users.js';
import { startDemo } from './start-demo.js';

const demo = await startDemo({
  kitPort: Number(process.env.PORT ?? 3000),
  srPort: Number(process.env.SR_PORT ?? 3001),
  providerPorts: [0, 1, 2].map((offset) => Number(process.env.PROVIDER_PORT_BASE ?? 3002) + offset) as [number, number, number],
  logLevel: process.env.ATS_LOG_LEVEL ?? 'warn',
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

const users = Object.entries(DEMO_PASSWORDS)
  .map(([user, password]) => `    ${user}  /  ${password}`)
  .join('\n');
console.log(`
ats-consent demo is running.

  Fake SmartRecruiters (start here):  ${demo.srUrl}/
  Partner site (the kit):             ${demo.kitUrl}/
  Consent page (consentUrl):          ${demo.consentUrl}

  Demo sign-in (two tenants):
${users}

  Assessment app (SmartRecruiters Assessment, companies ACME-ASSESS and GLOBEX-ASSESS):
    Fake SR assessment QA page:       ${demo.srUrl}/assessment
    Partner's orders page:            ${demo.kitUrl}/assessment
    Assessment consent page:          ${demo.kitUrl}${demo.assessmentKit.paths.consentPage}

  Provider connections page:          ${demo.kitUrl}/connections
  Fake provider sign-ins:
${Object.entries(PROVIDER_USERS)
  .map(([id, user]) => `    ${id.padEnd(13)} ${user.username}  /  ${user.password}   (${demo.providerUrls[id as keyof typeof demo.providerUrls]})`)
  .join('\n')}

  Partner API keys page:              ${demo.kitUrl}/api-keys
  The Python example against this demo: npm run example:python (in another terminal)

Press Ctrl+C to stop.`);

const stop = () => void demo.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
