/** Registers `<ats-consent>` (once, even if the script is loaded twice). */
import { AtsConsent } from './ats-consent.component.js';

if (!customElements.get('ats-consent')) customElements.define('ats-consent', AtsConsent);

declare global {
  interface HTMLElementTagNameMap {
    'ats-consent': AtsConsent;
  }
}

export { AtsConsent };
export * from './events.js';
export { AtsWidgetError } from './errors.js';
