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
      for (const [method, operation] of Object.entries(item)) {
        // A parameter marked x-ats-rest-of-path (the proxy's) spans the rest of the path, slashes included.
        const rest = new Set(((operation as Json).parameters as Json[] | undefined)?.filter((p) => p['x-ats-rest-of-path'] === true).map((p) => p.name as string));
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => (rest.has(name) ? '.+' : '[^/]+'));
        this.#operations.push({ method, pattern: new RegExp('^' + source + '$', 's'), template, operation: operation as Json });
      }
    }
  }

  get operationIds(): string[] {
    return this.#operations.map((entry) => entry.operation.operationId as string);
  }

  /** Fails the test unless the answer matches the document for this method, path and status. */
  check(method: string, path: string, answer: CheckedAnswer): void {
    const relative = path.startsWith('/') ? path.split('?')[0]!.slice(this.basePath.length) : new URL(path, 'http://x').pathname.slice(this.basePath.length);
    // HEAD is GET without content (RFC 9110 §9.3.2): the GET operation answers it.
    const head = method.toUpperCase() === 'HEAD';
    const entry = this.#operations.find((candidate) => candidate.method === (head ? 'get' : method.toLowerCase()) && candidate.pattern.test(relative));
    expect(entry, `no operation in the document for ${method} ${relative}`).toBeDefined();
    const id = entry!.operation.operationId as string;
    expect(answer.headers.get('x-request-id'), 'X-Request-Id on every answer').toMatch(/\S/);
    const responses = entry!.operation.responses as Record<string, Json>;
    // A passed-through answer (the proxy's marker header) is the `default` response, whatever its status.
    if (answer.headers.get('x-ats-proxied') !== null) {
      expect(responses.default, `${id} passed an answer through but documents no default response`).toBeDefined();
      expect(Object.keys(responses.default!.headers as Json).map((name) => name.toLowerCase())).toContain('x-ats-proxied');
      expect(answer.headers.get('x-ats-proxied')).toBe('1');
      expect(Object.keys(responses.default!.content as Json)).toContain('*/*');
      this.seen.add(`${id} default`);
      return;
    }
    const response = responses[String(answer.status)];
    expect(response, `${id} answered ${answer.status}, which the document does not list (${answer.text.slice(0, 200)})`).toBeDefined();
    this.seen.add(`${id} ${answer.status}`);
    if (head) return;
    const content = response!.content as Record<string, { schema: Json }>;
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect(Object.keys(content), `${id} ${answer.status}: content type`).toContain(mediaType);
    const schema = JSON.parse(JSON.stringify(content[mediaType]!.schema).replaceAll('"#/components/', '"doc#/components/')) as Json;
    const validate = this.#ajv.compile(schema);
    const valid = validate(answer.body);
    expect(valid, `${id} ${answer.status} body: ${this.#ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 500)}`).toBe(true);
  }
}
