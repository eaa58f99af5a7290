/**
 * RFC 6749 §2.3.1 client authentication parsing and Appendix B decoding (reference/security.md T17;
 * vectors from node-oidc-provider's client_auth tests).
 */
import { describe, expect, it } from 'vitest';
import { readClientCredentials } from '../../server/oauth/client-authentication.js';
import { basicHeader } from '../helpers/integration-fixture.js';

const none = new URLSearchParams();

describe('RFC 6749 Appendix B: Basic credentials are form-urlencoded, then base64', () => {
  it.each([
    [' %&+', ' %&+'],
    ['an:identifier', 'some secure & non-standard secret'],
    ['ats_AbC-_xyz', 'Zm9vYmFy-_base64url'],
    ['ünïcode', 'sécret'],
  ])('round-trips id %j / secret %j', (clientId, clientSecret) => {
    expect(readClientCredentials(basicHeader(clientId, clientSecret), none)).toEqual({ clientId, clientSecret, method: 'client_secret_basic' });
  });

  it('the ":" inside an id arrives as %3A and is split correctly', () => {
    const header = basicHeader('an:identifier', 'secret');
    expect(Buffer.from(header.slice(6), 'base64').toString()).toBe('an%3Aidentifier:secret');
  });

  it('accepts the scheme name in any case', () => {
    expect(readClientCredentials('basic ' + basicHeader('a', 'b').slice(6), none)?.clientId).toBe('a');
  });
});

describe('RFC 6749 §2.3.1 malformed client authentication → invalid_request', () => {
  const raw = (text: string) => 'Basic ' + Buffer.from(text).toString('base64');
  it.each([
    ['a raw (not form-encoded) header', raw('foo with %:foo with $'), 'not properly encoded'],
    ['Basic without a value', 'Basic', 'format'],
    ['Basic with an empty value', 'Basic ', 'format'],
    ['no colon', 'Basic Zm9v', 'format'],
    ['base64 followed by junk', 'Basic Zm9vOmJhcg==!', 'format'],
    ['a Bearer token', 'Bearer abc', 'Basic'],
    ['an empty secret', raw('client:'), 'required'],
    ['an empty id', raw(':secret'), 'required'],
  ])('%s', (_name, header, message) => {
    expect(() => readClientCredentials(header, none)).toThrow(expect.objectContaining({ code: 'invalid_request', status: 400, description: expect.stringContaining(message) }));
  });

  it('Basic and a client_secret in the body: only one mechanism', () => {
    expect(() => readClientCredentials(basicHeader('a', 'b'), new URLSearchParams({ client_secret: 'b' }))).toThrow(/one mechanism/);
  });

  it('Basic and a different client_id in the body', () => {
    expect(() => readClientCredentials(basicHeader('a', 'b'), new URLSearchParams({ client_id: 'other' }))).toThrow(/does not match/);
  });

  it('client_secret_post needs both values', () => {
    expect(() => readClientCredentials(undefined, new URLSearchParams({ client_id: 'a', client_secret: '' }))).toThrow(/required/);
    expect(() => readClientCredentials(undefined, new URLSearchParams({ client_secret: 'b' }))).toThrow(/required/);
  });

  it('no credentials at all → null (the endpoint answers invalid_client)', () => {
    expect(readClientCredentials(undefined, none)).toBeNull();
  });
});
