/**
 * Deeply frozen values: nothing in them can change, so a check made once holds for good. The
 * standalone catalogue file is frozen when loaded, and the package catalogue checks such a hook
 * answer once instead of on every SmartRecruiters request (package-catalogue.ts).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const entry of Object.values(value)) deepFreeze(entry);
    Object.freeze(value);
  }
  return value;
}

export function isDeeplyFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every((entry) => typeof entry !== 'object' || entry === null || isDeeplyFrozen(entry));
}
