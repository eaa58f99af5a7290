/**
 * The client's address for throttling, from the socket or, behind proxies the partner runs, from
 * `X-Forwarded-For`.
 *
 * The leftmost `X-Forwarded-For` entry (what Koa's `ctx.ip` gives with `app.proxy`) is written by
 * the client and is worth nothing (issue 13 finding 4). Each proxy *appends* the address it was
 * reached from, so with `trustedHops` proxies of the partner's own in front of the kit, the client's
 * address is the entry the outermost of them appended: the `trustedHops`-th from the right.
 *
 * IPv6 clients are keyed by their /64: one host usually holds a whole /64, and keying by /128 would
 * hand it 2^64 throttle buckets.
 */
import { isIP } from 'node:net';
import type { Context } from 'koa';

export function clientAddress(ctx: Context, trustedHops: number): string {
  const socketAddress = ctx.req.socket.remoteAddress ?? '';
  if (trustedHops <= 0) return throttleKeyOf(socketAddress);
  const forwarded = ctx
    .get('x-forwarded-for')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return throttleKeyOf(socketAddress);
  // Fewer entries than trusted hops: every entry was appended by a trusted proxy; the first is the client.
  const entry = withoutPort(forwarded[Math.max(0, forwarded.length - trustedHops)]!);
  // Something that is no address (a proxy that writes `unknown`, or garbage) counts as the socket's.
  return throttleKeyOf(isIP(entry) ? entry : socketAddress);
}

/** `1.2.3.4:5678` and `[2001:db8::1]:443` (some proxies append the port) → the bare address. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4 ? v4[1]! : entry;
}

/** An address as a throttle key: IPv4-mapped IPv6 as IPv4, other IPv6 by its /64 prefix. */
export function throttleKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
