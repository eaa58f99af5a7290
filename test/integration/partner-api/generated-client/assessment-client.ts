/**
 * A partner's TypeScript backend, as a vendor would write it against the kit: `openapi-fetch` with
 * the types `openapi-typescript` generated from the served document (`./partner-api.d.ts`, written
 * by generated-client.test.ts next to a copy of this file; it is not in the repository, so the
 * project's own `tsc` never sees this file: the test type-checks it, then runs it).
 *
 * Every path, parameter and body below is checked against the document by the compiler: the test
 * also compiles copies with one typo each and expects each to fail.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './partner-api.js';

export type PartnerClient = Client<paths>;
// The document inlines its schemas: the types are reached through the operations that answer them.
export type OrderSummary = paths['/assessment/orders']['get']['responses'][200]['content']['application/json']['data'][number];
export type PartnerEvent = paths['/events']['get']['responses'][200]['content']['application/json']['data'][number];

export function partnerClient(baseUrl: string, key: string): PartnerClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${key}` } });
}

/** openapi-fetch answers `{data}` or `{error}`; a backend would retry or alert, the test just fails. */
function must<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) throw new Error(`HTTP ${answer.response.status}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

/** Orders no result was sent for yet (`status=none`), oldest first, every page (openapi-fetch leaves out undefined parameters). */
export async function newOrders(client: PartnerClient, companyId: string): Promise<OrderSummary[]> {
  const orders: OrderSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = must(await client.GET('/assessment/orders', { params: { query: { status: 'none', companyId, limit: 100, cursor } } }));
    orders.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return orders;
}

export async function startAssessment(client: PartnerClient, orderId: string) {
  return must(await client.PATCH('/assessment/orders/{orderId}/result', { params: { path: { orderId } }, body: { status: 'IN_PROGRESS' } }));
}

export async function completeAssessment(client: PartnerClient, orderId: string, raw: number, max: number) {
  return must(
    await client.PATCH('/assessment/orders/{orderId}/result', {
      params: { path: { orderId } },
      body: { status: 'COMPLETED', score: { raw, min: 0, max }, scoreLabel: `${raw}/${max}` },
    }),
  );
}

/** The report as a raw PDF, named by the documented `Content-Disposition` header parameter. */
export async function uploadReport(client: PartnerClient, orderId: string, filename: string, pdf: Blob) {
  return must(
    await client.POST('/assessment/orders/{orderId}/attachments', {
      params: { path: { orderId }, header: { 'Content-Disposition': `attachment; filename="${filename}"` } },
      headers: { 'content-type': 'application/pdf' },
      body: pdf,
      // The default serializer would JSON-encode it; fetch sends a Blob as it is.
      bodySerializer: (body) => body,
    }),
  );
}

export async function order(client: PartnerClient, orderId: string) {
  return must(await client.GET('/assessment/orders/{orderId}', { params: { path: { orderId } } }));
}

export async function candidateAndJob(client: PartnerClient, orderId: string) {
  const params = { params: { path: { orderId } } };
  return { candidate: must(await client.GET('/assessment/orders/{orderId}/candidate', params)), job: must(await client.GET('/assessment/orders/{orderId}/job', params)) };
}

/** The event feed from the last event id processed (none: from the oldest kept). */
export async function eventsAfter(client: PartnerClient, after?: string): Promise<PartnerEvent[]> {
  const events: PartnerEvent[] = [];
  for (;;) {
    const page = must(await client.GET('/events', { params: { query: { limit: 100, after } } }));
    events.push(...page.data);
    if (!page.has_more || page.data.length === 0) return events;
    after = page.data[page.data.length - 1]!.id;
  }
}
