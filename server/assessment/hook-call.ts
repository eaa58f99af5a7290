/**
 * Calls a partner hook within a time budget. SmartRecruiters waits 15 s for the package list, the
 * order and the inline order (seed 003 §2–§3): a hook that hangs or throws must not make SR wait,
 * so it gets `timeoutMs` and its failure is reported to the caller as `undefined`-plus-reason, for
 * the caller to answer from what it has. A hook still running after its budget is left to finish
 * on its own; its result is ignored.
 *
 * A hook that answers synchronously (a catalogue kept in memory, say) has nothing to time out: it
 * gets no timer, which on the package list is a few µs of every SR call.
 */
export type HookOutcome<T> = { ok: true; value: T } | { ok: false; reason: 'timeout' | 'threw' };

export async function callHook<T>(hook: () => T | Promise<T>, timeoutMs: number): Promise<HookOutcome<T>> {
  let answer: T | Promise<T>;
  let pending: boolean;
  try {
    answer = hook();
    pending = isThenable(answer);
  } catch {
    return { ok: false, reason: 'threw' };
  }
  if (!pending) return { ok: true, value: answer as T };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<HookOutcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutMs);
  });
  const run = Promise.resolve(answer).then(
    (value): HookOutcome<T> => ({ ok: true, value }),
    (): HookOutcome<T> => ({ ok: false, reason: 'threw' }),
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
