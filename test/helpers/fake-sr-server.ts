/**
 * The fake SmartRecruiters (General Partner and Assessment sides) on its own loopback server, for
 * tests that run kits as child processes. `intercept` sees each request first and may answer it
 * (or hold it) itself by returning true: a slow or silent SmartRecruiters. `assessmentKitEnv` is
 * the environment of an Assessment kit process registered against it, as a partner configures one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSmartRecruiters } from '../../demo/providers/fake-smartrecruiters.js';
import { FakeSmartRecruitersAssessment } from '../../demo/providers/fake-sr-assessment.js';

export interface FakeSrServer {
  fake: FakeSmartRecruiters;
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface FakeSrOptions {
  /** The Assessment side's master credentials (default `assess-master` / `assess-secret`). */
  assessmentMaster?: { clientId: string; clientSecret: string };
  intercept?: (req: IncomingMessage, res: ServerResponse, fake: FakeSmartRecruiters) => boolean;
}

export async function startFakeSrServer(options: FakeSrOptions = {}): Promise<FakeSrServer> {
  let fake: FakeSmartRecruiters | undefined;
  const server = createServer((req, res) => {
    if (options.intercept?.(req, res, fake!)) return;
    void fake!.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const master = options.assessmentMaster ?? { clientId: 'assess-master', clientSecret: 'assess-secret' };
  fake = new FakeSmartRecruiters({
    appId: 'general-app',
    masterClientId: 'general-master',
    masterClientSecret: 'general-secret',
    assessment: new FakeSmartRecruitersAssessment({ masterClientId: master.clientId, masterClientSecret: master.clientSecret, apiOrigin: () => url }),
  });
  return {
    fake,
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * An Assessment kit's environment against `srUrl` (the default master credentials, one static
 * package `static-skills`); without `databaseUrl`, a SQLite file in a fresh directory.
 */
export function assessmentKitEnv(srUrl: string, port: number, options: { partnerName: string; databaseUrl?: string; timeoutMs?: number }, extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'ats-assessment-kit-'));
  const catalogue = join(dir, 'catalogue.json');
  writeFileSync(catalogue, JSON.stringify([{ id: 'static-skills', type: 'SKILL_TEST', name: 'Skills', description: 'A test', assessments: [] }]));
  return {
    PORT: String(port),
    ATS_USERS_FILE: 'demo/users.example.json',
    ATS_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ATS_PARTNER_NAME: options.partnerName,
    ATS_SR_PRODUCT: 'assessment',
    ATS_SR_API_BASE_URL: srUrl,
    ATS_SR_CLIENT_ID: 'assess-master',
    ATS_SR_CLIENT_SECRET: 'assess-secret',
    ATS_SR_ALLOWED_ORIGINS: srUrl,
    ATS_SR_TIMEOUT_MS: String(options.timeoutMs ?? 2_000),
    ATS_ASSESSMENT_TYPES: 'SKILL_TEST',
    ATS_ASSESSMENT_PACKAGES_FILE: catalogue,
    ATS_SESSION_SECRET: 's'.repeat(40),
    ATS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATS_DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dir, 'kit.sqlite')}`,
    ...extra,
  };
}
