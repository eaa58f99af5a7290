import { css } from 'lit';

/**
 * Every themable value reads a `--ats-*` custom property with a default. The defaults live once,
 * in private `--_*` properties on the host: the light palette, and under
 * `prefers-color-scheme: dark` a dark one. A partner's `--ats-*` value wins in both schemes
 * (set it inside their own dark media query to theme each). Layout uses logical properties
 * (inline/block, start/end), so it mirrors under `dir="rtl"`.
 */
export const styles = css`
  :host {
    --_text: var(--ats-color-text, #1b1f24);
    --_muted: var(--ats-color-muted, #57606a);
    --_accent: var(--ats-color-accent, #0b5cad);
    --_on-accent: var(--ats-color-on-accent, #ffffff);
    --_bg: var(--ats-color-background, #ffffff);
    --_border: var(--ats-color-border, #8c959f);
    --_line: var(--ats-color-border, #d0d7de);
    --_danger: var(--ats-color-danger, #b42318);
    --_danger-bg: var(--ats-color-danger-background, #fef3f2);
    --_input-bg: var(--ats-color-input-background, #ffffff);
    --_secondary-bg: var(--ats-color-secondary-background, #f6f8fa);
    --_radius: var(--ats-radius, 8px);
    --_space: var(--ats-spacing, 1rem);
    color-scheme: light;
    display: block;
    box-sizing: border-box;
    max-inline-size: var(--ats-width, 32rem);
    font-family: var(--ats-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_text);
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--ats-color-text, #e6edf3);
      --_muted: var(--ats-color-muted, #9da7b3);
      --_accent: var(--ats-color-accent, #6cb6ff);
      --_on-accent: var(--ats-color-on-accent, #0d1117);
      --_bg: var(--ats-color-background, #161b22);
      --_border: var(--ats-color-border, #6e7681);
      --_line: var(--ats-color-border, #30363d);
      --_danger: var(--ats-color-danger, #ff7b72);
      --_danger-bg: var(--ats-color-danger-background, #3a1d1d);
      --_input-bg: var(--ats-color-input-background, #0d1117);
      --_secondary-bg: var(--ats-color-secondary-background, #21262d);
      color-scheme: dark;
    }
  }
  *, *::before, *::after { box-sizing: inherit; }
  [part='base'] {
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.25);
  }
  [part='header'] { margin-block-end: var(--_space); }
  [part='partner'] { margin: 0; font-size: 0.875rem; color: var(--_muted); }
  [part='title'] { margin: 0.25rem 0 0; font-size: 1.25rem; line-height: 1.3; }
  [part='title']:focus { outline: none; }
  p { margin: 0 0 var(--_space); }
  strong { unicode-bidi: isolate; }
  /* minmax(0, 1fr): an auto track would grow to the input's intrinsic width, which in Firefox is
     wider than a 320 px screen leaves (the sign-in form overflowed by 2 px there). */
  form { display: grid; grid-template-columns: minmax(0, 1fr); gap: calc(var(--_space) * 0.75); }
  label { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.25rem; font-weight: 600; font-size: 0.9375rem; }
  input {
    font: inherit;
    /* The label's weight is for its text, not for what the admin types. */
    font-weight: 400;
    padding: 0.5rem 0.625rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    color: inherit;
    background: var(--_input-bg);
  }
  [part='scope-list'] { margin: 0 0 var(--_space); padding-inline-start: 1.25rem; }
  [part='scope-list'] li { margin-block-end: 0.375rem; }
  code { font-size: 0.8125rem; color: var(--_muted); overflow-wrap: anywhere; }
  [part='actions'] { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-block-start: var(--_space); }
  button {
    font: inherit;
    font-weight: 600;
    padding: 0.5rem 1rem;
    border-radius: calc(var(--_radius) * 0.75);
    border: 1px solid var(--_border);
    background: var(--_secondary-bg);
    color: var(--_text);
    cursor: pointer;
  }
  button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_on-accent); }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  button:focus-visible, input:focus-visible, [part='title']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    color: var(--_accent);
    text-decoration: underline;
    font-weight: 400;
  }
  [part='error'] {
    border-inline-start: 4px solid var(--_danger);
    background: var(--_danger-bg);
    padding: 0.5rem 0.75rem;
    margin-block-end: var(--_space);
  }
  [part='error']:empty { display: none; }
`;
