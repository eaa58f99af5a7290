/**
 * The fake providers' protected API, under `/api` (the demo's `apiBaseUrl`): a small people
 * resource shaped like TE Recruit's public v1 API as public client code uses it
 * (reference/providers.md §2.3: `POST /people` with `{"person":{first_name,last_name,status}}` →
 * `{"person":{id,…}}`, `POST /people/search` → `{entries, pagination{total_pages,current_page}}`,
 * `GET /hotlists?record_type=&scope=&name=&page=`), with the resource-server errors of the
 * flavour's library:
 *
 * - Doorkeeper (§2.2): an invalid, expired or missing token → 401 with an empty body and
 *   `WWW-Authenticate: Bearer realm="Doorkeeper", error="invalid_token", …`;
 * - oauth2-server-php (§4.3): 401 with `{"error":"invalid_token","error_description":…}`.
 *
 * Rails-style 422 `{"errors":{field:[…]}}` for a missing name, 415 for a body that is not JSON,
 * 404 `{"error":"not_found"}` for an unknown person, 429 with `Retry-After` (TE clients handle it,
 * §2.3), and ETag / If-None-Match → 304 on a person. [INF] where the reference has no body shape.
 *
 * For the tests: every request is recorded (method, path, query, headers, body), and faults can be
 * queued: a 500, a 503, a 429, a 302 to a chosen URL, a delay, a reset connection, an oversized body.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { delay, readRawBody, sendJson } from './http-helpers.js';

export const API_FAULTS = ['status-500', 'status-503', 'status-429', 'redirect', 'delay', 'reset', 'large'] as const;
export type ApiFault = (typeof API_FAULTS)[number];

export interface RecordedApiRequest {
  method: string;
  path: string;
  search: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

interface Person {
  id: number;
  first_name: string;
  last_name: string;
  status: string;
}

export interface FakeProviderApiOptions {
  flavour: 'doorkeeper' | 'oauth2-server-php';
  /** True when the bearer token is live. */
  validToken: (token: string) => boolean;
  faultDelayMs?: number;
}

export class FakeProviderApi {
  readonly requests: RecordedApiRequest[] = [];
  /** Where the `redirect` fault points. */
  redirectTo = 'http://127.0.0.1:9/';
  /** Size of the `large` fault's body (chunked, no Content-Length). */
  largeBodyBytes = 5 * 1024 * 1024;
  readonly #people = new Map<number, Person>();
  #nextId = 1;
  #faults: ApiFault[] = [];

  constructor(private readonly options: FakeProviderApiOptions) {}

  injectFault(fault: ApiFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.#faults.push(fault);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = (await readRawBody(req, 8 * 1024 * 1024)) ?? Buffer.alloc(0);
    this.requests.push({ method: req.method ?? '', path: url.pathname, search: url.search, headers: req.headers, body });
    const fault = this.#faults.shift();
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'status-500') return sendJson(res, 500, { error: 'Internal Server Error' });
    if (fault === 'status-503') return sendJson(res, 503, { error: 'Service Unavailable' });
    if (fault === 'status-429') return sendJson(res, 429, { error: 'Too Many Requests' }, { 'retry-after': '30' });
    if (fault === 'redirect') return void res.writeHead(302, { location: this.redirectTo }).end();
    if (fault === 'delay') await delay(this.options.faultDelayMs ?? 15_000);
    if (fault === 'large') return this.#large(res);

    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.options.validToken(token)) return this.#unauthorized(res);
    const path = url.pathname.replace(/^\/api/, '');
    const person = /^\/people\/(\d+)$/.exec(path);
    if (path === '/people' && req.method === 'POST') return this.#create(req, res, body);
    if (path === '/people/search' && req.method === 'POST') return this.#search(req, res, body);
    if (path === '/hotlists' && req.method === 'GET') return this.#hotlists(url, res);
    if (person && (req.method === 'GET' || req.method === 'HEAD')) return this.#read(req, res, Number(person[1]));
    if (person && req.method === 'DELETE') return this.#delete(res, Number(person[1]));
    sendJson(res, 404, { error: 'not_found' });
  }

  #unauthorized(res: ServerResponse): void {
    if (this.options.flavour === 'doorkeeper') {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"' }).end();
      return;
    }
    sendJson(res, 401, { error: 'invalid_token', error_description: 'The access token provided is invalid' }, { 'www-authenticate': 'Bearer realm="Service", error="invalid_token"' });
  }

  /** A JSON body, or the answer already sent (415 / 400). */
  #json(req: IncomingMessage, res: ServerResponse, body: Buffer): Record<string, unknown> | undefined {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(res, 415, { error: 'Unsupported media type: send application/json' });
      return undefined;
    }
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // answered below
    }
    sendJson(res, 400, { error: 'Malformed JSON' });
    return undefined;
  }

  #create(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const json = this.#json(req, res, body);
    if (!json) return;
    const given = (json.person ?? {}) as Partial<Record<keyof Person, unknown>>;
    const errors: Record<string, string[]> = {};
    for (const field of ['first_name', 'last_name'] as const) if (typeof given[field] !== 'string' || given[field] === '') errors[field] = ["can't be blank"];
    if (Object.keys(errors).length > 0) return sendJson(res, 422, { errors });
    const person: Person = { id: this.#nextId++, first_name: given.first_name as string, last_name: given.last_name as string, status: typeof given.status === 'string' ? given.status : 'active' };
    this.#people.set(person.id, person);
    sendJson(res, 201, { person });
  }

  #search(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const json = this.#json(req, res, body);
    if (!json) return;
    const keyword = String((json.person_search as { keyword?: unknown } | undefined)?.keyword ?? '').toLowerCase();
    const entries = [...this.#people.values()].filter((person) => `${person.first_name} ${person.last_name}`.toLowerCase().includes(keyword));
    sendJson(res, 200, { entries, pagination: { total_pages: 1, current_page: Number(json.page ?? 1) } });
  }

  #hotlists(url: URL, res: ServerResponse): void {
    const name = url.searchParams.get('name') ?? '';
    const entries = name ? [{ id: 1, name, record_type: url.searchParams.get('record_type') ?? 'person' }] : [];
    sendJson(res, 200, { entries, pagination: { total_pages: 1, current_page: Number(url.searchParams.get('page') ?? 1) } });
  }

  #read(req: IncomingMessage, res: ServerResponse, id: number): void {
    const person = this.#people.get(id);
    if (!person) return sendJson(res, 404, { error: 'not_found' });
    const etag = `W/"${createHash('sha256').update(JSON.stringify(person)).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    sendJson(res, 200, { person }, { etag, 'x-request-id': randomUUID(), 'set-cookie': '_session=fake; HttpOnly' });
  }

  #delete(res: ServerResponse, id: number): void {
    if (!this.#people.delete(id)) return sendJson(res, 404, { error: 'not_found' });
    res.writeHead(204).end();
  }

  #large(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < this.largeBodyBytes) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', write);
      }
      res.end();
    };
    res.on('error', () => undefined);
    write();
  }
}
