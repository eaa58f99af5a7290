/**
 * Creates active SmartRecruiters integrations through the real consent API, and reads back the
 * customer-level credentials the kit issued (the fake SmartRecruiters recorded what it received).
 */
import type { RunningDemo } from '../../demo/start-demo.js';
import { ConsentApi } from './consent-api.js';

export interface IssuedCredentials {
  clientId: string;
  clientSecret: string;
}

export async function connectCompany(demo: Pick<RunningDemo, 'kitUrl' | 'fakeSr'>, companyId: string, username = 'admin@acme.test'): Promise<IssuedCredentials> {
  const api = await new ConsentApi(demo.kitUrl).start(companyId, username);
  const response = await api.approve();
  if (response.status !== 200) throw new Error(`approve failed: ${response.status} ${JSON.stringify(response.body)}`);
  const atSr = demo.fakeSr.integrations.get(companyId)!;
  return { clientId: atSr.partnerClientId!, clientSecret: atSr.partnerClientSecret! };
}

/** POSTs a form to our token endpoint; `basic` sends the credentials RFC 6749 App. B-encoded. */
export async function requestToken(
  tokenUrl: string,
  options: { form?: Record<string, string> | string; basic?: IssuedCredentials; headers?: Record<string, string>; query?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (options.basic) headers.authorization = basicHeader(options.basic.clientId, options.basic.clientSecret);
  const body = typeof options.form === 'string' ? options.form : new URLSearchParams(options.form ?? {}).toString();
  const response = await fetch(tokenUrl + (options.query ?? ''), { method: 'POST', headers, body });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: left empty, the test asserts on status and headers
  }
  return { status: response.status, headers: response.headers, body: json, text };
}

/** RFC 6749 Appendix B: each part form-urlencoded, then `id:secret` base64. */
export function basicHeader(clientId: string, clientSecret: string): string {
  const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return 'Basic ' + Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
}
