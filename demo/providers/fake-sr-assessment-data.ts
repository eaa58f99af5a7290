/**
 * Fixed demo data for the fake SmartRecruiters Assessment side: companies, their recruiter, jobs
 * (with the location SR passes to the package list) and candidates, with what SR's customer API
 * answers about them (`CandidateDetails`, `JobDetails`, the hiring team: providers.md §1.6, built in
 * fake-sr-assessment-reads.ts). SR ids of jobs and candidates are UUIDs (`Job.id` is `format: uuid`,
 * providers.md §1.5/§1.6), SR's country codes are lower case as in SR's job API. Any other company
 * id (the QA page's free-text one, or a test's) gets {@link DEFAULT_COMPANY}'s jobs and candidates.
 */

export interface DemoLocation {
  /** The country's name, as SR's `Location.country`. */
  country: string;
  countryCode: string;
  regionCode?: string;
  region?: string;
  city?: string;
  address?: string;
  postalCode?: string;
  remote: boolean;
}

/** SR's job `status` and `postingStatus` enums (providers.md §1.6). */
export type DemoJobStatus = 'CREATED' | 'SOURCING' | 'FILLED' | 'INTERVIEW' | 'OFFER' | 'CANCELLED' | 'ON_HOLD' | 'OTHER';
export type DemoPostingStatus = 'PUBLIC' | 'INTERNAL' | 'NOT_PUBLISHED' | 'PRIVATE';
/** SR's candidate status enum (providers.md §1.6). */
export type DemoCandidateStatus = 'LEAD' | 'NEW' | 'IN_REVIEW' | 'INTERVIEW' | 'OFFERED' | 'HIRED' | 'REJECTED' | 'WITHDRAWN' | 'TRANSFERRED';

export interface DemoUser {
  id: string;
  firstName: string;
  lastName: string;
}

export interface DemoJob {
  id: string;
  title: string;
  location: DemoLocation;
  refNumber: string;
  department: { id: string; label: string };
  createdOn: string;
  updatedOn: string;
  status: DemoJobStatus;
  postingStatus: DemoPostingStatus;
  typeOfEmployment: { id: string; label: string };
  compensation?: { min: number; max: number; currency: string };
  /** The job ad's sections (plain text, as SR stores HTML-free text for the demo). */
  description: string;
  qualifications: string;
  /** Hiring team besides the company's recruiter (who is always on it as RECRUITER). */
  hiringTeam: Array<{ user: DemoUser; role: string }>;
}

/** A line of the candidate's profile (SR's `Education` / `Experience`; dates as SR's `When`, "YYYY-MM"). */
export interface DemoEducation {
  institution: string;
  degree: string;
  major: string;
  current: boolean;
  location: string;
  startDate: string;
  endDate?: string;
}
export interface DemoExperience {
  title: string;
  company: string;
  current: boolean;
  location: string;
  startDate: string;
  endDate?: string;
  description: string;
}

export interface DemoCandidate {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  applicationLanguage: string;
  jobId: string;
  phoneNumber: string;
  location: { country: string; countryCode: string; regionCode?: string; region?: string; city?: string };
  linkedin?: string;
  createdOn: string;
  updatedOn: string;
  /** Status on {@link jobId} (the primary assignment). */
  status: DemoCandidateStatus;
  subStatus?: string;
  source: string;
  tags: string[];
  education: DemoEducation[];
  experience: DemoExperience[];
  /** Other jobs of the same company the candidate applied to (secondary assignments). */
  otherApplications: Array<{ jobId: string; status: DemoCandidateStatus }>;
}

export interface DemoCompany {
  id: string;
  recruiter: { userId: string; email: string; firstName: string; lastName: string };
  jobs: DemoJob[];
  candidates: DemoCandidate[];
}

