/**
 * What the fake SmartRecruiters Assessment API validates, written out by hand from SR's OpenAPI as
 * reference/providers.md §1.4 quotes it (independent of the kit's own valibot schemas on purpose:
 * the fake must catch the kit's mistakes, not share them).
 */

export const ASSESSMENT_TYPES = [
  'VIDEO_INTERVIEW',
  'BEHAVIORAL_ASSESSMENT',
  'BACKGROUND_CHECK',
  'REFERENCE_CHECK',
  'SKILL_TEST',
  'INLINE_ASSESSMENT',
] as const;
export const RESULT_STATUSES = ['IN_PROGRESS', 'PENDING', 'COMPLETED', 'REJECTED', 'EXPIRED'] as const;
export const ATTACHMENT_TYPES = ['VIDEO_URL', 'PDF_URL', 'OTHER_URL'] as const;

export interface PartnerField {
  id: string;
  name: string;
  description: string;
}

/** `PartnerConfiguration` as SR stores and echoes it (unknown properties dropped). */
export interface PartnerConfiguration {
  consentUrl: string;
  consentDisplayMode: 'REDIRECT' | 'POPUP';
  assessmentPackageListUrl: string;
  singleAssessmentPackageUrl: string;
  packageOrderUrl?: string;
  inlineAssessmentPackageOrderUrl?: string;
  oauthTokenUrl: string;
  integrationDisableUrl?: string;
  fields?: PartnerField[];
  supportedAssessmentTypes: string[];
}

