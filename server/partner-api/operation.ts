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
}

export interface OperationResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
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
