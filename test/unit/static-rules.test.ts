/**
 * Source rules that keep whole classes of bugs out (reference/security.md §6 "Static"): no
 * postMessage to '*', no unsafeHTML/unsafeStatic, no ctx.redirect('back'), no URLs built from the
 * Host header, and the widget never imports server code.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const product = [...sources('widget'), ...sources('server'), ...sources('demo')];
const offenders = (files: string[], pattern: RegExp) => files.filter((file) => pattern.test(readFileSync(file, 'utf8')));

describe('static rules', () => {
  it.each<[string, RegExp, string[]]>([
    ["postMessage(…, '*')", /postMessage\([^)]*['"]\*['"]/, product],
    ['unsafeHTML / unsafeStatic', /unsafe(HTML|Static|SVG)/, sources('widget')],
    ["ctx.redirect('back') / ctx.back()", /redirect\(\s*['"]back['"]|ctx\.back\(/, sources('server')],
    ['URLs built from ctx.host / ctx.origin / ctx.href', /ctx\.(host|hostname|origin|href)\b/, sources('server')],
    ['innerHTML in the widget', /innerHTML/, sources('widget')],
  ])('no %s', (_rule, pattern, files) => {
    expect(offenders(files, pattern)).toEqual([]);
  });

  it('the widget never imports server code, and the protocol imports nothing but valibot', () => {
    expect(offenders(sources('widget'), /from ['"][./]*\/server\//)).toEqual([]);
    const protocolImports = sources('widget/protocol').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]!),
    );
    expect(protocolImports.filter((specifier) => !specifier.startsWith('./') && specifier !== 'valibot')).toEqual([]);
  });
});
