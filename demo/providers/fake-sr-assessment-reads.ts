/**
 * SmartRecruiters' customer API reads of the fake (seed 003 §4; reference/providers.md §1.6–§1.8),
 * served at the API origin (not under `/assessment-api`), for a customer-level token of the company:
 *
 * - `GET /candidates/{id}` → 200 `CandidateDetails`; 401 "Candidate access denied" for a candidate
 *   that is not the token's company's (SR lists no 404 for this GET, so an unknown id is 401 too).
 * - `GET /jobs/{jobId}` (query `language`) → 200 `JobDetails`; 401 "Job access denied".
 * - `GET /jobs/{jobId}/hiring-team` (query `language`) → 200 `{totalFound, content[]}`; 401 "Job access denied".
 *
 * Admission as for the rest of the API (fake-sr-assessment-api.ts `admit`): 401 without a live
 * token, then the credential's rate limit (429) and the `X-RateLimit-*` headers on every answer.
 * A master token (partner level, scope `partner_configuration_manage` only) is 403. SR's `x-smarttoken`
 * API keys are not emulated (the partner only holds OAuth credentials).
 *
 * Choices where SR says nothing ([INF]): the error codes (`NO_ACCESS_TO_CANDIDATE`,
 * `NOT_AUTHORIZED_TO_ACCESS_RESOURCE`, both among SR's documented example codes); `language` is
 * checked for the shape of a language code and the ad is answered in the job's only language; the
 * `actions` URLs point at the fake's origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeSmartRecruitersAssessment } from './fake-sr-assessment.js';
import { admit, answerAfterCommit, faultStatus, rateLimitHeaders, srError } from './fake-sr-assessment-api.js';
import { demoCompany, type DemoCandidate, type DemoCompany, type DemoJob } from './fake-sr-assessment-data.js';

const READ_CALLS_KEPT = 200;
/** Whether a path is one of the reads (the fake routes `/candidates/…` and `/jobs/…` here). */
export function isReadPath(pathname: string): boolean {
  return pathname.startsWith('/candidates/') || pathname.startsWith('/jobs/');
}

export async function handleRead(fake: FakeSmartRecruitersAssessment, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  const at = new Date().toISOString();
  let companyId: string | null = null;
  res.once('close', () => {
    fake.readCalls.push({ at, path, companyId, status: res.writableFinished ? res.statusCode : null, headers: rateLimitHeaders(res) });
    if (fake.readCalls.length > READ_CALLS_KEPT) fake.readCalls.splice(0, fake.readCalls.length - READ_CALLS_KEPT);
  });
  const info = admit(fake, req, res);
  if (!info) return;
  if (info.kind === 'customer') companyId = info.companyId;
  if (req.method !== 'GET') return srError(res, 405);
  let match: RegExpExecArray | null;
  let kind: 'candidate' | 'job' | 'hiringTeam';
  if ((match = /^\/candidates\/([^/]+)$/.exec(path))) kind = 'candidate';
  else if ((match = /^\/jobs\/([^/]+)$/.exec(path))) kind = 'job';
  else if ((match = /^\/jobs\/([^/]+)\/hiring-team$/.exec(path))) kind = 'hiringTeam';
  else return srError(res, 404, 'NOT_FOUND', 'Unknown endpoint');
  fake.counts.reads[kind] += 1;
  if (info.kind !== 'customer') return srError(res, 403, 'PERMISSION_DENIED', `Request missed required scopes (${kind === 'candidate' ? 'candidates_read' : 'jobs_read'})`);
  const language = url.searchParams.get('language');
  if (kind !== 'candidate' && language !== null && !/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(language)) {
    return srError(res, 400, 'INVALID_REQUEST', 'language is not a supported language code');
  }
  const fault = fake.takeFault('reads');
  if (fault?.startsWith('status-')) return faultStatus(res, fault);
  const id = safeDecode(match[1]!);
  const company = demoCompany(info.companyId);
  const origin = fake.options.apiOrigin();
  let status = 200;
  let body: unknown;
  if (kind === 'candidate') {
    const candidate = company.candidates.find((entry) => entry.id === id);
    body = candidate ? candidateDetails(company, candidate, origin) : denied('NO_ACCESS_TO_CANDIDATE', 'Candidate access denied');
  } else {
    const job = company.jobs.find((entry) => entry.id === id);
    body = !job ? denied('NOT_AUTHORIZED_TO_ACCESS_RESOURCE', 'Job access denied') : kind === 'job' ? jobDetails(company, job, origin) : hiringTeam(company, job, origin);
  }
  if (typeof body === 'object' && body !== null && 'errors' in body) status = 401;
  await answerAfterCommit(fake, fault, req, res, status, body);
}

