/**
 * Deletes what has outlived its retention, at start and then every `intervalMs`, on every instance:
 * deleting by age is idempotent, so several instances doing it at once is harmless. One prune at a
 * time per instance; a failure is logged and the next tick tries again.
 */
import type { Logger } from '../log.js';

export class PeriodicPrune {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly prune: () => Promise<unknown>,
    private readonly logger: Logger,
    private readonly intervalMs = 10 * 60 * 1000,
  ) {}

  start(): void {
    this.#run();
    this.#timer = setInterval(() => this.#run(), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  #run(): void {
    if (this.#running) return;
    this.#running = this.prune()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ err: error }, `${this.name} could not prune`))
      .finally(() => (this.#running = undefined));
  }
}
