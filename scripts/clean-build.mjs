// Removes the previous compile's output, so a module deleted from the sources is not shipped stale
// (vite empties dist/widget itself).
import { rmSync } from 'node:fs';
rmSync(new URL('../lib', import.meta.url), { recursive: true, force: true });
