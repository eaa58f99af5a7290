/**
 * The Assessment hooks without code, for the standalone server: a static package catalogue from a
 * JSON file and the inline-order URL from a template. Both are checked at start, so a bad file or
 * template fails naming its variable instead of failing SmartRecruiters' first call.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { ConfigError } from '../config-error.js';
import { isLoopback } from '../config.js';
import type { InlineOrderUrlHook, PackagesHook } from './assessment-options.js';
import { deepFreeze } from './deep-freeze.js';
import { AssessmentPackageList, firstIssue } from './sr-assessment-types.js';

/** Catalogue file: an array of `AssessmentPackage` for every company, or `{"<companyId>": [...], "*": [...]}`. */
const CatalogueFile = v.union([AssessmentPackageList, v.record(v.pipe(v.string(), v.maxLength(64)), AssessmentPackageList)]);

export function packagesFromFile(path: string): PackagesHook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('assessment.packages', `could not read the catalogue file ${path}: ${(error as Error).message}`);
  }
  const catalogue = v.safeParse(CatalogueFile, parsed);
  if (!catalogue.success) throw new ConfigError('assessment.packages', `catalogue file ${path} is not valid: ${firstIssue(catalogue.issues)}`);
  // Deep-frozen: the catalogue answers the same, checked lists on every call, which lets the
  // catalogue (package-catalogue.ts) check each once rather than on every SR request.
  const byCompany = deepFreeze(Array.isArray(catalogue.output) ? { '*': catalogue.output } : catalogue.output);
  const none = Object.freeze([]);
  return ({ companyId }) => byCompany[companyId] ?? byCompany['*'] ?? none;
}

const PLACEHOLDERS = ['orderId', 'companyId', 'packageId', 'jobId'] as const;

/** `https://assess.example/take/{orderId}`: placeholders `{orderId}`, `{companyId}`, `{packageId}`, `{jobId}`, URL-encoded. */
export function inlineUrlFromTemplate(template: string, allowHttpLoopback: boolean): InlineOrderUrlHook {
  const sample = fill(template, { orderId: 'x', companyId: 'x', packageId: 'x', jobId: 'x' });
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    throw new ConfigError('assessment.inlineOrderUrl', `template is not an absolute URL: ${template}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (allowHttpLoopback || isLoopback(url)))) {
    throw new ConfigError('assessment.inlineOrderUrl', 'template must be an https:// URL');
  }
  return (order) => fill(template, order);
}

function fill(template: string, values: Record<(typeof PLACEHOLDERS)[number], string>): string {
  return template.replace(/\{(orderId|companyId|packageId|jobId)\}/g, (_match, name: (typeof PLACEHOLDERS)[number]) => encodeURIComponent(values[name]));
}
