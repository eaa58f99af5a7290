/**
 * A kit with the Assessment product in its own process, as `npm run serve` runs it (configuration
 * from environment variables, the demo's user file), that also takes the partner code's calls on
 * standard input — one JSON line `{"id", "orderId", "patch"}` → `kit.assessment.updateResult`, and
 * answers `{"id", "ok"}` or `{"id", "error"}` on standard output once the update is committed. So a
 * test can commit a result and then `kill -9` the process before it is delivered.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createKitServer } from '../../server/app.js';
import { userDirectory, type DirectoryUser } from '../../server/auth/user-directory.js';
import { optionsFromEnv } from '../../server/config-env.js';
import { createConsentKit } from '../../server/kit.js';

const users = JSON.parse(readFileSync(process.env.ATS_USERS_FILE ?? 'demo/users.example.json', 'utf8')) as DirectoryUser[];
const kit = await createConsentKit(optionsFromEnv(process.env, userDirectory(users)));
const server = createKitServer(kit).listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { id: number; orderId: string; patch: Record<string, unknown> };
  kit.assessment.updateResult(command.orderId, command.patch).then(
    () => console.log(JSON.stringify({ id: command.id, ok: true })),
    (error: Error) => console.log(JSON.stringify({ id: command.id, error: error.message })),
  );
});
process.once('SIGTERM', () => server.close(() => void kit.close().then(() => process.exit(0))));
