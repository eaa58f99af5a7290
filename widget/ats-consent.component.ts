/**
 * `<ats-consent>`: sign in, review what is shared, approve or deny.
 *
 * Steps: loading → sign-in → review → working → done, or error (with Retry) / denied. While an
 * earlier attempt for the company still holds the exchange (a slow one, another tab, or one whose
 * server died: its lease lapses within seconds), working becomes waiting, and the element asks
 * again by itself as the server's Retry-After says until it settles. The element
 * detects its mode (framed → popup; a `redirect` → redirect; otherwise embedded) unless `mode` is
 * set. On completion it fires a DOM event, and in popup mode posts a typed result to the framing
 * SmartRecruiters page at its exact origin; in redirect mode the browser goes back to the
 * server-validated `redirect`.
 */
import { LitElement, nothing } from 'lit';
import { ApproveGuard } from './controllers/approve-guard.js';
import { ConsentClient } from './controllers/consent-client.js';
import { postToParent } from './controllers/parent-messenger.js';
import { AtsWidgetError, shownError } from './errors.js';
import { ConnectionsController } from './controllers/connections-controller.js';
import { renderConnections } from './connections.templates.js';
import { AtsConnectionEvent, AtsConsentDeniedEvent, AtsConsentGrantedEvent, AtsErrorEvent } from './events.js';
import { AtsErrorCode } from './protocol/error-codes.js';
import type { ConsentBootstrap, ConsentDecisionResponse, ConsentMode } from './protocol/http.js';
import { consentResultMessage } from './protocol/messages.js';
import { styles } from './ats-consent.styles.js';
import { renderStep, type Step, type StepActions } from './ats-consent.templates.js';
import { LocaleController } from './i18n/locale-controller.js';
import { Translator } from './i18n/translator.js';

/**
 * How long the waiting step keeps asking before it shows the error with Retry: past an earlier
 * attempt's worst case (token and exchange, each with its timeout and one renewal).
 */
const EARLIER_ATTEMPT_PATIENCE_MS = 120_000;

/** Errors the sign-in form shows in place, keeping what the admin typed. */
const SIGN_IN_FORM_ERRORS = new Set<string>([AtsErrorCode.SignInFailed, AtsErrorCode.SignInThrottled, AtsErrorCode.InvalidInput]);

/**
 * @tagname ats-consent
 * @summary Consent and sign-in widget for connecting a SmartRecruiters company to the partner.
 *
 * @event {AtsConsentGrantedEvent} ats-consent-granted - The admin approved and the exchange completed. `detail: {companyId, mode}`.
 * @event {AtsConsentDeniedEvent} ats-consent-denied - The admin denied. `detail: {companyId, mode}`.
 * @event {AtsErrorEvent} ats-error - A step failed. `detail: {code, message, retryable}`.
 * @event {AtsConnectionEvent} ats-connection - Connections view: a provider connection changed. `detail: {provider, status, connectionId}`.
 *
 * @csspart base - The widget surface.
 * @csspart header - Partner name and step title.
 * @csspart partner - The partner's name above the title.
 * @csspart title - The step heading (receives focus on each step).
 * @csspart body - The step content.
 * @csspart sign-in-form - The sign-in form.
 * @csspart input - The email and password inputs.
 * @csspart scope-list - The list of what will be shared.
 * @csspart actions - The row of buttons.
 * @csspart sign-in-button - The "Sign in" button.
 * @csspart consent-button - The "Approve" button.
 * @csspart deny-button - The "Deny" / "Cancel" button.
 * @csspart retry-button - The "Retry" button on the error step.
 * @csspart error - The error message region (`role="alert"`).
 * @csspart provider-list - Connections view: the list of providers.
 * @csspart provider-button - Connections view: Connect / Reconnect / Disconnect buttons.
 * @csspart notice - Connections view: the status message (`role="status"`).
 *
 * Color defaults are the light palette; under `prefers-color-scheme: dark` the same properties
 * default to a dark one (README, Right-to-left and dark mode). A value you set wins in both.
 *
 * @cssproperty [--ats-font-family=system-ui] - Font of the whole widget.
 * @cssproperty [--ats-color-text=#1b1f24] - Text color.
 * @cssproperty [--ats-color-muted=#57606a] - Secondary text color.
 * @cssproperty [--ats-color-accent=#0b5cad] - Primary buttons, links and focus rings.
 * @cssproperty [--ats-color-on-accent=#ffffff] - Text on primary buttons.
 * @cssproperty [--ats-color-background=#ffffff] - Surface background.
 * @cssproperty [--ats-color-border=#d0d7de] - Borders.
 * @cssproperty [--ats-color-danger=#b42318] - Error accent.
 * @cssproperty [--ats-color-danger-background=#fef3f2] - Background of error messages.
 * @cssproperty [--ats-color-input-background=#ffffff] - Background of the inputs.
 * @cssproperty [--ats-color-secondary-background=#f6f8fa] - Background of secondary buttons.
 * @cssproperty [--ats-radius=8px] - Corner radius.
 * @cssproperty [--ats-spacing=1rem] - Base spacing unit.
 * @cssproperty [--ats-width=32rem] - Maximum width.
 */
