/**
 * Files the kit reads from its own package at run time (the widget bundle). The code runs from two
 * places — `server/` through tsx in this repository, `lib/server/` once compiled and installed — so
 * paths are resolved from the package root, found by walking up to our own package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ats-consent') return dir;
    if (dirname(dir) === dir) throw new Error(`ats-consent: cannot find the package root above ${from}`);
  }
}

const PACKAGE_ROOT = findPackageRoot(fileURLToPath(import.meta.url));

/** The widget's production bundle (`vite build`), served by the kit to the consent page. */
export const WIDGET_BUNDLE = join(PACKAGE_ROOT, 'dist', 'widget', 'ats-consent.js');

/** This package's version (the OpenAPI document's `info.version`). */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
