/**
 * One config for the widget build (`vite build` → dist/widget/ats-consent.js, Lit included, one
 * ES module a page loads with a single script tag) and for the test runner (vitest).
 */
import { defineConfig } from 'vitest/config';

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
    include: ['test/**/*.test.ts'],
    // The installed-package tests have their own run (vitest.package.config.ts, npm run test:package).
    exclude: ['test/package/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
