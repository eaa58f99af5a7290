/**
 * SmartRecruiters' Assessment API wire formats (seed 003; reference/providers.md §1.4–§1.5, from
 * SR's own OpenAPI definitions), as valibot schemas. These are SR's shapes, not the widget's
 * protocol: they validate what SR sends us, what the partner's hooks hand us before we answer SR,
 * and the partner configuration before we send it.
 *
 * @see https://developers.smartrecruiters.com/docs/integration-workflow
 */
import * as v from 'valibot';

/** `AssessmentType` (seed 003 §1.2 and §2; SR-SPEC). */
export const ASSESSMENT_TYPES = [
  'BACKGROUND_CHECK',
  'BEHAVIORAL_ASSESSMENT',
  'INLINE_ASSESSMENT',
  'REFERENCE_CHECK',
  'SKILL_TEST',
  'VIDEO_INTERVIEW',
] as const;
export type AssessmentType = (typeof ASSESSMENT_TYPES)[number];
const AssessmentTypeSchema = v.picklist(ASSESSMENT_TYPES);

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const requiredText = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));

/** `Assessment`: required `id, description, type`; optional `name`. */
export const Assessment = v.object({
  id: requiredText(256),
  type: AssessmentTypeSchema,
  name: v.optional(text(512)),
  description: text(4096),
});

/**
 * `AssessmentPackage`: required `id, name, description, type, assessments[]`. A partner that does not
 * tell packages from assessments returns an empty `assessments` list (seed 003 §2).
 */
export const AssessmentPackage = v.object({
  id: requiredText(256),
  type: AssessmentTypeSchema,
  name: requiredText(512),
  description: text(4096),
  assessments: v.pipe(v.array(Assessment), v.maxLength(100)),
});
export type AssessmentPackage = v.InferOutput<typeof AssessmentPackage>;
export const AssessmentPackageList = v.pipe(v.array(AssessmentPackage), v.maxLength(500));

/** The `requester` header of the package list call: JSON `{email}` (seed 003 §2; 400 when invalid). */
export const Requester = v.object({ email: v.pipe(v.string(), v.email(), v.maxLength(320)) });

const Candidate = v.object({
  id: v.optional(requiredText(256)),
  email: v.pipe(v.string(), v.email(), v.maxLength(320)),
  firstName: text(256),
  lastName: text(256),
  applicationLanguage: v.optional(text(35)),
});

/** Custom field values SR maps to the partner's `fields` (ids → values). */
const Fields = v.pipe(
  v.record(v.pipe(v.string(), v.maxLength(100)), v.pipe(v.string(), v.maxLength(1000))),
  v.check((fields) => Object.keys(fields).length <= 20, 'at most 20 fields'),
);

/** What both order requests carry (SR-SPEC requires `jobId` (deprecated) and `job`; the seed shows only `jobId`: either is accepted). */
const orderEntries = {
  resultCallbackURL: requiredText(2048),
  assessmentPackageId: requiredText(256),
  jobId: v.optional(requiredText(256)),
  job: v.optional(v.looseObject({ id: requiredText(256) })),
  companyId: requiredText(64),
  fields: v.optional(Fields),
};

/** `AssessmentPackageOrderRequest` (packageOrderUrl). `job.id` wins over `jobId` when both are sent. */
export const OrderRequest = v.object({
  ...orderEntries,
  candidate: v.object({ ...Candidate.entries, id: requiredText(256) }),
  requester: v.optional(v.object({ userId: requiredText(256), email: v.pipe(v.string(), v.email(), v.maxLength(320)) })),
});
export type OrderRequest = v.InferOutput<typeof OrderRequest>;

/** `InlineAssessmentPackageOrderRequest` (inlineAssessmentPackageOrderUrl): adds `completedAssessmentCallbackUrl`. */
export const InlineOrderRequest = v.object({
  ...orderEntries,
  completedAssessmentCallbackUrl: requiredText(2048),
  candidate: Candidate,
});
export type InlineOrderRequest = v.InferOutput<typeof InlineOrderRequest>;

/** `ClientCredentials`: the body and the 200 answer of `POST /integration/company/{companyId}` (no integrationId). */
export const ClientCredentials = v.object({
  clientId: requiredText(512),
  clientSecret: requiredText(2048),
});

export const CONSENT_DISPLAY_MODES = ['POPUP', 'REDIRECT'] as const;
export type ConsentDisplayMode = (typeof CONSENT_DISPLAY_MODES)[number];

