/**
 * The README's "Configuration" table documents every option the environment can set (ENV_NAMES,
 * what config-env.ts reads and configuration errors name) and every variable `serve` reads itself.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ENV_NAMES } from '../../server/config-error.js';

const readme = readFileSync('README.md', 'utf8');
const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
const rows = table.split('\n').filter((line) => line.startsWith('| '));

it.each(Object.entries(ENV_NAMES))('documents %s (%s) in one row', (option, variable) => {
  expect(rows.filter((row) => row.includes(`\`${option}\``) && row.includes(`\`${variable}\``)), `${option} / ${variable}`).toHaveLength(1);
});

it.each(['PORT', 'HOST', 'ATS_METRICS_PORT', 'ATS_METRICS_HOST', 'ATS_SHUTDOWN_TIMEOUT_MS'])("documents serve's own %s", (variable) => {
  expect(rows.some((row) => row.includes(`\`${variable}\``))).toBe(true);
});
