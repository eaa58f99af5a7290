import { css } from 'lit';

/** Every themable value reads a `--ats-*` custom property with a default. */
export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    max-width: var(--ats-width, 32rem);
    font-family: var(--ats-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--ats-color-text, #1b1f24);
    line-height: 1.5;
  }
  *, *::before, *::after { box-sizing: inherit; }
  [part='base'] {
    background: var(--ats-color-background, #ffffff);
    border: 1px solid var(--ats-color-border, #d0d7de);
    border-radius: var(--ats-radius, 8px);
    padding: calc(var(--ats-spacing, 1rem) * 1.25);
  }
  [part='header'] { margin-bottom: var(--ats-spacing, 1rem); }
  [part='partner'] { margin: 0; font-size: 0.875rem; color: var(--ats-color-muted, #57606a); }
  [part='title'] { margin: 0.25rem 0 0; font-size: 1.25rem; line-height: 1.3; }
  [part='title']:focus { outline: none; }
  [part='title']:focus-visible { outline: 2px solid var(--ats-color-accent, #0b5cad); outline-offset: 2px; }
  p { margin: 0 0 var(--ats-spacing, 1rem); }
  form { display: grid; gap: calc(var(--ats-spacing, 1rem) * 0.75); }
  label { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9375rem; }
  input {
    font: inherit;
    padding: 0.5rem 0.625rem;
    border: 1px solid var(--ats-color-border, #8c959f);
    border-radius: calc(var(--ats-radius, 8px) * 0.75);
    color: inherit;
    background: var(--ats-color-input-background, #ffffff);
  }
  [part='scope-list'] { margin: 0 0 var(--ats-spacing, 1rem); padding-left: 1.25rem; }
  [part='scope-list'] li { margin-bottom: 0.375rem; }
  code { font-size: 0.8125rem; color: var(--ats-color-muted, #57606a); }
  [part='actions'] { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: var(--ats-spacing, 1rem); }
  button {
    font: inherit;
    font-weight: 600;
    padding: 0.5rem 1rem;
    border-radius: calc(var(--ats-radius, 8px) * 0.75);
    border: 1px solid var(--ats-color-border, #8c959f);
    background: var(--ats-color-secondary-background, #f6f8fa);
    color: var(--ats-color-text, #1b1f24);
    cursor: pointer;
  }
  button.primary {
    background: var(--ats-color-accent, #0b5cad);
    border-color: var(--ats-color-accent, #0b5cad);
    color: var(--ats-color-on-accent, #ffffff);
  }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  button:focus-visible, input:focus-visible {
    outline: 2px solid var(--ats-color-accent, #0b5cad);
    outline-offset: 2px;
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    color: var(--ats-color-accent, #0b5cad);
    text-decoration: underline;
    font-weight: 400;
  }
  [part='error'] {
    border-left: 4px solid var(--ats-color-danger, #b42318);
    background: var(--ats-color-danger-background, #fef3f2);
    padding: 0.5rem 0.75rem;
    margin-bottom: var(--ats-spacing, 1rem);
  }
  [part='error']:empty { display: none; }
`;
