import type { Endpoint } from '../endpoints/types.ts';

/**
 * The built-in stylesheet. Text and controls keep a contrast of at least 4.5:1, most of them 7:1
 * (WCAG 2.2 SC 1.4.3, 1.4.11); every focusable element shows a 3px outline when focused from the
 * keyboard (SC 2.4.7, 2.4.13); targets are at least 44px high (SC 2.5.8). Colours are custom
 * properties, so a host stylesheet loaded after this one can rebrand the pages in a few lines.
 */
export const stylesheet = `:root {
  --ip-text: #1f2328;
  --ip-muted: #4b5563;
  --ip-background: #f3f4f6;
  --ip-card: #ffffff;
  --ip-border: #6b7280;
  --ip-primary: #1d4ed8;
  --ip-primary-text: #ffffff;
  --ip-focus: #1d4ed8;
  --ip-error-text: #8f1d1d;
  --ip-error-background: #fdecec;
  --ip-radius: 0.5rem;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  padding: 1rem;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--ip-text);
  background: var(--ip-background);
}
.brand, main.card, footer { max-width: 26rem; margin: 0 auto; }
.brand { display: flex; align-items: center; gap: 0.75rem; padding: 1rem 0; font-weight: 600; font-size: 1.125rem; }
.brand .logo { max-height: 2.5rem; max-width: 10rem; }
main.card {
  background: var(--ip-card);
  border: 1px solid #d1d5db;
  border-radius: var(--ip-radius);
  padding: 1.5rem;
  box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
}
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; overflow-wrap: anywhere; }
p { margin: 0 0 1rem; }
a { color: var(--ip-primary); text-underline-offset: 0.15em; }
.alert {
  margin: 0 0 1rem;
  padding: 0.75rem 1rem;
  border-left: 4px solid var(--ip-error-text);
  border-radius: 0.25rem;
  color: var(--ip-error-text);
  background: var(--ip-error-background);
}
.field { margin-bottom: 1rem; }
.field label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
input[type="text"], input[type="password"], input[type="email"] {
  display: block;
  width: 100%;
  min-height: 2.75rem;
  padding: 0.5rem 0.75rem;
  font: inherit;
  color: inherit;
  background: var(--ip-card);
  border: 1px solid var(--ip-border);
  border-radius: 0.375rem;
}
input[aria-invalid="true"] { border-color: var(--ip-error-text); border-width: 2px; }
.check { display: grid; grid-template-columns: auto 1fr; column-gap: 0.5rem; align-items: start; margin-bottom: 0.75rem; }
.check input[type="checkbox"] { width: 1.25rem; height: 1.25rem; margin: 0.15rem 0 0; accent-color: var(--ip-primary); }
.check .hint { grid-column: 2; }
.hint, .technical { color: var(--ip-muted); font-size: 0.875rem; }
.check p.hint { margin: 0; }
fieldset { border: 0; margin: 0 0 1rem; padding: 0; }
legend { font-weight: 600; margin-bottom: 0.5rem; padding: 0; }
.client { display: flex; align-items: center; gap: 0.75rem; margin-bottom: 1rem; }
.client p { margin: 0; }
.client-logo { border-radius: 0.25rem; flex: none; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 1.25rem; }
button, .button {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  min-height: 2.75rem;
  padding: 0.5rem 1.25rem;
  font: inherit;
  font-weight: 600;
  border-radius: 0.375rem;
  border: 2px solid var(--ip-primary);
  cursor: pointer;
  text-decoration: none;
}
button.primary, .button { color: var(--ip-primary-text); background: var(--ip-primary); }
button.secondary { color: var(--ip-primary); background: var(--ip-card); }
.actions button { flex: 1 1 8rem; }
button:hover, .button:hover { filter: brightness(0.92); }
:focus-visible { outline: 3px solid var(--ip-focus); outline-offset: 2px; }
input:focus-visible { outline-offset: 1px; }
.technical { margin-top: 1.5rem; border-top: 1px solid #e5e7eb; padding-top: 1rem; }
.technical p { margin: 0 0 0.25rem; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; }
footer { padding: 1rem 0; }
.languages ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; font-size: 0.875rem; }
.languages a, .languages span { display: inline-block; padding: 0.25rem 0; }
.languages span[aria-current] { font-weight: 600; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
@media (forced-colors: active) { :focus-visible { outline-color: Highlight; } }
`;

/** Serves the stylesheet; it changes only with a release, so browsers may keep it a day. */
export const stylesheetEndpoint: Endpoint = () => ({
  status: 200,
  headers: {
    'content-type': 'text/css; charset=utf-8',
    'cache-control': 'public, max-age=86400',
    'x-content-type-options': 'nosniff',
  },
  body: stylesheet,
});