export class AtsConsent extends LitElement {
  static override styles = styles;
  static override properties = {
    endpoint: { type: String },
    companyId: { type: String, attribute: 'company-id' },
    redirect: { type: String },
    mode: { type: String },
    connectMode: { type: String, attribute: 'connect-mode' },
    localesUrl: { type: String, attribute: 'locales-url' },
    step: { state: true },
  };

  /** URL of the kit's consent API, e.g. `/ats/consent`. */
  declare endpoint: string;
  /** SmartRecruiters company id being connected. */
  declare companyId: string;
  /** Where SmartRecruiters asked to be sent back (REDIRECT mode); validated again by the server. */
  declare redirect: string | null;
  /** `popup`, `redirect` or `embedded` (SmartRecruiters consent), or `connections` (provider connections); detected when not set. */
  declare mode: ConsentMode | 'connections' | undefined;
  /** Connections view: open the provider's sign-in in a `popup` (default) or the whole `page`. */
  declare connectMode: 'popup' | 'page';
  /** Folder the other locales' catalogues load from; default the `locales/` folder beside the script (the kit serves it). */
  declare localesUrl: string | undefined;
  /** @internal */
  declare step: Step;

  #client: ConsentClient | undefined;
  #bootstrap: ConsentBootstrap | undefined;
  #guard = new ApproveGuard(this);
  #focusOnUpdate = false;
  #connections: ConnectionsController | undefined;
  // Added first, so the locale is chosen before the connections view starts.
  #locale = new LocaleController(this);

  constructor() {
    super();
    this.connectMode = 'popup';
    this.endpoint = '/ats/consent';
    this.companyId = '';
    this.redirect = null;
    this.step = { name: 'loading' };
  }

