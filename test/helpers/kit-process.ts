/**
 * A kit instance in its own process: `npm run serve`'s entry point, configured by environment
 * variables only, as a partner runs it behind a load balancer.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface KitProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startKitProcess(env: Record<string, string>): Promise<KitProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/standalone.ts'], {
    env: { PATH: process.env.PATH, PORT: '0', ATS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`kit process exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