/** A `PackageResult` (all optional; see §1.4.3). Kept loose: validated by {@link packageResultProblem}. */
export type PackageResult = Record<string, unknown>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** `format: uri`: an absolute URI (a scheme, no whitespace) that parses. */
export function isAbsoluteUri(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** `format: date-time` (RFC 3339). */
export function isDateTime(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

const REQUIRED_URLS = ['consentUrl', 'assessmentPackageListUrl', 'singleAssessmentPackageUrl', 'oauthTokenUrl'] as const;
const OPTIONAL_URLS = ['packageOrderUrl', 'inlineAssessmentPackageOrderUrl', 'integrationDisableUrl'] as const;

/**
 * `PartnerConfigurationRequest` (§1.4.1). Returns the configuration to store, or the first problem.
 * Unknown properties are ignored. An optional URL that is `null` or `""` counts as absent (seed 003:
 * "Leave this value empty if your service does not support …").
 */
export function parseConfiguration(body: unknown): { value: PartnerConfiguration } | { problem: string } {
  if (!isObject(body)) return { problem: 'body must be a JSON object' };
  for (const key of REQUIRED_URLS) {
    if (body[key] === undefined || body[key] === null) return { problem: `${key} is required` };
    if (!isAbsoluteUri(body[key])) return { problem: `${key} must be an absolute URI` };
  }
  for (const key of OPTIONAL_URLS) {
    const value = body[key];
    if (value !== undefined && value !== null && value !== '' && !isAbsoluteUri(value)) return { problem: `${key} must be an absolute URI` };
  }
  if (body.consentDisplayMode !== 'REDIRECT' && body.consentDisplayMode !== 'POPUP') {
    return { problem: 'consentDisplayMode must be REDIRECT or POPUP' };
  }
  const types = body.supportedAssessmentTypes;
  if (!Array.isArray(types)) return { problem: 'supportedAssessmentTypes is required (an array)' };
  if (types.length < 1 || types.length > 6) return { problem: 'supportedAssessmentTypes must have 1 to 6 items' };
  if (!types.every((type) => (ASSESSMENT_TYPES as readonly unknown[]).includes(type))) {
    return { problem: `supportedAssessmentTypes items must be one of ${ASSESSMENT_TYPES.join(', ')}` };
  }
  if (new Set(types).size !== types.length) return { problem: 'supportedAssessmentTypes must not repeat a type' };
  let fields: PartnerField[] | undefined;
  if (body.fields !== undefined && body.fields !== null) {
    if (!Array.isArray(body.fields)) return { problem: 'fields must be an array' };
    if (body.fields.length > 5) return { problem: 'fields may have at most 5 items' };
    fields = [];
    for (const [index, field] of body.fields.entries()) {
      if (!isObject(field) || !nonEmpty(field.id) || !nonEmpty(field.name) || !nonEmpty(field.description)) {
        return { problem: `fields[${index}] needs non-empty id, name and description` };
      }
      fields.push({ id: field.id, name: field.name, description: field.description });
    }
  }
  const value: PartnerConfiguration = {
    consentUrl: body.consentUrl as string,
    consentDisplayMode: body.consentDisplayMode,
    assessmentPackageListUrl: body.assessmentPackageListUrl as string,
    singleAssessmentPackageUrl: body.singleAssessmentPackageUrl as string,
    oauthTokenUrl: body.oauthTokenUrl as string,
    supportedAssessmentTypes: [...(types as string[])],
  };
  for (const key of OPTIONAL_URLS) if (isAbsoluteUri(body[key])) value[key] = body[key] as string;
  if (fields) value.fields = fields;
  return { value };
}

/** RFC 7396 JSON Merge Patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const PACKAGE_STRINGS = ['summary', 'description', 'name', 'scoreLabel'] as const;
const PACKAGE_DATES = ['assessmentPackageDate', 'assessmentDate', 'submissionDate'] as const;
const RESULT_STRINGS = ['assessmentId', 'summary', 'assessmentName', 'name', 'scoreLabel'] as const;
const RESULT_DATES = ['assessmentDate', 'submissionDate'] as const;

function scoreProblem(score: unknown, at: string): string | undefined {
  if (!isObject(score)) return `${at} must be an object`;
  for (const key of ['raw', 'min', 'max'] as const) {
    if (!Number.isSafeInteger(score[key])) return `${at}.${key} is required and must be an integer`;
  }
  return undefined;
}

function attachmentsProblem(attachments: unknown, at: string): string | undefined {
  if (!Array.isArray(attachments)) return `${at} must be an array`;
  for (const [index, attachment] of attachments.entries()) {
    if (!isObject(attachment)) return `${at}[${index}] must be an object`;
    if (!(ATTACHMENT_TYPES as readonly unknown[]).includes(attachment.type)) return `${at}[${index}].type must be one of ${ATTACHMENT_TYPES.join(', ')}`;
    if (!isAbsoluteUri(attachment.url)) return `${at}[${index}].url must be an absolute URI`;
  }
  return undefined;
}

function commonProblem(value: Json, at: string, strings: readonly string[], dates: readonly string[]): string | undefined {
  for (const key of strings) if (value[key] !== undefined && typeof value[key] !== 'string') return `${at}${key} must be a string`;
  for (const key of dates) if (value[key] !== undefined && !isDateTime(value[key])) return `${at}${key} must be an RFC 3339 date-time`;
  if (value.status !== undefined && !(RESULT_STATUSES as readonly unknown[]).includes(value.status)) {
    return `${at}status must be one of ${RESULT_STATUSES.join(', ')}`;
  }
  if (value.score !== undefined) return scoreProblem(value.score, `${at}score`);
  if (value.attachments !== undefined) return attachmentsProblem(value.attachments, `${at}attachments`);
  return undefined;
}

/** `PackageResult` (§1.4.3), checked on the document a merge patch produces. */
export function packageResultProblem(result: unknown): string | undefined {
  if (!isObject(result)) return 'the result must be a JSON object';
  const problem = commonProblem(result, '', PACKAGE_STRINGS, PACKAGE_DATES);
  if (problem) return problem;
  if (result.assessmentResults === undefined) return undefined;
  if (!Array.isArray(result.assessmentResults)) return 'assessmentResults must be an array';
  for (const [index, item] of result.assessmentResults.entries()) {
    const at = `assessmentResults[${index}].`;
    if (!isObject(item)) return `assessmentResults[${index}] must be an object`;
    if (!nonEmpty(item.assessmentId)) return `${at}assessmentId is required`;
    const itemProblem = commonProblem(item, at, RESULT_STRINGS, RESULT_DATES);
    if (itemProblem) return itemProblem;
  }
  return undefined;
}

const pick = (value: Json, keys: readonly string[]): Json =>
  Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));
