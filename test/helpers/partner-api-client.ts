/**
 * Calls the partner API over real HTTP with node:http, so the request target goes out exactly as
 * written (fetch would resolve `..`, `%2e%2e` and backslashes before sending, and the proxy's
 * path checks could never be tried). Every answer is checked against the served OpenAPI document
 * unless told otherwise, and every answer's text and headers are kept for the leak checks.
 */
import { request } from 'node:http';
import { OpenApiChecker, type CheckedAnswer } from './openapi-check.js';

export const PARTNER_BASE = '/ats/partner/v1';

export interface PartnerCallOptions {
  key?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Check the answer against the document (default true). */
  check?: boolean;
}

export type PartnerAnswer = CheckedAnswer & { json: Record<string, unknown> };

export class PartnerApiClient {
  /** Every answer's body and headers, to search for tokens and keys. */
  readonly answers: string[] = [];
  checker!: OpenApiChecker;

  constructor(readonly kitUrl: string) {}

  async loadDocument(): Promise<Record<string, unknown>> {
    const document = (await (await fetch(this.kitUrl + PARTNER_BASE + '/openapi.json')).json()) as Record<string, unknown>;
    this.checker = new OpenApiChecker(document, PARTNER_BASE);
    return document;
  }

  /** `path` is sent verbatim after the base path. */
  call(method: string, path: string, options: PartnerCallOptions = {}): Promise<PartnerAnswer> {
    const url = new URL(this.kitUrl);
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method, path: PARTNER_BASE + path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
          }
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: the checker says whether it should have been
          }
          this.answers.push(text, JSON.stringify([...responseHeaders]));
          const answer = { status: res.statusCode ?? 0, headers: responseHeaders, body, text };
          try {
            if (options.check !== false) this.checker.check(method, PARTNER_BASE + path, answer);
          } catch (error) {
            reject(error as Error);
            return;
          }
          resolve({ ...answer, json: (body ?? {}) as Record<string, unknown> });
        });
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  /** Operation ids of the document with this tag that no answer exercised. */
  unexercised(document: Record<string, unknown>, tag: string): string[] {
    const exercised = new Set([...this.checker.seen].map((entry) => entry.split(' ')[0]));
    const ids = Object.values(document.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>)
      .flatMap((item) => Object.values(item))
      .filter((operation) => operation.tags.includes(tag))
      .map((operation) => operation.operationId);
    expectNonEmpty(ids, tag);
    return ids.filter((id) => !exercised.has(id));
  }
}

function expectNonEmpty(ids: string[], tag: string): void {
  if (ids.length === 0) throw new Error(`the document has no operation tagged ${tag}`);
}
