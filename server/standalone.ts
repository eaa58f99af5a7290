/**
 * `npm run serve`: the kit as its own server, configured entirely by environment variables (see
 * the README). The same as `ats-consent serve`; kept as an entry point for the npm script.
 */
import { consolePrint } from './cli/command.js';
import { serve } from './cli/serve.js';

process.exitCode = await serve(process.env, process.argv.slice(2), consolePrint);
