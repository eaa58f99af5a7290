/**
 * A partner API client for the tests, as an outside backend calls it: real HTTP, every answer
 * checked against the served OpenAPI document (openapi-check.ts) and kept so a test can search all
 * of them for secrets at the end.
 */
import { OpenApiChecker, type CheckedAnswer } from './openapi-check.js';

export interface PartnerCallOptions {
  key?: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) or a raw body with the headers given. */
  json?: unknown;
  body?: BodyInit;
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
  readonly answers: string[] = [];

  constructor(
    /** The kit's origin. */
    readonly origin: string,
    /** `<prefix>/partner/v1`. */
    readonly basePath: string,
  ) {}

  async loadDocument(): Promise<void> {
    const served = await fetch(this.origin + this.basePath + '/openapi.json');
    this.document = (await served.json()) as Record<string, unknown>;
    this.checker = new OpenApiChecker(this.document, this.basePath);
  }

  async call(method: string, path: string, options: PartnerCallOptions = {}): Promise<PartnerAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(this.origin + this.basePath + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // the checker fails the test when the document promised JSON
    }
    this.answers.push(text, JSON.stringify([...response.headers]));
    const answer = { status: response.status, headers: response.headers, body: parsed, text };
    if (options.check !== false) this.checker.check(method, this.basePath + path, answer);
    return { ...answer, json: (parsed ?? {}) as Record<string, unknown> };
  }

  /** Operation ids of the document with this tag. */
  operationsTagged(tag: string): string[] {
    return Object.values(this.document.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>).flatMap((item) =>
      Object.values(item)
        .filter((operation) => operation.tags.includes(tag))
        .map((operation) => operation.operationId),
    );
  }

  /** Operation ids among `ids` never answered in this file. */
  unexercised(ids: readonly string[]): string[] {
    const exercised = new Set([...this.checker.seen].map((entry) => entry.split(' ')[0]));
    return ids.filter((id) => !exercised.has(id));
  }
}
