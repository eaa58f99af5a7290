/**
 * Options of the SmartRecruiters Assessment product (seed 003): what the partner configures, the
 * hooks through which its code answers SmartRecruiters' calls, and their checks at start.
 */
import * as v from 'valibot';
import { ConfigError } from '../config-error.js';
import {
  ASSESSMENT_TYPES,
  CONSENT_DISPLAY_MODES,
  PartnerField,
  type AssessmentPackage,
  type AssessmentType,
  type ConsentDisplayMode,
} from './sr-assessment-types.js';
import type { AssessmentOrder } from './assessment-order.js';

/** Which SmartRecruiters product the app registered with SR is: General Partner (seed 001) or Assessment (seed 003). */
export type SmartRecruitersProduct = 'general' | 'assessment';
export const SR_PRODUCTS: readonly SmartRecruitersProduct[] = ['general', 'assessment'];

/** What SmartRecruiters sent with a package list call (seed 003 §2), for the partner's `packages` hook. */
export interface PackageQuery {
  companyId: string;
  tenantId: string;
  /** The SR user asking (the `requester` header); null when SR sent none. */
  requester: { email: string } | null;
  /** The job's location, from SR's query parameters. */
  location: { countryCode?: string; regionAbbr?: string; city?: string; address?: string; postalCode?: string; remote?: boolean };
  /** Values SR's admins mapped to the configured `fields`, by field id. */
  fields: Record<string, string>;
}

export type PackagesHook = (query: PackageQuery) => AssessmentPackage[] | Promise<AssessmentPackage[]>;
export type PackageHook = (query: { companyId: string; tenantId: string; packageId: string }) =>
  | AssessmentPackage
  | undefined
  | Promise<AssessmentPackage | undefined>;
/** Where the candidate takes an inline assessment (an absolute https URL). */
/** How long a hook may take by default: SR waits 15 s, and an inline order may run two hooks. */
export const DEFAULT_HOOK_TIMEOUT_MS = 5_000;

export type InlineOrderUrlHook = (order: AssessmentOrder) => string | Promise<string>;

export interface AssessmentOptions {
  /** How SmartRecruiters shows the consent page: `POPUP` (an iframe in SR) or `REDIRECT`. Default `POPUP`. */
  consentDisplayMode?: ConsentDisplayMode;
  /** The assessment types the partner offers (1–6 of SR's enum). Required with the Assessment product. */
  supportedAssessmentTypes?: AssessmentType[];
  /** Up to 5 fields SR's admins may map custom fields to; SR sends their values as query parameters of the package list. */
  fields?: Array<{ id: string; name: string; description: string }>;
  /**
   * The company's packages for this query. Without it, SmartRecruiters is answered the catalogue
   * stored through the partner API (`PUT /partner/v1/assessment/packages`): the company's own, else
   * the default one.
   */
  packages?: PackagesHook;
  /** One package by id; default: looked up in `packages` for the company with an empty query. */
  package?: PackageHook;
  /** The URL where the candidate takes an inline assessment; without it, inline orders are not offered. */
  inlineOrderUrl?: InlineOrderUrlHook;
  /** How long a hook may take before SR is answered without it. Default 5000 (SR waits 15 s). */
  hookTimeoutMs?: number;
  /** How long the last good package list per company and query is kept to answer when the hook fails. Default 86400. */
  catalogueFallbackSeconds?: number;
  /** The largest attachment `addAttachment` takes, in bytes. Default 10 MiB. */
  maxAttachmentBytes?: number;
}

export interface ResolvedAssessment {
  consentDisplayMode: ConsentDisplayMode;
  supportedAssessmentTypes: AssessmentType[];
  fields: PartnerField[];
  /** Null: the catalogue stored through the partner API answers. */
  packages: PackagesHook | null;
  package: PackageHook | null;
  inlineOrderUrl: InlineOrderUrlHook | null;
  hookTimeoutMs: number;
  catalogueFallbackSeconds: number;
  maxAttachmentBytes: number;
}

export function resolveProduct(value: unknown): SmartRecruitersProduct {
  const product = value ?? 'general';
  if (!SR_PRODUCTS.includes(product as SmartRecruitersProduct)) {
    throw new ConfigError('smartRecruiters.product', `must be "general" or "assessment", got ${String(value)}`);
  }
  return product as SmartRecruitersProduct;
}

export function resolveAssessment(options: AssessmentOptions | undefined, product: SmartRecruitersProduct): ResolvedAssessment | null {
  if (product !== 'assessment') return null;
  const assessment = options ?? {};
  const consentDisplayMode = assessment.consentDisplayMode ?? 'POPUP';
  if (!CONSENT_DISPLAY_MODES.includes(consentDisplayMode)) {
    throw new ConfigError('assessment.consentDisplayMode', `must be POPUP or REDIRECT, got ${String(consentDisplayMode)}`);
  }
  const types = assessment.supportedAssessmentTypes ?? [];
  if (types.length < 1 || types.length > 6 || new Set(types).size !== types.length || !types.every((type) => ASSESSMENT_TYPES.includes(type))) {
    throw new ConfigError('assessment.supportedAssessmentTypes', `must list 1 to 6 different types of ${ASSESSMENT_TYPES.join(', ')}`);
  }
  const fields = assessment.fields ?? [];
  const parsedFields = v.safeParse(v.pipe(v.array(PartnerField), v.maxLength(5)), fields);
  if (!parsedFields.success || new Set(fields.map((field) => field.id)).size !== fields.length) {
    throw new ConfigError('assessment.fields', 'must be at most 5 fields, each {id, name, description}, ids of letters, digits, _ . - and all different');
  }
  for (const hook of ['packages', 'package', 'inlineOrderUrl'] as const) {
    if (assessment[hook] !== undefined && typeof assessment[hook] !== 'function') throw new ConfigError(`assessment.${hook}`, 'must be a function');
  }
  const hookTimeoutMs = assessment.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
  // An inline order may run two hooks (the package check, then the URL): both within SR's 15 s.
  if (!Number.isSafeInteger(hookTimeoutMs) || hookTimeoutMs < 100 || hookTimeoutMs > 6_000) {
    throw new ConfigError('assessment.hookTimeoutMs', 'must be between 100 and 6000 (SmartRecruiters waits 15 s, and an inline order may run two hooks)');
  }
  const catalogueFallbackSeconds = assessment.catalogueFallbackSeconds ?? 86_400;
  if (!Number.isSafeInteger(catalogueFallbackSeconds) || catalogueFallbackSeconds < 0) {
    throw new ConfigError('assessment.catalogueFallbackSeconds', 'must be 0 or a positive integer');
  }
  const maxAttachmentBytes = assessment.maxAttachmentBytes ?? 10 * 1024 * 1024;
  if (!Number.isSafeInteger(maxAttachmentBytes) || maxAttachmentBytes < 1 || maxAttachmentBytes > 100 * 1024 * 1024) {
    throw new ConfigError('assessment.maxAttachmentBytes', 'must be between 1 and 104857600');
  }
  return {
    maxAttachmentBytes,
    consentDisplayMode,
    supportedAssessmentTypes: [...types],
    fields: parsedFields.output,
    packages: assessment.packages ?? null,
    package: assessment.package ?? null,
    inlineOrderUrl: assessment.inlineOrderUrl ?? null,
    hookTimeoutMs,
    catalogueFallbackSeconds,
  };
}