export const DEMO_COMPANIES: DemoCompany[] = [
  {
    id: 'ACME-ASSESS',
    recruiter: { userId: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d01', email: 'rita.recruiter@acme-assess.example', firstName: 'Rita', lastName: 'Recruiter' },
    jobs: [
      {
        id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b21',
        title: 'Backend Engineer',
        location: { country: 'United States', countryCode: 'us', regionCode: 'CA', region: 'California', city: 'San Francisco', address: '500 Howard St', postalCode: '94105', remote: false },
        refNumber: 'ENG-2026-014',
        department: { id: '1092735', label: 'Engineering' },
        createdOn: '2026-09-01T08:30:00.000Z',
        updatedOn: '2026-10-12T14:05:00.000Z',
        status: 'SOURCING',
        postingStatus: 'PUBLIC',
        typeOfEmployment: { id: 'permanent', label: 'Full-time' },
        compensation: { min: 140000, max: 185000, currency: 'USD' },
        description: 'Build and run the services behind our hiring products.',
        qualifications: 'Five years of backend work; TypeScript or Go; SQL.',
        hiringTeam: [
          { user: { id: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d11', firstName: 'Hugo', lastName: 'Manager' }, role: 'HIRING_MANAGER' },
          { user: { id: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d12', firstName: 'Ines', lastName: 'Interviewer' }, role: 'INTERVIEW_TEAM' },
        ],
      },
      {
        id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b22',
        title: 'Support Specialist (remote)',
        location: { country: 'United States', countryCode: 'us', remote: true },
        refNumber: 'SUP-2026-003',
        department: { id: '1092736', label: 'Customer Support' },
        createdOn: '2026-08-15T10:00:00.000Z',
        updatedOn: '2026-10-01T09:00:00.000Z',
        status: 'INTERVIEW',
        postingStatus: 'INTERNAL',
        typeOfEmployment: { id: 'part_time', label: 'Part-time' },
        description: 'Answer our customers by chat and e-mail.',
        qualifications: 'Clear writing; patience; German a plus.',
        hiringTeam: [{ user: { id: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d13', firstName: 'Sam', lastName: 'Lead' }, role: 'HIRING_MANAGER' }],
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
        phoneNumber: '+1 415 555 0101',
        location: { country: 'United States', countryCode: 'us', regionCode: 'CA', region: 'California', city: 'Oakland' },
        linkedin: 'https://www.linkedin.com/in/ada-lovelace-demo',
        createdOn: '2026-10-02T16:20:00.000Z',
        updatedOn: '2026-10-14T11:45:00.000Z',
        status: 'IN_REVIEW',
        subStatus: 'Assessment',
        source: 'LinkedIn',
        tags: ['analytical-engine', 'referral'],
        education: [
          { institution: 'University of London', degree: 'BSc', major: 'Mathematics', current: false, location: 'London, United Kingdom', startDate: '2015-09', endDate: '2018-06' },
        ],
        experience: [
          {
            title: 'Senior Software Engineer',
            company: 'Babbage & Co.',
            current: true,
            location: 'San Francisco, CA',
            startDate: '2021-03',
            description: 'Payments platform; led the move to event sourcing.',
          },
          { title: 'Software Engineer', company: 'Difference Engines Ltd', current: false, location: 'London', startDate: '2018-07', endDate: '2021-02', description: 'Numerical libraries.' },
        ],
        otherApplications: [{ jobId: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b22', status: 'WITHDRAWN' }],
      },
      {
        id: '9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c402',
        email: 'zoe.obrien@candidates.example',
        firstName: 'Zoë',
        lastName: "O'Brien-Ünal",
        applicationLanguage: 'de',
        jobId: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b22',
        phoneNumber: '+49 30 5550 1402',
        location: { country: 'Germany', countryCode: 'de', regionCode: 'BE', region: 'Berlin', city: 'Berlin' },
        createdOn: '2026-10-05T07:10:00.000Z',
        updatedOn: '2026-10-05T07:10:00.000Z',
        status: 'NEW',
        source: 'Careers page',
        tags: [],
        education: [{ institution: 'Humboldt-Universität zu Berlin', degree: 'BA', major: 'Linguistik', current: true, location: 'Berlin', startDate: '2023-10' }],
        experience: [{ title: 'Werkstudentin Kundenservice', company: 'Müller & Söhne GmbH', current: true, location: 'Berlin', startDate: '2024-04', description: '<b>Chat</b> & "E-Mail" support.' }],
        otherApplications: [],
      },
    ],
  },
  {
    id: 'GLOBEX-ASSESS',
    recruiter: { userId: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d02', email: 'hank.hr@globex-assess.example', firstName: 'Hank', lastName: 'Scorpio' },
    jobs: [
      {
        id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b31',
        title: 'Data Analyst',
        location: { country: 'Germany', countryCode: 'de', regionCode: 'BE', region: 'Berlin', city: 'Berlin', address: 'Friedrichstraße 43', postalCode: '10117', remote: false },
        refNumber: 'DA-77',
        department: { id: '2200411', label: 'Analytics' },
        createdOn: '2026-07-20T12:00:00.000Z',
        updatedOn: '2026-10-10T12:00:00.000Z',
        status: 'SOURCING',
        postingStatus: 'PUBLIC',
        typeOfEmployment: { id: 'permanent', label: 'Full-time' },
        compensation: { min: 60000, max: 75000, currency: 'EUR' },
        description: 'Turn our operations data into decisions.',
        qualifications: 'SQL, Python, a statistics background.',
        hiringTeam: [{ user: { id: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d21', firstName: 'Frank', lastName: 'Grimes' }, role: 'HIRING_MANAGER' }],
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
        phoneNumber: '+49 30 5550 1411',
        location: { country: 'Germany', countryCode: 'de', regionCode: 'BE', region: 'Berlin', city: 'Potsdam' },
        linkedin: 'https://www.linkedin.com/in/grace-hopper-demo',
        createdOn: '2026-09-28T09:00:00.000Z',
        updatedOn: '2026-10-11T15:30:00.000Z',
        status: 'INTERVIEW',
        source: 'Indeed',
        tags: ['cobol'],
        education: [{ institution: 'Yale University', degree: 'PhD', major: 'Mathematics', current: false, location: 'New Haven, CT', startDate: '2010-09', endDate: '2014-06' }],
        experience: [{ title: 'Analyst', company: 'Navy Data Office', current: false, location: 'Washington, DC', startDate: '2014-07', endDate: '2026-06', description: 'Reporting.' }],
        otherApplications: [],
      },
    ],
  },
];

export const DEFAULT_COMPANY: Omit<DemoCompany, 'id'> = {
  recruiter: { userId: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d09', email: 'recruiter@company.example', firstName: 'Riley', lastName: 'Recruiter' },
  jobs: [
    {
      id: '3b7e9a4c-1d2f-4e5a-8b6c-7d8e9f0a1b91',
      title: 'Account Manager',
      location: { country: 'United Kingdom', countryCode: 'gb', regionCode: 'ENG', region: 'England', city: 'London', address: '1 Poultry', postalCode: 'EC2R 8EJ', remote: false },
      refNumber: 'AM-1',
      department: { id: '3300001', label: 'Sales' },
      createdOn: '2026-06-01T09:00:00.000Z',
      updatedOn: '2026-09-30T09:00:00.000Z',
      status: 'SOURCING',
      postingStatus: 'PUBLIC',
      typeOfEmployment: { id: 'permanent', label: 'Full-time' },
      compensation: { min: 45000, max: 55000, currency: 'GBP' },
      description: 'Look after our largest customers.',
      qualifications: 'Three years in account management.',
      hiringTeam: [{ user: { id: '5f0c3a52-7a0e-4c0b-9d0e-6a8f3b1c2d91', firstName: 'Morgan', lastName: 'Boss' }, role: 'HIRING_MANAGER' }],
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
      phoneNumber: '+44 20 7946 0491',
      location: { country: 'United Kingdom', countryCode: 'gb', regionCode: 'ENG', region: 'England', city: 'Manchester' },
      createdOn: '2026-09-12T13:00:00.000Z',
      updatedOn: '2026-09-20T13:00:00.000Z',
      status: 'NEW',
      source: 'Referral',
      tags: [],
      education: [{ institution: "King's College, Cambridge", degree: 'BA', major: 'Mathematics', current: false, location: 'Cambridge', startDate: '2012-10', endDate: '2015-06' }],
      experience: [{ title: 'Account Executive', company: 'Bletchley Partners', current: true, location: 'London', startDate: '2019-01', description: 'Enterprise accounts.' }],
      otherApplications: [],
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
