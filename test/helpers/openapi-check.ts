/**
 * Checks answers against the served OpenAPI document: finds the operation for a method and a
 * concrete path, then validates the body against that operation's schema for the status (JSON
 * Schema 2020-12, ajv). Records what it checked, so a test file can fail when an operation of the
 * document was never exercised.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

type Json = Record<string, unknown>;

export interface CheckedAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export class OpenApiChecker {
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  readonly #operations: Array<{ method: string; pattern: RegExp; template: string; operation: Json }> = [];
  /** `operationId status` pairs seen. */
  readonly seen = new Set<string>();

  constructor(
    readonly document: Json,
    /** The path of the document's server (`/ats/partner/v1`), stripped from request paths. */
    readonly basePath: string,
  ) {
    this.#ajv.addSchema({ $id: 'doc', components: document.components }, 'doc');
    for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
      const pattern = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+') + '$');
      for (const [method, operation] of Object.entries(item)) this.#operations.push({ method, pattern, template, operation: operation as Json });
    }
  }

  get operationIds(): string[] {
    return this.#operations.map((entry) => entry.operation.operationId as string);
  }

  /** Fails the test unless the answer matches the document for this method, path and status. */
  check(method: string, path: string, answer: CheckedAnswer): void {
    const relative = new URL(path, 'http://x').pathname.slice(this.basePath.length);
    const entry = this.#operations.find((candidate) => candidate.method === method.toLowerCase() && candidate.pattern.test(relative));
    expect(entry, `no operation in the document for ${method} ${relative}`).toBeDefined();
    const responses = entry!.operation.responses as Record<string, Json>;
    const response = responses[String(answer.status)];
    expect(response, `${entry!.operation.operationId as string} answered ${answer.status}, which the document does not list (${answer.text.slice(0, 200)})`).toBeDefined();
    const content = response!.content as Record<string, { schema: Json }>;
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect(Object.keys(content), `${entry!.operation.operationId as string} ${answer.status}: content type`).toContain(mediaType);
    const schema = JSON.parse(JSON.stringify(content[mediaType]!.schema).replaceAll('"#/components/', '"doc#/components/')) as Json;
    const validate = this.#ajv.compile(schema);
    const valid = validate(answer.body);
    expect(valid, `${entry!.operation.operationId as string} ${answer.status} body: ${this.#ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 500)}`).toBe(true);
    expect(answer.headers.get('x-request-id'), 'X-Request-Id on every answer').toMatch(/\S/);
    this.seen.add(`${entry!.operation.operationId as string} ${answer.status}`);
  }
}
