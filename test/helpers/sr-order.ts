/**
 * An `AssessmentPackageOrderRequest` as SmartRecruiters places it (seed 003 §3), for the tests and
 * the bench alike (no test-runner imports here).
 */
export function srOrderBody(srUrl: string, companyId: string, orderId: string) {
  return {
    resultCallbackURL: `${srUrl}/assessment-api/v202010/orders/${orderId}/results`,
    candidate: { id: 'cand-1', email: 'ada.lovelace@candidates.example', firstName: 'Ada', lastName: 'Lovelace', applicationLanguage: 'en' },
    requester: { userId: 'rec-1', email: 'rita.recruiter@acme-assess.example' },
    assessmentPackageId: 'skills-js',
    jobId: 'job-1',
    job: { id: 'job-1' },
    companyId,
    fields: { department: 'Engineering' } as Record<string, string>,
  };
}