  /** The mode in effect: the attribute, else detected from how the page was opened. */
  get effectiveMode(): ConsentMode {
    if (this.mode === 'popup' || this.mode === 'redirect' || this.mode === 'embedded') return this.mode;
    if (this.mode === 'connections') return 'embedded';
    if (window.parent !== window) return 'popup';
    return this.redirect ? 'redirect' : 'embedded';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.mode === 'connections') {
      this.#connections ??= new ConnectionsController(this, {
        changed: (detail) => this.dispatchEvent(new AtsConnectionEvent(detail)),
        error: (error) => this.dispatchEvent(new AtsErrorEvent({ code: error.code, message: error.message, retryable: error.retryable })),
      }, () => this.#locale.translator ?? new Translator());
      return;
    }
    void this.#load();
  }

  override render() {
    const t = this.#locale.translator;
    if (!t) return nothing;
    if (this.#connections) return renderConnections(this.#connections, t);
    const actions: StepActions = {
      signIn: (username, password) => this.#run(() => this.#signIn(username, password)),
      switchAccount: () => this.#run(() => this.#switchAccount()),
      approve: () => this.#run(() => this.#approve(), { name: 'working' }),
      deny: () => this.#run(() => this.#deny(), { name: 'working' }),
      approveArmed: this.#guard.armed,
    };
    return renderStep(this.step, this.#bootstrap, this.effectiveMode, actions, t);
  }

  protected override updated(): void {
    // The heading may not exist yet (nothing renders while a catalogue loads): focus it once it does.
    const title = this.#focusOnUpdate && this.renderRoot.querySelector<HTMLElement>('[part="title"]');
    if (title) {
      this.#focusOnUpdate = false;
      title.focus();
    }
  }

  #show(step: Step): void {
    // Move focus to the new heading, except on the first render of an embedded widget, which must
    // not pull focus away from the partner's page.
    this.#focusOnUpdate = !(this.step.name === 'loading' && this.effectiveMode === 'embedded');
    if (step.name === 'review') this.#guard.start();
    this.step = step;
  }

  async #load(): Promise<void> {
    if (self.origin === 'null') {
      // Sandboxed without allow-same-origin: no cookies, and messages would come from "null" (T11).
      this.#fail(new AtsWidgetError(AtsErrorCode.OpaqueOrigin, 'This page cannot work inside a sandboxed frame. Open it in a new window.'));
      return;
    }
    this.#client = new ConsentClient(this.endpoint);
    await this.#run(async () => {
      this.#bootstrap = await this.#client!.bootstrap(this.companyId, this.redirect);
      this.#show(this.#bootstrap.user ? { name: 'review' } : { name: 'sign-in' });
    });
  }

  async #signIn(username: string, password: string): Promise<void> {
    const result = await this.#client!.signIn(username, password);
    this.#bootstrap = { ...this.#bootstrap!, user: result.user };
    this.#show({ name: 'review' });
  }

  async #switchAccount(): Promise<void> {
    await this.#client!.signOut();
    this.#bootstrap = { ...this.#bootstrap!, user: null };
    this.#show({ name: 'sign-in' });
  }

  async #approve(): Promise<void> {
    const result = await this.#approveOnceSettled();
    this.#finish('approved', result.redirectTo);
  }

  /**
   * Approves. While another attempt holds the company's exchange (409 ATS_EXCHANGE_IN_PROGRESS),
   * shows the waiting step and asks again after the server's Retry-After: the attempt finishes, or
   * its server died and the next ask takes over. Past the patience, the error with Retry.
   */
  async #approveOnceSettled(): Promise<ConsentDecisionResponse> {
    const giveUpAt = Date.now() + EARLIER_ATTEMPT_PATIENCE_MS;
    for (;;) {
      try {
        return await this.#client!.approve();
      } catch (error) {
        if (!(error instanceof AtsWidgetError) || error.code !== AtsErrorCode.ExchangeInProgress || Date.now() > giveUpAt || !this.isConnected) throw error;
        if (this.step.name !== 'waiting') this.#show({ name: 'waiting' });
        const seconds = Math.min(Math.max(error.retryAfterSeconds ?? 1, 1), 10);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    }
  }

  async #deny(): Promise<void> {
    const result = await this.#client!.deny();
    this.#finish('denied', result.redirectTo);
  }

  #finish(status: 'approved' | 'denied', redirectTo: string | undefined): void {
    const bootstrap = this.#bootstrap!;
    const mode = this.effectiveMode;
    const detail = { companyId: bootstrap.companyId, mode };
    this.#show({ name: status === 'approved' ? 'done' : 'denied' });
    this.dispatchEvent(status === 'approved' ? new AtsConsentGrantedEvent(detail) : new AtsConsentDeniedEvent(detail));
    if (mode === 'popup') {
      const payload = status === 'approved'
        ? { status, companyId: bootstrap.companyId }
        : { status, companyId: bootstrap.companyId, error: 'access_denied' as const };
      postToParent(consentResultMessage(bootstrap.txnId, payload), bootstrap.parentOrigins);
    } else if (mode === 'redirect' && redirectTo) {
      window.location.assign(redirectTo); // the server's stored, validated redirect (T1)
    }
  }

  /** Runs one user action; a failure becomes the error step, with Retry when it can help. */
  async #run(action: () => Promise<void>, pending?: Step): Promise<void> {
    const previous = this.step;
    if (pending) this.#show(pending);
    try {
      await action();
    } catch (caught) {
      const error = caught instanceof AtsWidgetError
        ? caught
        : new AtsWidgetError(AtsErrorCode.Network, 'Something went wrong. Retry in a moment.', true);
      if (previous.name === 'sign-in' && SIGN_IN_FORM_ERRORS.has(error.code)) {
        this.#show({ name: 'sign-in', error: shownError(error) });
        this.dispatchEvent(new AtsErrorEvent({ code: error.code, message: error.message, retryable: false }));
        return;
      }
      this.#fail(error, error.retryable ? () => this.#run(action, pending) : undefined);
    }
  }

  #fail(error: AtsWidgetError, retry?: () => void): void {
    this.#show({ name: 'error', error: shownError(error), ...(retry ? { retry } : {}) });
    this.dispatchEvent(new AtsErrorEvent({ code: error.code, message: error.message, retryable: retry !== undefined }));
  }
}
