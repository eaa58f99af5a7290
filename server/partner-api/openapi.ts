/**
 * The OpenAPI 3.1 document, generated from the operation registry: the same schemas the router
 * validates with (issue 14 item 4). Nothing here is written by hand but the titles.
 */
import { PROBLEMS, ProblemSchema, PROBLEM_MEDIA_TYPE, problemType, type ProblemCode } from './problem.js';
import { jsonSchemaOf, parametersOf, type JsonSchema } from './json-schema.js';
import type { PartnerOperation } from './operation.js';

/** Problems every key-protected operation may answer, besides its own. */
export const COMMON_PROBLEMS: readonly ProblemCode[] = ['invalid-request', 'unauthorized', 'invalid-key', 'insufficient-scope', 'too-many-requests', 'internal'];

export interface DocumentSettings {
  /** Absolute URL of `<prefix>/partner/v1`. */
  serverUrl: string;
  version: string;
}

const REQUEST_ID = {
  description: 'The request id: yours when you sent a valid X-Request-Id, otherwise generated. Also in every problem body.',
  schema: { type: 'string' },
};

export function buildOpenApiDocument(operations: readonly PartnerOperation[], settings: DocumentSettings): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    (paths[operation.path] ??= {})[operation.method] = describeOperation(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ats-consent partner API',
      version: settings.version,
      description:
        'The API your backend calls on the kit (the sidecar). Authenticate with an API key (`ats-consent keys create`) as `Authorization: Bearer <key>`. Errors are RFC 9457 problem details. Generated from the code that serves it.',
    },
    servers: [{ url: settings.serverUrl }],
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'atsk_ + 49 base62 characters', description: 'An API key; scopes: read, write, proxy, admin.' },
      },
      schemas: { Problem: jsonSchemaOf(ProblemSchema) },
    },
    paths,
  };
}

function describeOperation(operation: PartnerOperation): Record<string, unknown> {
  const rest = operation.passthrough?.rest;
  const parameters = [
    ...parametersOf(operation.params).map((parameter) => ({
      in: 'path',
      ...parameter,
      required: true,
      // OpenAPI path parameters hold one segment; this one holds the rest of the path. Marked so
      // tooling (and our tests' checker) can tell; the description says how to send it.
      ...(parameter.name === rest ? { 'x-ats-rest-of-path': true } : {}),
    })),
    ...parametersOf(operation.query).map((parameter) => ({ in: 'query', ...parameter })),
    ...parametersOf(operation.headers).map((parameter) => ({ in: 'header', ...parameter })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    responses[status] = {
      description: response.description,
      headers: {
        'X-Request-Id': REQUEST_ID,
        ...Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }])),
      },
      content: { 'application/json': { schema: jsonSchemaOf(response.schema) } },
    };
  }
  if (operation.passthrough) {
    // Whatever the other side answers, any status and media type: told apart from the kit's own
    // problems by the marker header the description names, not by the status.
    const { description, headers } = operation.passthrough.answers;
    responses.default = { description, headers: { 'X-Request-Id': REQUEST_ID, ...headers }, content: { '*/*': { schema: {} } } };
  }
  // Any body may be too large or of the wrong type (the router answers those before the handler).
  const bodyProblems: ProblemCode[] = operation.body || operation.fileBody ? ['payload-too-large', 'unsupported-media-type'] : [];
  const problems = new Set<ProblemCode>([...(operation.scopes ? COMMON_PROBLEMS : []), ...bodyProblems, ...operation.problems]);
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problems) byStatus.set(PROBLEMS[code][0], [...(byStatus.get(PROBLEMS[code][0]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((code) => `${PROBLEMS[code][1]} (${problemType(code)})`).join('; '),
      headers: {
        'X-Request-Id': REQUEST_ID,
        ...(status === 401 || status === 403 ? { 'WWW-Authenticate': { description: 'RFC 6750 §3 challenge.', schema: { type: 'string' } } } : {}),
        ...(status === 429 ? { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'string' } } } : {}),
      },
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  const body: JsonSchema | undefined = operation.body && jsonSchemaOf(operation.body);
  const passthroughBody = operation.passthrough?.acceptsBody ? { requestBody: { required: false, content: { '*/*': { schema: {} } } } } : {};
  return {
    operationId: operation.id,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    security: operation.scopes ? [{ apiKey: [...operation.scopes] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: Object.fromEntries((operation.bodyMediaTypes ?? ['application/json']).map((type) => [type, { schema: body }])) } } : {}),
    ...(operation.fileBody ? { requestBody: fileRequestBody(operation.fileBody) } : {}),
    ...passthroughBody,
    responses,
  };
}

/** A file body: the file itself under each of its media types, and the multipart form holding it (OpenAPI 3.1 §4.8.14). */
function fileRequestBody(spec: NonNullable<PartnerOperation['fileBody']>): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const type of spec.fileTypes) content[type] = { schema: { type: 'string', contentMediaType: type } };
  if (spec.multipartField) {
    content['multipart/form-data'] = {
      schema: {
        type: 'object',
        required: [spec.multipartField],
        additionalProperties: false,
        properties: { [spec.multipartField]: { type: 'string', contentMediaType: spec.fileTypes[0] } },
      },
      encoding: { [spec.multipartField]: { contentType: spec.fileTypes.join(', ') } },
    };
  }
  return { required: true, description: `${spec.description} At most ${spec.maxBytes} bytes.`, content };
}
