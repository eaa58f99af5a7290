/** Escapes text for HTML text and double-quoted attribute contexts. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const PAGE_STYLE = `
  :root { color-scheme: light dark; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f6f7f9; color: #1b1f24; }
  main { max-inline-size: 34rem; margin: 0 auto; padding: 1.5rem 1rem; }
  .error { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 1.25rem; }
  .error h1 { font-size: 1.25rem; margin: 0 0 .5rem; }
  code { background: #eef1f4; padding: .1rem .3rem; border-radius: 4px; }
  @media (prefers-color-scheme: dark) {
    body { background: #0d1117; color: #e6edf3; }
    .error { background: #161b22; border-color: #30363d; }
    code { background: #21262d; }
  }
`;

/** `lang` and `dir` are the negotiated locale's (localization.ts), never raw request input. */
export function page(options: { title: string; nonce: string; lang: string; dir: 'ltr' | 'rtl'; head?: string; body: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.lang)}" dir="${options.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<style nonce="${options.nonce}">${PAGE_STYLE}</style>
${options.head ?? ''}
</head>
<body>
<main>
${options.body}
</main>
</body>
</html>
`;
}
