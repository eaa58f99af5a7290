/**
 * Fixed demo data for the fake SmartRecruiters Assessment side: companies, their recruiter, jobs
 * (with the location SR passes to the package list) and candidates. SR ids of jobs and candidates
 * are UUIDs (`Job.id` is `format: uuid`, providers.md §1.5/§1.6), SR's country codes are lower case
 * as in SR's job API. Any other company id (the QA page's free-text one, or a test's) gets
 * {@link DEFAULT_COMPANY}'s jobs and candidates.
 */

export interface DemoLocation {
  countryCode: string;
  regionCode?: string;
  city?: string;
  address?: string;
  postalCode?: string;
  remote: boolean;
}

export interface DemoJob {
  id: string;
  title: string;
  location: DemoLocation;
}

export interface DemoCandidate {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  applicationLanguage: string;
  jobId: string;
}

export interface DemoCompany {
  id: string;
  recruiter: { userId: string; email: string };
  jobs: DemoJob[];
  candidates: DemoCandidate[];
}

export const DEMO_COMPANIES: DemoCompany[] = [
  {
    id: 'ACME-ASSESS',
    recruiter: { userId: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d01', email: 'rita.recruiter@acme-assess.example' },
    jobs: [
      {
        id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b21',
        title: 'Backend Engineer',
        location: { countryCode: 'us', regionCode: 'CA', city: 'San Francisco', address: '500 Howard St', postalCode: '94105', remote: false },
      },
      {
        id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b22',
        title: 'Support Specialist (remote)',
        location: { countryCode: 'us', remote: true },
      },
    ],
    candidates: [
      {
        id: '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c401',
        email: 'ada.lovelace@candidates.example',
        firstName: 'Ada',
        lastName: 'Lovelace',
        applicationLanguage: 'en',
        jobId: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b21',
      },
      {
        id: '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c402',
        email: 'zoe.obrien@candidates.example',
        firstName: 'Zoë',
        lastName: "O'Brien-Ünal",
        applicationLanguage: 'de',
        jobId: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b22',
      },
    ],
  },
  {
    id: 'GLOBEX-ASSESS',
    recruiter: { userId: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d02', email: 'hank.hr@globex-assess.example' },
    jobs: [
      {
        id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b31',
        title: 'Data Analyst',
        location: { countryCode: 'de', regionCode: 'BE', city: 'Berlin', address: 'Friedrichstraße 43', postalCode: '10117', remote: false },
      },
    ],
    candidates: [
      {
        id: '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c411',
        email: 'grace.hopper@candidates.example',
        firstName: 'Grace',
        lastName: 'Hopper',
        applicationLanguage: 'en',
        jobId: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b31',
      },
    ],
  },
];

export const DEFAULT_COMPANY: Omit<DemoCompany, 'id'> = {
  recruiter: { userId: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d09', email: 'recruiter@company.example' },
  jobs: [
    {
      id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b91',
      title: 'Account Manager',
      location: { countryCode: 'gb', regionCode: 'ENG', city: 'London', address: '1 Poultry', postalCode: 'EC2R 8EJ', remote: false },
    },
  ],
  candidates: [
    {
      id: '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c491',
      email: 'alan.turing@candidates.example',
      firstName: 'Alan',
      lastName: 'Turing',
      applicationLanguage: 'en',
      jobId: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b91',
    },
  ],
};

/** Values SR sends for the partner's `fields` (as if the admin had mapped a custom field to each), by position. */
export const DEMO_FIELD_VALUES = ['Engineering', 'EMEA', 'Senior', 'Full-time', 'Referral'];

export function demoCompany(companyId: string): DemoCompany {
  return DEMO_COMPANIES.find((company) => company.id === companyId) ?? { id: companyId, ...DEFAULT_COMPANY };
}

/** The query SR adds to `assessmentPackageListUrl` for a job's location (§1.5); absent parts are left out. */
export function locationQuery(location: DemoLocation): Array<[string, string]> {
  const entries: Array<[string, string | undefined]> = [
    ['country-code', location.countryCode],
    ['region-abbr', location.regionCode],
    ['city', location.city],
    ['address', location.address],
    ['postal-code', location.postalCode],
    ['remote', String(location.remote)],
  ];
  return entries.filter((entry): entry is [string, string] => entry[1] !== undefined);
}
