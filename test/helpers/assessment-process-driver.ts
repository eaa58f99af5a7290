/**
 * Drives `assessment-kit-process.ts`: starts it with environment variables, sends it results, and
 * stops it gently (SIGTERM) or hard (`kill -9`).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface AssessmentKitProcess {
  url: string;
  child: ChildProcess;
  updateResult(orderId: string, patch: Record<string, unknown>): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAssessmentKitProcess(env: Record<string, string>): Promise<AssessmentKitProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/assessment-kit-process.ts'], {
    env: { PATH: process.env.PATH, PORT: '0', ATS_LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const answers = new Map<number, (answer: { ok?: boolean; error?: string }) => void>();
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const listening = /listening on (http:\/\/[\d.:]+)/.exec(line);
        if (listening) resolve(listening[1]!);
        else if (line.startsWith('{')) {
          const answer = JSON.parse(line) as { id: number; ok?: boolean; error?: string };
          answers.get(answer.id)?.(answer);
          answers.delete(answer.id);
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`assessment kit process exited with ${code}: ${stderr}`)));
  });
  let next = 0;
  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    url,
    child,
    updateResult: (orderId, patch) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        answers.set(id, (answer) => (answer.ok ? resolve() : reject(new Error(answer.error))));
        child.stdin!.write(JSON.stringify({ id, orderId, patch }) + '\n');
      }),
    kill9: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited();
    },
  };
}