/** A partner field SR's admins can map custom fields to; its id becomes a query parameter name. */
export const PartnerField = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'field ids are used as query parameter names: letters, digits, _ . -')),
  name: requiredText(256),
  description: requiredText(1024),
});
export type PartnerField = v.InferOutput<typeof PartnerField>;

const Uri = v.pipe(v.string(), v.url());

/** `PartnerConfigurationRequest` (PUT /partner/configuration), as SR validates it (providers.md §1.4.1). */
export const PartnerConfiguration = v.object({
  consentUrl: Uri,
  consentDisplayMode: v.picklist(CONSENT_DISPLAY_MODES),
  assessmentPackageListUrl: Uri,
  singleAssessmentPackageUrl: Uri,
  packageOrderUrl: v.optional(Uri),
  inlineAssessmentPackageOrderUrl: v.optional(Uri),
  oauthTokenUrl: Uri,
  integrationDisableUrl: v.optional(Uri),
  fields: v.optional(v.pipe(v.array(PartnerField), v.maxLength(5))),
  supportedAssessmentTypes: v.pipe(
    v.array(AssessmentTypeSchema),
    v.minLength(1),
    v.maxLength(6),
    v.check((types) => new Set(types).size === types.length, 'no type twice'),
  ),
});
export type PartnerConfiguration = v.InferOutput<typeof PartnerConfiguration>;

/** The first problem valibot found, as "path: message", for error messages that name the field. */
export function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid';
  const path = v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** `PackageResult.status` and `AssessmentResult.status` (providers.md §1.4.3). */
export const RESULT_STATUSES = ['IN_PROGRESS', 'PENDING', 'COMPLETED', 'REJECTED', 'EXPIRED'] as const;
export const ATTACHMENT_TYPES = ['VIDEO_URL', 'PDF_URL', 'OTHER_URL'] as const;

/** `Score`: all three required int64; the kit also requires `min ≤ raw ≤ max` (SR shows raw/max and a normalised %). */
const Score = v.pipe(
  v.strictObject({ raw: v.pipe(v.number(), v.safeInteger()), min: v.pipe(v.number(), v.safeInteger()), max: v.pipe(v.number(), v.safeInteger()) }),
  v.check((score) => score.min <= score.raw && score.raw <= score.max, 'needs min ≤ raw ≤ max'),
);
const HttpsUrl = v.pipe(v.string(), v.maxLength(2048), v.url(), v.startsWith('https://', 'must be an https URL'));
const Attachments = v.pipe(v.array(v.strictObject({ type: v.picklist(ATTACHMENT_TYPES), url: HttpsUrl })), v.maxLength(50));
const DateTime = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 date-time'));
/** A field a patch may set, or `null` to remove it (RFC 7396). */
const orNull = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema));

/** One `AssessmentResult` inside `assessmentResults` (replaced whole, as arrays are in RFC 7396). */
const AssessmentResultEntry = v.strictObject({
  assessmentId: requiredText(256),
  assessmentName: v.optional(text(512)),
  name: v.optional(text(512)),
  summary: v.optional(text(4096)),
  assessmentDate: v.optional(DateTime),
  submissionDate: v.optional(DateTime),
  score: v.optional(Score),
  scoreLabel: v.optional(text(256)),
  attachments: v.optional(Attachments),
  status: v.optional(v.picklist(RESULT_STATUSES)),
});

/**
 * A `PackageResult` merge patch from the partner's code. `assessmentDate` (the seed's name for the
 * package date) is accepted and sent as `assessmentPackageDate` (SR's OpenAPI name); unknown fields
 * are refused so a typo does not vanish silently.
 */
export const ResultPatch = v.strictObject({
  name: orNull(text(512)),
  summary: orNull(text(4096)),
  description: orNull(text(4096)),
  assessmentPackageDate: orNull(DateTime),
  assessmentDate: orNull(DateTime),
  submissionDate: orNull(DateTime),
  status: orNull(v.picklist(RESULT_STATUSES)),
  score: orNull(Score),
  scoreLabel: orNull(text(256)),
  attachments: orNull(Attachments),
  assessmentResults: orNull(v.pipe(v.array(AssessmentResultEntry), v.maxLength(100))),
});
export type ResultPatch = v.InferOutput<typeof ResultPatch>;
