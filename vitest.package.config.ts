/**
 * `npm run test:package`: the installed-package tests (test/package), apart from the main suite
 * because packing and installing the tarball compiles better-sqlite3 again (about 2 minutes).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
