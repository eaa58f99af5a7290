/** callHook: a partner hook's answer within its time budget; synchronous answers need no timer. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callHook } from '../../../server/assessment/hook-call.js';

afterEach(() => vi.useRealTimers());

describe('callHook', () => {
  it('a synchronous answer is taken as it is, without a timer', async () => {
    vi.useFakeTimers();
    await expect(callHook(() => [1, 2], 100)).resolves.toEqual({ ok: true, value: [1, 2] });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a throw, synchronous or not, is reported as such', async () => {
    await expect(callHook(() => { throw new Error('boom'); }, 100)).resolves.toEqual({ ok: false, reason: 'threw' });
    await expect(callHook(() => Promise.reject(new Error('boom')), 100)).resolves.toEqual({ ok: false, reason: 'threw' });
    const hostile = { get then() { throw new Error('boom'); } };
    await expect(callHook(() => hostile, 100)).resolves.toEqual({ ok: false, reason: 'threw' });
  });

  it('an asynchronous answer within the budget is taken, and its timer cleared', async () => {
    vi.useFakeTimers();
    const outcome = callHook(() => new Promise((resolve) => setTimeout(() => resolve('late but in time'), 50)), 100);
    await vi.advanceTimersByTimeAsync(50);
    await expect(outcome).resolves.toEqual({ ok: true, value: 'late but in time' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a hook that hangs past the budget times out', async () => {
    vi.useFakeTimers();
    const outcome = callHook(() => new Promise(() => {}), 100);
    await vi.advanceTimersByTimeAsync(100);
    await expect(outcome).resolves.toEqual({ ok: false, reason: 'timeout' });
  });
});
