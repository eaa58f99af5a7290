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

export interface OperationInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
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
  body?: AnySchema;
  /** Successful answers by status. */
  responses: Readonly<Record<number, { description: string; schema: AnySchema }>>;
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
>(
  operation: Omit<PartnerOperation, 'params' | 'query' | 'body' | 'handle'> & {
    params?: PS;
    query?: QS;
    body?: BS;
    handle(
      input: OperationInput<
        PS extends AnySchema ? v.InferOutput<PS> : Record<string, never>,
        QS extends AnySchema ? v.InferOutput<QS> : Record<string, never>,
        BS extends AnySchema ? v.InferOutput<BS> : undefined
      >,
    ): Promise<OperationResult>;
  },
): PartnerOperation {
  return operation as unknown as PartnerOperation;
}
