/**
 * Whether SmartRecruiters would accept a URL's scheme. SR calls partners over https only; the kit
 * itself accepts http:// on loopback so it can be tried against the fakes (config.ts `isLoopback`).
 */
import { isLoopback } from '../../config.js';

export type SchemeVerdict = 'https' | 'loopback-http' | 'insecure';

export function schemeVerdict(url: URL): SchemeVerdict {
  if (url.protocol === 'https:') return 'https';
  return url.protocol === 'http:' && isLoopback(url) ? 'loopback-http' : 'insecure';
}
