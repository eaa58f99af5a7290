/**
 * axe-core in a page (it sees into open shadow roots). The page's context needs `bypassCSP: true`:
 * axe is injected as a script, which the kit's CSP rightly refuses.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown }>;
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations.map(({ id, help, nodes }) => ({ id, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  });
}

/** The same check through the engine helper (puppeteer-core, Chromium or Firefox), in a page or frame. */
export async function axeViolationsIn(surface: import('./engine.js').Surface): Promise<AxeViolation[]> {
  if (!(await surface.evaluate(() => 'axe' in window))) await surface.evaluate(axeSource);
  const { passes, violations } = await surface.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ passes: unknown[]; violations: AxeViolation[] }> } }).axe;
    const results = await axe.run();
    return {
      passes: results.passes.length,
      violations: results.violations.map(({ id, help, nodes }) => ({ id, help, nodes: nodes.map((node) => ({ target: node.target })) })),
    };
  });
  // An axe that checked nothing (a blank or blocked document) must not pass for a clean page.
  if (passes === 0) throw new Error('axe-core ran no check that passed: nothing was audited');
  return violations;
}
