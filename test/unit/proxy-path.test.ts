/**
 * The connection proxy's path and query rules (server/partner-api/proxy/proxy-path.ts), case by
 * case: what stays under the provider's API base, and what is refused before anything is sent.
 * The integration test (test/integration/partner-api/proxy.test.ts) proves the same end to end.
 */
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../server/partner-api/problem.js';
import { checkProxyPath, checkProxyQuery, upstreamPath } from '../../server/partner-api/proxy/proxy-path.js';

const BASE = 'https://bb3api.topechelon.com/public/v1';

describe('accepted paths stay under the base', () => {
  it.each([
    ['people', 'https://bb3api.topechelon.com/public/v1/people'],
    ['people/search', 'https://bb3api.topechelon.com/public/v1/people/search'],
    ['people/', 'https://bb3api.topechelon.com/public/v1/people/'],
    ['people/.hidden/...', 'https://bb3api.topechelon.com/public/v1/people/.hidden/...'],
    ['people/@evil.example:443', 'https://bb3api.topechelon.com/public/v1/people/@evil.example:443'],
    ['people/Ren%C3%A9e%20Z', 'https://bb3api.topechelon.com/public/v1/people/Ren%C3%A9e%20Z'],
    ["a;b=c/!$&'()*+,=~_-", "https://bb3api.topechelon.com/public/v1/a;b=c/!$&'()*+,=~_-"],
  ])('%s', (rest, expected) => {
    expect(new URL(BASE + '/' + upstreamPath(BASE, rest, '')).href).toBe(expected);
  });

  it('keeps the query as sent, and works for a base without a path (CareerPlug)', () => {
    expect(upstreamPath(BASE, 'hotlists', 'name=a%20b&ids[]=1&ids[]=2')).toBe('hotlists?name=a%20b&ids[]=1&ids[]=2');
    expect(new URL('https://api.careerplug.com/' + upstreamPath('https://api.careerplug.com', 'jobs/1', '')).href).toBe('https://api.careerplug.com/jobs/1');
  });
});

describe('refused paths (400, field "path")', () => {
  it.each([
    ['', 'empty'],
    ['/evil.example/x', '//host'],
    ['http://evil.example/x', 'absolute URL'],
    ['https:evil.example', 'scheme, no slashes'],
    ['javascript:alert(1)', 'scheme'],
    ['a//b', 'empty segment inside'],
    ['..', 'dot-dot'],
    ['.', 'dot'],
    ['a/../../b', 'dot-dot inside'],
    ['a/./b', 'dot inside'],
    ['%2e%2e/x', 'encoded dot-dot'],
    ['%2E./x', 'half-encoded dot-dot'],
    ['a%2Fb', 'encoded slash'],
    ['a%2fb', 'encoded slash, lower case'],
    ['a%5Cb', 'encoded backslash'],
    ['a\\b', 'backslash'],
    ['%252e%252e/x', 'double-encoded dot-dot'],
    ['a%0D%0AX-Injected:%201', 'encoded CR LF'],
    ['a%00', 'encoded NUL'],
    ['a%7F', 'encoded DEL'],
    ['a b', 'space'],
    ['a\u00e9', 'raw non-ASCII'],
    ['a%zz', 'malformed escape'],
    ['a#frag', 'fragment'],
    ['a?b', 'query in the path'],
    ['a'.repeat(2049), 'too long'],
  ])('%j (%s)', (rest) => {
    let caught: unknown;
    try {
      checkProxyPath(rest);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProblemError);
    expect((caught as ProblemError).status).toBe(400);
    expect((caught as ProblemError).options.errors).toEqual([expect.objectContaining({ in: 'path', field: 'path' })]);
  });
});

describe('refused queries (400, field "query")', () => {
  it.each(['a=b#c', 'a=b c', 'a=\r\n', 'a=\u00e9', 'a='.padEnd(4097, 'x')])('%j', (query) => {
    expect(() => checkProxyQuery(query)).toThrow(ProblemError);
  });
});
