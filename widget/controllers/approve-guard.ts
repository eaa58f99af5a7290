/**
 * Keeps Approve disabled until the page has been shown for a moment and the user has done something
 * inside our document: a click that arrives first was not aimed at our button (clickjacking and
 * DoubleClickjacking, reference/security.md T9).
 *
 * What counts: a trusted pointer move or key press, or a trusted focus change while this frame has
 * transient user activation (a click, tap or key press in this frame in the last few seconds). A
 * trusted focus alone does not: the widget's own `.focus()` on each step's heading dispatches a
 * trusted `focusin` with no user involved, which armed Approve by itself (issue 13 finding 2).
 * Focus the widget moves right after the user's own click in the frame still counts: that click
 * was input the user caused here.
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
    // No UserActivation API (older browsers): focus never arms; a pointer move or key press still does.
    if (event.type === 'focusin' && !navigator.userActivation?.isActive) return;
    this.#interacted = true;
    this.host.requestUpdate();
  };
}