const denied = (code: string, message: string) => ({ errors: [{ code, message }] });
const action = (url: string) => ({ url, method: 'GET' });
const defined = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** `CandidateDetails` (providers.md §1.6) of a demo candidate. */
export function candidateDetails(company: DemoCompany, candidate: DemoCandidate, origin: string) {
  const self = `${origin}/candidates/${candidate.id}`;
  const assignment = (jobId: string, status: string, extra: { subStatus?: string; source?: string } = {}) => {
    const job = company.jobs.find((entry) => entry.id === jobId);
    return {
      job: { id: jobId, title: job?.title ?? '', actions: { details: action(`${origin}/jobs/${jobId}`) } },
      status,
      ...extra,
      actions: { sourceDetails: action(`${self}/jobs/${jobId}/source`) },
    };
  };
  return defined({
    id: candidate.id,
    internal: false,
    firstName: candidate.firstName,
    lastName: candidate.lastName,
    email: candidate.email,
    phoneNumber: candidate.phoneNumber,
    location: candidate.location,
    web: { linkedin: candidate.linkedin },
    tags: candidate.tags,
    createdOn: candidate.createdOn,
    updatedOn: candidate.updatedOn,
    education: candidate.education,
    experience: candidate.experience,
    primaryAssignment: assignment(candidate.jobId, candidate.status, { subStatus: candidate.subStatus, source: candidate.source }),
    secondaryAssignments: candidate.otherApplications.map((application) => assignment(application.jobId, application.status)),
    actions: {
      properties: action(`${self}/properties`),
      attachments: action(`${self}/attachments`),
      consent: action(`${self}/consent`),
      consents: action(`${self}/consents`),
    },
  });
}

/** `JobDetails` (providers.md §1.6) of a demo job; the ad in English (the demo's jobs have no translations). */
export function jobDetails(company: DemoCompany, job: DemoJob, origin: string) {
  const self = `${origin}/jobs/${job.id}`;
  return defined({
    id: job.id,
    title: job.title,
    refNumber: job.refNumber,
    createdOn: job.createdOn,
    updatedOn: job.updatedOn,
    lastActivityOn: job.updatedOn,
    department: job.department,
    location: job.location,
    status: job.status,
    postingStatus: job.postingStatus,
    typeOfEmployment: job.typeOfEmployment,
    template: false,
    creator: { id: company.recruiter.userId, firstName: company.recruiter.firstName, lastName: company.recruiter.lastName },
    compensation: job.compensation,
    jobAd: {
      sections: {
        companyDescription: { title: 'Company Description', text: `${company.id} hires through SmartRecruiters.` },
        jobDescription: { title: 'Job Description', text: job.description },
        qualifications: { title: 'Qualifications', text: job.qualifications },
        additionalInformation: { title: 'Additional Information', text: '' },
      },
      language: { code: 'en', label: 'English', labelNative: 'English' },
    },
    properties: [],
    actions: {
      hiringTeam: action(`${self}/hiring-team`),
      publications: action(`${self}/publication`),
      positions: action(`${self}/positions`),
      details: action(self),
    },
  });
}

/** `HiringTeamMembers` (providers.md §1.6): the company's recruiter, then the job's team. */
export function hiringTeam(company: DemoCompany, job: DemoJob, origin: string) {
  const members = [{ id: company.recruiter.userId, role: 'RECRUITER' }, ...job.hiringTeam.map((member) => ({ id: member.user.id, role: member.role }))];
  return {
    totalFound: members.length,
    content: members.map((member) => ({ ...member, actions: { details: action(`${origin}/users/${member.id}`) } })),
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
