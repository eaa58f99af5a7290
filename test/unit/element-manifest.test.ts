/**
 * The build's `custom-elements.json` (from the component's JSDoc tags) documents the tag, its
 * attributes, events, parts and custom properties, so IDEs and docs tools see the public API.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name?: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string; default?: string }>;
}

describe('custom-elements.json', () => {
  it('describes <ats-consent> completely', () => {
    const outdir = 'test-results/manifest';
    const cem = spawnSync(
      process.execPath,
      ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--litelement', '--globs', 'widget/ats-consent.component.ts', '--outdir', outdir],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(cem.status, cem.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(`${outdir}/custom-elements.json`, 'utf8')) as { modules: Array<{ declarations?: Declaration[] }> };
    const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'ats-consent')!;
    expect(element).toBeDefined();
    expect(element.attributes!.map((attribute) => attribute.name)).toEqual(expect.arrayContaining(['endpoint', 'company-id', 'redirect', 'mode']));
    expect(element.events!.map((event) => event.name)).toEqual(expect.arrayContaining(['ats-consent-granted', 'ats-consent-denied', 'ats-error']));
    expect(element.cssParts!.map((part) => part.name)).toEqual(
      expect.arrayContaining(['base', 'title', 'consent-button', 'deny-button', 'retry-button', 'error', 'scope-list']),
    );
    const properties = element.cssProperties!.map((property) => property.name);
    expect(properties.every((name) => name.startsWith('--ats-'))).toBe(true);
    expect(properties).toEqual(expect.arrayContaining(['--ats-color-accent', '--ats-font-family', '--ats-radius']));
  });
});
