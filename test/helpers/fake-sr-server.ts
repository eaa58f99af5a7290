/**
 * The fake SmartRecruiters (General Partner and Assessment sides) on its own loopback server, for
 * tests that run kits as child processes. `intercept` sees each request first and may answer it
 * (or hold it) itself by returning true: a slow or silent SmartRecruiters.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
