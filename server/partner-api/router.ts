/**
 * Serves the registry's operations under `<prefix>/partner/v1`. For each request: a request id,
 * the key (when the operation needs one) with its scopes, then the path parameters, the query and
 * the body validated against the operation's schemas — nothing reaches a handler unchecked, and a
 * bad request changes nothing. Every error leaves as an RFC 9457 problem.
 *
 * The one exception is a `passthrough` operation (the connection proxy): its query and body are
 * the provider's to judge, so they arrive raw (the body under a size cap, the rest of the path
 * undecoded) and the handler checks what it forwards (proxy/proxy-path.ts, proxy-headers.ts).
 */
import Router from '@koa/router';
import compose from 'koa-compose';
import type { Context, Middleware, Next } from 'koa';
import getRawBody from 'raw-body';
import * as v from 'valibot';
import { AtsServerError } from '../errors.js';
import { clientAddress } from '../http/client-address.js';
import { readJson } from '../http/read-body.js';
import type { Logger } from '../log.js';
import type { ApiKeyAuthenticator } from './api-key-auth.js';
import { parametersOf } from './json-schema.js';
import type { FileBody, ParametersSchema, PartnerOperation, RawRequest, UploadedFile } from './operation.js';
import { PROBLEM_MEDIA_TYPE, ProblemError, problemBody, problemFromKitError, type FieldError } from './problem.js';
import { requestId } from './request-id.js';

export interface PartnerRouterSettings {
  /** `<prefix>/partner/v1`. */
  basePath: string;
  operations: readonly PartnerOperation[];
  auth: ApiKeyAuthenticator;
  trustProxy: number;
  logger: Logger;
  /** Largest JSON body accepted. */
  maxBodyBytes?: number;
}

export function partnerApiMiddleware(settings: PartnerRouterSettings): Middleware {
  const router = new Router({ prefix: settings.basePath });
  for (const operation of settings.operations) {
    // A passthrough's rest parameter spans segments: path-to-regexp's `*name` wildcard.
    const rest = operation.passthrough?.rest;
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === rest ? `*${name}` : `:${name}`));
    router[operation.method](operation.id, path, runOperation(operation, settings));
  }
  const stack = compose([requestId, problems(settings.logger), answerUnrouted, router.routes(), router.allowedMethods()]) as Middleware;
  return function partnerApi(ctx, next) {
    if (ctx.path !== settings.basePath && !ctx.path.startsWith(settings.basePath + '/')) return next();
    // The base path belongs to the partner API: nothing after it (the kit's own router and error
    // shape) sees these requests.
    return stack(ctx, async () => {});
  };
}

function runOperation(operation: PartnerOperation, settings: PartnerRouterSettings): Middleware {
  const numericQuery = new Set(parametersOf(operation.query).filter((p) => p.schema.type === 'integer' || p.schema.type === 'number').map((p) => p.name));
  const rawRest = operation.passthrough && restMatcher(settings.basePath, operation.path, operation.passthrough.rest);
  return async function partnerOperation(ctx: Context) {
    const key = operation.scopes
      ? await settings.auth.authenticate({ authorization: ctx.get('authorization') || undefined, query: ctx.query, clientAddress: clientAddress(ctx, settings.trustProxy) }, operation.scopes)
      : null;
    const params = validate(operation.params, ctx.params ?? {}, 'path');
    const requestId = ctx.state.requestId as string;
    let result;
    if (rawRest) {
      // The query and body are the provider's business, passed on unparsed (proxy/ checks them).
      const headers = validate(operation.headers, declaredHeaders(ctx, operation.headers), 'header');
      result = await operation.handle({ params, query: {}, body: undefined, headers, file: undefined, key, requestId, raw: await rawRequest(ctx, operation, rawRest) });
    } else {
      const query = validate(operation.query, coerceQuery(ctx.query, numericQuery), 'query');
      const headers = validate(operation.headers, declaredHeaders(ctx, operation.headers), 'header');
      let body: unknown;
      let file: UploadedFile | undefined;
      const bodyLimit = operation.maxBodyBytes ?? settings.maxBodyBytes ?? 64 * 1024;
      if (operation.body) body = validate(operation.body, operation.bodyMediaTypes ? await readJsonAs(ctx, operation.bodyMediaTypes, bodyLimit) : await readJson(ctx, bodyLimit), 'body');
      else if (operation.fileBody) file = await readFile(ctx, operation.fileBody);
      else if (hasBody(ctx)) throw noBody();
      result = await operation.handle({ params, query, body, headers, file, key, requestId });
    }
    ctx.status = result.status;
    if (result.headers) ctx.set(result.headers);
    ctx.body = result.body;
  };
}

