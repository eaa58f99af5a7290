/**
 * Whether a module is the program Node was started with. `npm install` links the package's bin as
 * `node_modules/.bin/ats-consent`, a symlink, so `process.argv[1]` is the link, not the module:
 * comparing `file://${argv[1]}` with `import.meta.url` would never match there (nor with a path
 * that needs URL escaping). Real paths on both sides match however the file was reached.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isEntryPoint(moduleUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (!argv1) return false; // the REPL, `node -e`
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false; // argv[1] names no file (e.g. an extension-less path a loader resolved)
  }
}
