/**
 * The demo assessment vendor's catalogue, answered through the kit's `assessment.packages` hook.
 * It uses what SmartRecruiters sends (seed 003 §2): a German-speaking job location adds a package
 * in German, a remote job drops the on-site one, and the mapped `department` field picks a test.
 */
import type { PackageQuery } from '../server/assessment/assessment-options.js';
import type { AssessmentPackage } from '../server/assessment/sr-assessment-types.js';

const BASE: AssessmentPackage[] = [
  {
    id: 'skills-js',
    type: 'SKILL_TEST',
    name: 'JavaScript skills',
    description: 'Two timed exercises: fundamentals and asynchronous code.',
    assessments: [
      { id: 'js-basics', type: 'SKILL_TEST', name: 'Fundamentals', description: 'Types, scope, closures (20 min).' },
      { id: 'js-async', type: 'SKILL_TEST', name: 'Async code', description: 'Promises and events (25 min).' },
    ],
  },
  {
    id: 'video-intro',
    type: 'VIDEO_INTERVIEW',
    name: 'One-way video interview',
    description: 'Three recorded answers, reviewed by the hiring team.',
    assessments: [],
  },
  {
    id: 'work-style',
    type: 'BEHAVIORAL_ASSESSMENT',
    name: 'Work style profile',
    description: 'A 15-minute questionnaire on how the candidate likes to work.',
    assessments: [],
  },
  {
    id: 'onsite-lab',
    type: 'SKILL_TEST',
    name: 'On-site lab exercise',
    description: 'A supervised exercise at one of our test centres.',
    assessments: [],
  },
  {
    id: 'apply-quiz',
    type: 'INLINE_ASSESSMENT',
    name: 'Application quiz',
    description: 'Five questions the candidate answers while applying.',
    assessments: [],
  },
];

const GERMAN: AssessmentPackage = {
  id: 'skills-js-de',
  type: 'SKILL_TEST',
  name: 'JavaScript-Kenntnisse (Deutsch)',
  description: 'Zwei zeitlich begrenzte Aufgaben auf Deutsch.',
  assessments: [],
};

export function demoPackages(query: PackageQuery): AssessmentPackage[] {
  let packages = BASE;
  if (query.location.remote) packages = packages.filter((item) => item.id !== 'onsite-lab');
  if (['de', 'at', 'ch'].includes((query.location.countryCode ?? '').toLowerCase())) packages = [GERMAN, ...packages];
  if (query.fields.department && query.fields.department !== 'Engineering') packages = packages.filter((item) => !item.id.startsWith('skills-js'));
  return packages;
}

export const DEMO_ASSESSMENT_FIELDS = [
  { id: 'department', name: 'Department', description: 'Picks the tests that fit the department.' },
  { id: 'region', name: 'Region', description: 'Where the role is based, for regional norms.' },
];