const noBody = () => new ProblemError('invalid-request', 'This operation takes no request body.', { errors: [{ in: 'body', field: '', detail: 'must be empty' }] });

/**
 * The undecoded rest of the path: koa-router hands parameters decoded (`%2F` already a slash,
 * `%2e%2e` already `..`), and whoever checks a path for escapes must see what was sent.
 */
function restMatcher(basePath: string, template: string, rest: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  const parts = template.split(/(\{\w+\})/).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name === undefined) return escape(part);
    return name === rest ? '(.*)' : '[^/]*';
  });
  return new RegExp('^' + escape(basePath) + parts.join('') + '$', 's');
}

/** The request as received, for a passthrough operation: method, the raw rest of the path, the query string, headers and the body's bytes under the cap. */
async function rawRequest(ctx: Context, operation: PartnerOperation, matcher: RegExp): Promise<RawRequest> {
  const options = operation.passthrough!;
  let body: Buffer = Buffer.alloc(0);
  if (hasBody(ctx)) {
    if (!options.acceptsBody || ctx.method === 'GET' || ctx.method === 'HEAD') throw noBody();
    body = await readBody(ctx, options.maxBodyBytes);
  }
  return { method: ctx.method, rest: matcher.exec(ctx.path)?.[1] ?? '', query: ctx.querystring, headers: ctx.headers, body };
}

/** Only the headers the operation declares (a header schema is never strict: every request carries others). */
function declaredHeaders(ctx: Context, schema: ParametersSchema | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys((schema?.entries ?? {}) as Record<string, unknown>)) {
    const value = ctx.get(name);
    if (value !== '') out[name] = value;
  }
  return out;
}

/**
 * A file body (operation.ts `FileBody`): the type is checked before a byte is read (415), the size
 * while reading (413, from Content-Length at once when it is sent), then a multipart body is parsed
 * from the bounded buffer and must hold exactly the one file part.
 */
async function readFile(ctx: Context, spec: FileBody): Promise<UploadedFile> {
  const mediaType = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  const multipart = spec.multipartField !== undefined && mediaType === 'multipart/form-data';
  if (!multipart && !spec.fileTypes.includes(mediaType)) throw unsupported(spec);
  const data = await readBody(ctx, spec.maxBytes + (multipart ? MULTIPART_OVERHEAD : 0), `The file is larger than ${spec.maxBytes} bytes.`);
  if (!multipart) return { filename: dispositionFilename(ctx.get('content-disposition')), contentType: mediaType, data: new Uint8Array(data) };
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(data), { headers: { 'content-type': ctx.get('content-type') } }).formData();
  } catch {
    throw new ProblemError('invalid-request', 'The multipart body could not be parsed.', { errors: [{ in: 'body', field: '', detail: 'not multipart/form-data' }] });
  }
  const field = spec.multipartField!;
  const parts = form.getAll(field);
  const names = [...new Set(form.keys())];
  const part = parts[0];
  if (parts.length !== 1 || names.length !== 1 || typeof part === 'string' || part === undefined) {
    throw new ProblemError('invalid-request', `Send exactly one file part named "${field}" and nothing else.`, { errors: [{ in: 'body', field: `/${field}`, detail: 'exactly one file part' }] });
  }
  const partType = (part.type.split(';')[0] ?? '').trim().toLowerCase();
  if (!spec.fileTypes.includes(partType)) throw unsupported(spec);
  if (part.size > spec.maxBytes) throw new ProblemError('payload-too-large', `The file is larger than ${spec.maxBytes} bytes.`);
  return { filename: part.name || null, contentType: partType, data: new Uint8Array(await part.arrayBuffer()) };
}

/** A JSON body under one of the operation's own media types (e.g. RFC 7396's application/merge-patch+json). */
async function readJsonAs(ctx: Context, types: readonly string[], limit: number): Promise<unknown> {
  const mediaType = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (!types.includes(mediaType)) {
    throw new ProblemError('unsupported-media-type', `Send the body as ${types.join(' or ')}.`, { errors: [{ in: 'header', field: 'content-type', detail: `expected ${types.join(' or ')}` }] });
  }
  // TextDecoder drops a leading BOM, as reading the body as utf8 text does (readJson, read-body.ts).
  const text = new TextDecoder().decode(await readBody(ctx, limit));
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError('invalid-request', 'The request body is not valid JSON.', { errors: [{ in: 'body', field: '', detail: 'not JSON' }] });
  }
}