const pickAttachments = (list: unknown) => (list as Json[]).map((item) => pick(item, ['type', 'url']));
const pickScore = (score: unknown) => pick(score as Json, ['raw', 'min', 'max']);

/** Drops unknown properties (as SR's deserializer would) from a valid `PackageResult`. */
export function knownResultFields(result: Json): PackageResult {
  const out = pick(result, [...PACKAGE_STRINGS, ...PACKAGE_DATES, 'status']);
  if (result.score !== undefined) out.score = pickScore(result.score);
  if (result.attachments !== undefined) out.attachments = pickAttachments(result.attachments);
  if (Array.isArray(result.assessmentResults)) {
    out.assessmentResults = result.assessmentResults.map((item: Json) => {
      const kept = pick(item, [...RESULT_STRINGS, ...RESULT_DATES, 'status']);
      if (item.score !== undefined) kept.score = pickScore(item.score);
      if (item.attachments !== undefined) kept.attachments = pickAttachments(item.attachments);
      return kept;
    });
  }
  return out;
}

/** The partner's `AssessmentPackage` (§1.5): required `id, name, description, type, assessments[]`. */
export function packageProblem(value: unknown, at = 'package'): string | undefined {
  if (!isObject(value)) return `${at} is not an object`;
  for (const key of ['id', 'name', 'description'] as const) if (typeof value[key] !== 'string') return `${at}.${key} is not a string`;
  if (!(ASSESSMENT_TYPES as readonly unknown[]).includes(value.type)) return `${at}.type is not an AssessmentType`;
  if (!Array.isArray(value.assessments)) return `${at}.assessments is not an array`;
  for (const [index, assessment] of value.assessments.entries()) {
    const where = `${at}.assessments[${index}]`;
    if (!isObject(assessment)) return `${where} is not an object`;
    // Seed 003 §2: a partner without package/assessment distinction returns "an empty assessment object".
    if (Object.keys(assessment).length === 0) continue;
    if (typeof assessment.id !== 'string' || typeof assessment.description !== 'string') return `${where} needs id and description strings`;
    if (!(ASSESSMENT_TYPES as readonly unknown[]).includes(assessment.type)) return `${where}.type is not an AssessmentType`;
    if (assessment.name !== undefined && typeof assessment.name !== 'string') return `${where}.name is not a string`;
  }
  return undefined;
}

/**
 * The partner's token response (§1.5 `AccessToken`), read strictly: 200, JSON, `access_token` a
 * non-empty string, `token_type` "bearer" in any case, `expires_in` a positive number.
 */
export function checkPartnerToken(status: number, contentType: string, text: string): { token?: string; problems: string[] } {
  const problems: string[] = [];
  if (status !== 200) problems.push(`token endpoint answered ${status}`);
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) problems.push('token response is not JSON (content-type)');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push('token response body is not JSON');
    return { problems };
  }
  if (!isObject(body)) return { problems: [...problems, 'token response body is not a JSON object'] };
  if (!nonEmpty(body.access_token)) problems.push('access_token is not a non-empty string');
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') problems.push('token_type is not "bearer"');
  if (typeof body.expires_in !== 'number' || !Number.isFinite(body.expires_in) || body.expires_in <= 0) problems.push('expires_in is not a positive number');
  return problems.length === 0 ? { token: body.access_token as string, problems } : { problems };
}

/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  name: string | undefined;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

/** A small RFC 7578 reader: enough for the attachment upload (one `file` part). */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return undefined;
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) return undefined;
  while (true) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const chunk = body.subarray(start + 2, next - 2); // drop the CRLF after the boundary and before the next
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const headers = chunk.subarray(0, split).toString('utf8');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1],
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
      data: chunk.subarray(split + 4),
    });
    start = next;
  }
}
