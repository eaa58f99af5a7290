/**
 * Keeps Approve disabled until the page has been shown for a moment and a real (trusted) pointer
 * move, key press or focus has happened inside our document: a click that arrives first was not
 * aimed at our button (clickjacking and DoubleClickjacking, reference/security.md T9).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const MIN_VISIBLE_MS = 500;
const ARMING_EVENTS = ['pointermove', 'keydown', 'focusin'] as const;

export class ApproveGuard implements ReactiveController {
  #shownLongEnough = false;
  #interacted = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get armed(): boolean {
    return this.#shownLongEnough && this.#interacted;
  }

  /** Starts the visibility clock; call when the review step appears. */
  start(): void {
    clearTimeout(this.#timer);
    this.#shownLongEnough = false;
    this.#timer = setTimeout(() => {
      this.#shownLongEnough = true;
      this.host.requestUpdate();
    }, MIN_VISIBLE_MS);
  }

  hostConnected(): void {
    for (const type of ARMING_EVENTS) document.addEventListener(type, this.#onInteraction, true);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    for (const type of ARMING_EVENTS) document.removeEventListener(type, this.#onInteraction, true);
  }

  #onInteraction = (event: Event): void => {
    if (!event.isTrusted || this.#interacted) return;
    this.#interacted = true;
    this.host.requestUpdate();
  };
}