/**
 * The body's bytes, at most `limit`: past it 413 (at once when Content-Length says so, else as soon
 * as the count passes it, without reading the rest); a body that cannot be read is 400.
 */
async function readBody(ctx: Context, limit: number, tooLarge = `The request body is larger than ${limit} bytes.`): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw new ProblemError('payload-too-large', tooLarge);
    throw new ProblemError('invalid-request', 'The request body could not be read.');
  }
}

/** Room for a multipart body's boundaries and part headers around a file of the largest size. */
const MULTIPART_OVERHEAD = 16 * 1024;

function unsupported(spec: FileBody): ProblemError {
  const types = [...spec.fileTypes, ...(spec.multipartField ? ['multipart/form-data'] : [])].join(' or ');
  return new ProblemError('unsupported-media-type', `Send the file as ${types}.`, { errors: [{ in: 'header', field: 'content-type', detail: `expected ${types}` }] });
}

/** RFC 6266 `filename="…"` (or a bare token); `filename*` is not decoded: the plain form is the portable one. */
function dispositionFilename(header: string): string | null {
  const match = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.){0,300})"|([^;\s]{1,300}))/i.exec(header);
  if (!match) return null;
  return (match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1') || null;
}

/** Query values are strings; numeric parameters are converted only when they are plain integers, so `limit=1e3` fails validation. */
function coerceQuery(query: Record<string, unknown>, numeric: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw new ProblemError('invalid-request', `The "${name.slice(0, 40)}" parameter must appear once.`, { errors: [{ in: 'query', field: name.slice(0, 40), detail: 'repeated' }] });
    out[name] = numeric.has(name) && typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return out;
}

function validate(schema: ParametersSchema | v.GenericSchema | undefined, input: unknown, where: FieldError['in']): never {
  if (!schema) return {} as never;
  const result = v.safeParse(schema, input);
  if (result.success) return result.output as never;
  const errors = result.issues.slice(0, 10).map((issue) => ({ in: where, field: fieldOf(issue, where), detail: describeIssue(issue) }));
  throw new ProblemError('invalid-request', `Invalid ${where === 'body' ? 'request body' : `${where} parameter`} ${errors[0]!.field || '(body)'}: ${errors[0]!.detail}`, { errors });
}

/** Parameters by name; body fields as a JSON Pointer (RFC 6901). */
function fieldOf(issue: v.BaseIssue<unknown>, where: FieldError['in']): string {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  // An unknown key in a strict object: its name is the input of the issue.
  if (issue.type === 'strict_object' && keys.length === 0 && typeof issue.input === 'string') keys.push(issue.input);
  const clipped = keys.map((key) => key.slice(0, 40));
  if (where === 'body') return clipped.map((key) => '/' + key.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
  return clipped.join('.');
}

/** valibot's message, without echoing the received value (it may be long or hold something private). */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'strict_object') return 'is not a known field or parameter';
  if (issue.message && issue.type === 'check') return issue.message;
  return `expected ${issue.expected ?? issue.type}`;
}

function hasBody(ctx: Context): boolean {
  const length = ctx.get('content-length');
  return (length !== '' && length !== '0') || ctx.get('transfer-encoding') !== '';
}

/** Every error as a problem (RFC 9457); anything unexpected is logged and answered 500 without detail. */
function problems(logger: Logger) {
  return async function answerProblems(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (caught) {
      let problem: ProblemError;
      if (caught instanceof ProblemError) problem = caught;
      else if (caught instanceof AtsServerError) problem = problemFromKitError(caught);
      else if (isClientHttpError(caught)) problem = new ProblemError(caught.status === 413 ? 'payload-too-large' : 'invalid-request', 'The request could not be read.', { status: caught.status === 413 ? 413 : 400 });
      else problem = new ProblemError('internal', 'The server could not complete the request.');
      if (problem.status >= 500) logger.error({ err: caught, path: ctx.path, requestId: ctx.state.requestId }, 'partner API request failed');
      ctx.status = problem.status;
      ctx.set(problem.options.headers ?? {});
      ctx.body = problemBody(problem, ctx.state.requestId as string, ctx.path);
      ctx.type = PROBLEM_MEDIA_TYPE;
    }
  };
}

function isClientHttpError(error: unknown): error is { status: number } {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Unknown paths and wrong methods under the base path are problems too (the router has set `Allow` for a 405). */
async function answerUnrouted(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.status === 405) throw new ProblemError('method-not-allowed', 'This method is not allowed here.', { headers: { allow: ctx.response.get('allow') } });
  if (ctx.status === 404 && ctx.body == null) throw new ProblemError('not-found', 'There is no operation at this address.');
}
