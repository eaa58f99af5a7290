/**
 * The demo's assessment app (the second kit, under /ats-assessment) driven as SmartRecruiters does
 * (seed 003): the admin enables it through the consent page, then SR calls the partner with a
 * bearer token from the partner's token endpoint, using the customer-level credentials the partner
 * sent in the exchange (the fake SR holds them).
 */
import { expect } from 'vitest';
import type { TestDemo } from './demo-fixture.js';
import { ConsentApi } from './consent-api.js';
import { srOrderBody } from './sr-order.js';

export const ASSESSMENT_CONSENT_PATH = '/ats-assessment/consent';

/** Enables the assessment app for `companyId`: SR-side consent, then sign-in and Approve on the partner's consent page. */
export async function enableAssessment(demo: TestDemo, companyId: string, username = 'admin@acme.test') {
  demo.fakeSr.assessment!.recordConsent(companyId);
  const api = await new ConsentApi(demo.kitUrl, ASSESSMENT_CONSENT_PATH).start(companyId, username);
  const approved = await api.approve();
  return { api, approved };
}

/** A bearer token from the partner's token endpoint for the credentials SR holds for `companyId`. */
export async function srToken(demo: TestDemo, companyId: string): Promise<string> {
  const held = demo.fakeSr.assessment!.integrations.get(companyId);
  if (!held) throw new Error(`the fake SR holds no integration for ${companyId}`);
  const response = await fetch(`${demo.kitUrl}/ats-assessment/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: held.partnerClientId, client_secret: held.partnerClientSecret }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface SrCall {
  status: number;
  headers: Headers;
  body: unknown;
}

/** SR calling one of the partner's assessment endpoints. */
export async function srCall(demo: TestDemo, token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<SrCall> {
  const response = await fetch(`${demo.kitUrl}/ats-assessment/assessment${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // stays text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

let orderCounter = 0;
/** A fresh SR order id (UUID v4 shape) and its result callback URL on the fake SR's API origin. */
export function newOrderId(): string {
  const hex = (++orderCounter).toString(16).padStart(12, '0');
  return `0b5e1c2a-7d3f-4e8a-9c1b-${hex}`;
}

export function orderBody(demo: TestDemo, companyId: string, overrides: Record<string, unknown> = {}) {
  const orderId = newOrderId();
  return {
    orderId,
    body: {
      ...srOrderBody(demo.srUrl, companyId, orderId),
      ...overrides,
    },
  };
}

export function inlineOrderBody(demo: TestDemo, companyId: string, overrides: Record<string, unknown> = {}) {
  const orderId = newOrderId();
  return {
    orderId,
    body: {
      resultCallbackURL: `${demo.srUrl}/assessment-api/v202010/orders/${orderId}/results`,
      completedAssessmentCallbackUrl: `${demo.srUrl}/assessment/candidate-done?order=${orderId}`,
      candidate: { email: 'grace.hopper@candidates.example', firstName: 'Grace', lastName: 'Hopper', applicationLanguage: 'en' },
      assessmentPackageId: 'apply-quiz',
      jobId: 'job-2',
      job: { id: 'job-2' },
      companyId,
      ...overrides,
    },
  };
}
