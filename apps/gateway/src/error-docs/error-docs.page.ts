import type { UpstreamProblem } from '@usi/client';
import { statusForCode } from '../common/errors/error-status';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** `code` markup for text in backticks; everything else escaped. */
function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function steps(items: readonly string[]): string {
  return `<ol>${items.map((s) => `<li>${prose(s)}</li>`).join('')}</ol>`;
}

function row(p: UpstreamProblem): string {
  const { status } = statusForCode(p.code);
  const id = escapeHtml(p.code);
  return (
    `<section id="${id}">` +
    `<h2><a href="#${id}"><code>${id}</code></a> ${escapeHtml(p.title)}</h2>` +
    `<p class="meta">HTTP ${status} · from the ${p.source === 'sts' ? 'ATO token service (STS)' : 'USI Registry'}: ${escapeHtml(p.upstream)}</p>` +
    `<p>${prose(p.meaning)}</p>` +
    `<h3>What the vendor should do</h3>${steps(p.vendor)}` +
    `<h3>What the training provider should do</h3>${steps(p.provider)}` +
    '</section>'
  );
}

/**
 * The upstream error table as one self-contained HTML page: an anchor per code (the `type` of each such problem
 * links here), every text escaped, no script.
 */
export function renderErrorDocs(problems: readonly UpstreamProblem[]): string {
  const toc = problems.map((p) => `<li><a href="#${escapeHtml(p.code)}"><code>${escapeHtml(p.code)}</code></a> ${escapeHtml(p.title)}</li>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>USI Gateway: upstream errors</title>',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}' +
      'section{border-top:1px solid #ccc;padding-top:.5rem;margin-top:1.5rem}.meta{color:#555;font-size:.9rem}' +
      'section:target{background:#fffbe6}code{background:#f3f3f3;padding:0 .2rem}</style>',
    '</head><body>',
    '<h1>Upstream errors</h1>',
    '<p>Every answer of the USI Registry and of the ATO token service that USI Gateway recognises, with its stable problem ' +
      '<code>code</code>: what it means and what to do. Problems with these codes are <code>application/problem+json</code> whose ' +
      '<code>type</code> links to the entry below; they carry the upstream code, title and message in <code>upstream</code> and these ' +
      'steps in <code>guidance</code>. An ErrorInfo code not listed here is <code>usi.error</code>, an STS refusal not recognised is ' +
      '<code>sts.fault</code>, a SOAP fault without ErrorInfo is <code>usi.fault</code>.</p>',
    `<ul>${toc}</ul>`,
    ...problems.map(row),
    '</body></html>',
    '',
  ].join('\n');
}
