/**
 * `kit.smartRecruiters`: reads of SmartRecruiters' API for an order's company (seed 003 §4), with
 * the company's customer-level token, through its rate gate, one renewal on 401, retries on 429,
 * a timeout, never following redirects (sr-customer-api.ts).
 *
 * @see https://developers.smartrecruiters.com/reference/candidatesget-1
 */
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError } from '../errors.js';
import type { SmartRecruitersCustomerApi, SrAnswer } from './sr-customer-api.js';

export interface SmartRecruitersReads {
  /** GET `path` (relative to the API base, e.g. `/candidates/{id}`): SR's status and JSON body. */
  fetch(companyId: string, path: string, init?: { headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: unknown }>;
  /** Seed 003 §4.1 `GET /candidates/{id}` → `CandidateDetails`. */
  candidate(companyId: string, candidateId: string): Promise<Record<string, unknown>>;
  /** Seed 003 §4.2 `GET /jobs/{jobId}` → `JobDetails`. */
  job(companyId: string, jobId: string): Promise<Record<string, unknown>>;
  /** Seed 003 §4.3 `GET /jobs/{jobId}/hiring-team` → `{totalFound, content[]}`. */
  hiringTeam(companyId: string, jobId: string): Promise<Record<string, unknown>>;
}

export function smartRecruitersReads(api: SmartRecruitersCustomerApi): SmartRecruitersReads {
  const fetchJson = async (companyId: string, path: string, init?: { headers?: Record<string, string> }) => {
    const answer: SrAnswer = await api.read(companyId, path, init);
    return { status: answer.response.status, headers: answer.response.headers, body: answer.body };
  };
  const object = async (companyId: string, path: string): Promise<Record<string, unknown>> => {
    const { status, body } = await fetchJson(companyId, path);
    if (status === 200 && typeof body === 'object' && body !== null) return body as Record<string, unknown>;
    if (status === 401 || status === 403 || status === 404) {
      throw new AtsServerError(404, AtsErrorCode.NotFound, `SmartRecruiters has no such resource for this company (HTTP ${status}).`);
    }
    throw new AtsServerError(502, AtsErrorCode.UpstreamUnavailable, `SmartRecruiters answered HTTP ${status}.`, { retryable: true });
  };
  const segment = (value: string) => encodeURIComponent(value);
  return {
    fetch: fetchJson,
    candidate: (companyId, candidateId) => object(companyId, `/candidates/${segment(candidateId)}`),
    job: (companyId, jobId) => object(companyId, `/jobs/${segment(jobId)}`),
    hiringTeam: (companyId, jobId) => object(companyId, `/jobs/${segment(jobId)}/hiring-team`),
  };
}
