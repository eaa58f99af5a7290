/**
 * A partner API client for the tests, as an outside backend calls it: real HTTP with node:http, so
 * the request target goes out exactly as written (fetch would resolve `..`, `%2e%2e` and
 * backslashes before sending, and the proxy's path checks could never be tried). Every answer is
 * checked against the served OpenAPI document (openapi-check.ts) unless told otherwise, and every
 * answer's text and headers are kept so a test can search all of them for secrets at the end.
 */
import { request } from 'node:http';
import type { ConsentKit } from '../../server/kit.js';
import type { ApiKeyScope } from '../../server/store/schema.js';
import { OpenApiChecker, type CheckedAnswer } from './openapi-check.js';

/** `<prefix>/partner/v1` of the test kits' default prefix. */
export const PARTNER_BASE = '/ats/partner/v1';

/**
 * Creates API keys on `kit` (shown once, as `kit.apiKeys.create` returns them) and, when given,
 * records each in `secrets`, the list a test checks answers and logs against.
 */
export function apiKeyMaker(kit: ConsentKit, secrets?: string[]) {
  return async (name: string, scopes: ApiKeyScope[], tenantId?: string): Promise<string> => {
    const { key } = await kit.apiKeys.create({ name, scopes, ...(tenantId ? { tenantId } : {}) });
    secrets?.push(key);
    return key;
  };
}

export interface PartnerCallOptions {
  key?: string;
  headers?: Record<string, string>;
  /** A JSON value, sent as application/json unless `headers` names another content type. */
  json?: unknown;
  /** A raw body: text or bytes as given, anything else (a FormData, a Blob…) encoded as fetch would, with its content type unless `headers` names one. */
  body?: BodyInit | Buffer;
  /** Check the answer against the document (default true). */
  check?: boolean;
}

export type PartnerAnswer = CheckedAnswer & { json: Record<string, unknown> };

/** The assessment operations of the document (tag `assessment`), and which test file exercises each. */
export const ASSESSMENT_OPERATIONS = {
  packages: ['getAssessmentPackages', 'putAssessmentPackages'],
  orders: [
    'listAssessmentOrders',
    'getAssessmentOrder',
    'updateAssessmentResult',
    'addAssessmentAttachment',
    'getAssessmentOrderCandidate',
    'getAssessmentOrderJob',
    'getAssessmentOrderHiringTeam',
  ],
} as const;

export class PartnerApiClient {
  checker!: OpenApiChecker;
  document!: Record<string, unknown>;
  /** Every answer's body and headers, to search for tokens and keys. */
  readonly answers: string[] = [];

  constructor(
    /** The kit's origin. */
    readonly origin: string,
    /** `<prefix>/partner/v1`. */
    readonly basePath: string = PARTNER_BASE,
  ) {}

  async loadDocument(): Promise<Record<string, unknown>> {
    const served = await fetch(this.origin + this.basePath + '/openapi.json');
    this.document = (await served.json()) as Record<string, unknown>;
    this.checker = new OpenApiChecker(this.document, this.basePath);
    return this.document;
  }

  /** `path` is sent verbatim after the base path. */
  async call(method: string, path: string, options: PartnerCallOptions = {}): Promise<PartnerAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    const body = await encodeBody(options, headers);
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const url = new URL(this.origin);
    const { status, responseHeaders, text } = await new Promise<{ status: number; responseHeaders: Headers; text: string }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method, path: this.basePath + path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
          }
          resolve({ status: res.statusCode ?? 0, responseHeaders, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the checker fails the test when the document promised JSON
    }
    this.answers.push(text, JSON.stringify([...responseHeaders]));
    const answer = { status, headers: responseHeaders, body: parsed, text };
    if (options.check !== false) this.checker.check(method, this.basePath + path, answer);
    return { ...answer, json: (parsed ?? {}) as Record<string, unknown> };
  }

  /** Operation ids of the document with this tag (at least one, or the test fails). */
  operationsTagged(tag: string): string[] {
    const ids = Object.values(this.document.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>).flatMap((item) =>
      Object.values(item)
        .filter((operation) => operation.tags.includes(tag))
        .map((operation) => operation.operationId),
    );
    if (ids.length === 0) throw new Error(`the document has no operation tagged ${tag}`);
    return ids;
  }

  /** Operation ids among `ids` never answered by this client. */
  unexercised(ids: readonly string[]): string[] {
    const exercised = new Set([...this.checker.seen].map((entry) => entry.split(' ')[0]));
    return ids.filter((id) => !exercised.has(id));
  }

  /** The document's operations with this tag that no answer of this client exercised. */
  unexercisedTagged(tag: string): string[] {
    return this.unexercised(this.operationsTagged(tag));
  }
}

/** The body's bytes, setting the content type that goes with a JSON value, a FormData or a Blob when the caller named none. */
async function encodeBody(options: PartnerCallOptions, headers: Record<string, string>): Promise<Buffer | undefined> {
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (options.json !== undefined) {
    if (!hasType) headers['content-type'] = 'application/json';
    return Buffer.from(JSON.stringify(options.json));
  }
  const body = options.body;
  if (body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A FormData (a multipart body with its boundary), a Blob…: encoded as fetch would send it.
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  if (type && !hasType) headers['content-type'] = type;
  return Buffer.from(await encoded.arrayBuffer());
}
