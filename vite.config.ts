/**
 * One config for the widget build (`vite build` → dist/widget/ats-consent.js, Lit included, one
 * ES module a page loads with a single script tag) and for the test runner (vitest).
 */
import { defineConfig } from 'vitest/config';

const ENGINE_TESTS = 'test/browser/engines-*.test.ts';
const PROJECT_OPTIONS = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' } as const;

export default defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    // Vite leaves whitespace in an ES library build, to keep pure annotations for a consumer's
    // tree-shaking; this bundle is a self-registering script pages load as it is, so minify fully
    // (the budget is min+gzip; the same code was 1.2 KB smaller this way when this was set).
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'widget/ats-consent.ts',
      formats: ['es'],
      fileName: () => 'ats-consent.js',
    },
  },
  test: {
    // Runs once per run, whichever project's files run (the root project's setup always runs, and
    // the projects read what it provides); the projects below therefore do not repeat it.
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          // The installed-package tests have their own run (vitest.package.config.ts, npm run test:package).
          exclude: ['test/package/**', 'node_modules/**', ENGINE_TESTS],
          ...PROJECT_OPTIONS,
        },
      },
      {
        // The engine-parametrized browser tests, after the rest, two files at a time: they spend most
        // of their time waiting on a browser, so two side by side finish sooner even on 2 cores (the
        // default is one worker per core less one, so one at a time there). See README, "Time.".
        test: {
          name: 'engines',
          include: [ENGINE_TESTS],
          ...PROJECT_OPTIONS,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
