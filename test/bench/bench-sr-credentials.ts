/** The fake SmartRecruiters' master credentials, shared by the fake's process and the kits' configuration. */
export const BENCH_SR = {
  appId: 'bench-app',
  general: { clientId: 'bench-general-master', clientSecret: 'bench-general-master-secret' },
  assessment: { master: { masterClientId: 'bench-assessment-master', masterClientSecret: 'bench-assessment-master-secret' } },
} as const;
