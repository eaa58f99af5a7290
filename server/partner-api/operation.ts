/**
 * What a partner API operation is: data. Method, path, the scopes a key needs, valibot schemas for
 * the path parameters, the query, the body and each answer, and the handler. The router validates
 * requests with these schemas at run time and the OpenAPI document is generated from the same ones
 * (issue 14 item 4: "the spec is the code"), so the two cannot drift.
 */
import type * as v from 'valibot';
import type { ApiKeySummary } from '../api-keys/api-keys.js';
import type { ApiKeyScope } from '../store/schema.js';
import type { ProblemCode } from './problem.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
// valibot's object schemas, whatever their entries (query and path parameters are flat objects).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ParametersSchema = v.ObjectSchema<any, any> | v.StrictObjectSchema<any, any>;
export type AnySchema = v.GenericSchema;

/**
 * A body that is a file rather than JSON (issue 14: result attachments). The file itself with one of
 * `fileTypes` as its Content-Type (its name from `Content-Disposition: attachment; filename="…"`),
 * or, with `multipartField`, `multipart/form-data` holding one file part of that name (and of one of
 * `fileTypes`). Read in full up to `maxBytes` before anything else (413 past it), then checked: any
 * other media type is 415. Node's own `Response.formData()` parses the multipart body, so no parser
 * dependency is needed.
 */
export interface FileBody {
  fileTypes: readonly string[];
  multipartField?: string;
  maxBytes: number;
  description: string;
}

export interface UploadedFile {
  /** From Content-Disposition or the multipart part; null when the request named none. */
  filename: string | null;
  contentType: string;
  data: Uint8Array;
}

export interface OperationInput<P, Q, B, H = Record<string, never>> {
  params: P;
  query: Q;
  body: B;
  /** The request headers the operation declares (`headers`), validated. */
  headers: H;
  /** The file, on operations with a `fileBody`. */
  file: UploadedFile | undefined;
  /** The caller's key; null on operations that need none. */
  key: ApiKeySummary | null;
  requestId: string;
  /** The request as received: only on `passthrough` operations. */
  raw?: RawRequest;
}

/** What a `passthrough` operation receives instead of a parsed query and JSON body. */
export interface RawRequest {
  /** Upper case; HEAD arrives on the GET operation (RFC 9110 §9.3.2). */
  method: string;
  /** The `rest` path parameter exactly as sent: still percent-encoded, never normalized. */
  rest: string;
  /** The query string without `?`, as sent ('' when none). */
  query: string;
  /** Lower-case names; Node has already refused CR, LF and NUL in names and values. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body's bytes, at most `maxBodyBytes` (empty when none was sent). */
  body: Buffer;
}

export interface OperationResult {
  status: number;
  /** JSON, or bytes (a `passthrough` answer), or null for no content. */
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A raw request in, any answer out: the connection proxy, which must forward the caller's bytes
 * and query unchanged and pass the provider's answer through. Everything else about the operation
 * (key, scopes, path parameters, problems) works as usual.
 */
export interface PassthroughOptions {
  /** The last path parameter, which spans the rest of the path, slashes included. */
  rest: string;
  /** Larger bodies → 413 without reading the rest. */
  maxBodyBytes: number;
  /** Whether a request body is accepted (documented as any media type). */
  acceptsBody: boolean;
  /** The OpenAPI `default` response: what comes back from the other side, with its headers. */
  answers: { description: string; headers: Record<string, { description: string; schema: Record<string, unknown> }> };
}

export interface PartnerOperation<P = unknown, Q = unknown, B = unknown> {
  /** `operationId`: stable, what generated clients name their methods after. */
  id: string;
  method: HttpMethod;
  /** Under `<prefix>/partner/v1`, OpenAPI template syntax: `/integrations/{companyId}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Every scope the key needs; null: no key (the document itself). */
  scopes: readonly ApiKeyScope[] | null;
  params?: ParametersSchema;
  query?: ParametersSchema;
  /** Request headers the operation reads (names in lower case), validated and documented like parameters. */
  headers?: ParametersSchema;
  body?: AnySchema;
  /** Largest JSON body, when not the router's default. */
  maxBodyBytes?: number;
  /** The JSON body's media types, when not just application/json (e.g. RFC 7396's application/merge-patch+json too). */
  bodyMediaTypes?: readonly string[];
  /** A file instead of a JSON body; exclusive with `body`. */
  fileBody?: FileBody;
  /** Successful answers by status, with the headers they carry (name → description). */
  responses: Readonly<Record<number, { description: string; schema: AnySchema; headers?: Readonly<Record<string, string>> }>>;
  /** Set on the connection proxy only: see `PassthroughOptions`. */
  passthrough?: PassthroughOptions;
  /** Problems this operation answers besides the ones every operation may (invalid request, authentication, throttling). */
  problems: readonly ProblemCode[];
  handle(input: OperationInput<P, Q, B>): Promise<OperationResult>;
}

/**
 * Declares an operation with its handler's input typed from its schemas (what validation outputs).
 * Returns it widened, so the registry can hold operations of every shape.
 */
export function defineOperation<
  PS extends ParametersSchema | undefined = undefined,
  QS extends ParametersSchema | undefined = undefined,
  BS extends AnySchema | undefined = undefined,
  HS extends ParametersSchema | undefined = undefined,
>(
  operation: Omit<PartnerOperation, 'params' | 'query' | 'body' | 'headers' | 'handle'> & {
    params?: PS;
    query?: QS;
    body?: BS;
    headers?: HS;
    handle(
      input: OperationInput<
        PS extends AnySchema ? v.InferOutput<PS> : Record<string, never>,
        QS extends AnySchema ? v.InferOutput<QS> : Record<string, never>,
        BS extends AnySchema ? v.InferOutput<BS> : undefined,
        HS extends AnySchema ? v.InferOutput<HS> : Record<string, never>
      >,
    ): Promise<OperationResult>;
  },
): PartnerOperation {
  return operation as unknown as PartnerOperation;
}
