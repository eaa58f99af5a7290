/** Public entry of the widget: registers `<ats-consent>` and exports its types and protocol. */
export * from './ats-consent.js';
export * from './protocol/index.js';
