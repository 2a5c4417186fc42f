import { UPSTREAM_PROBLEMS } from '@usi/client';
import { escapeHtml, renderErrorDocs } from './error-docs.page';

describe(renderErrorDocs.name, () => {
  it('has one anchored entry per row with its HTTP status, meaning and both lists of steps', () => {
    const page = renderErrorDocs(UPSTREAM_PROBLEMS);
    for (const p of UPSTREAM_PROBLEMS) {
      expect(page).toContain(`<section id="${p.code}"><h2><a href="#${p.code}"><code>${p.code}</code></a>`);
      expect(page).toContain(escapeHtml(p.meaning).replace(/`([^`]+)`/g, '<code>$1</code>'));
    }
    expect(page).toMatch(/<section id="upstream.version_outdated">.*HTTP 502 · from the USI Registry: ErrorInfo 3458/);
    expect(page).toMatch(/<section id="usi.identity_not_verified">.*HTTP 422/);
    expect(page).not.toContain('<script');
  });

  it('escapes everything it prints', () => {
    const page = renderErrorDocs([
      { code: 'x.y"><script>', source: 'usi', upstream: '<b>', title: "it's <i>", meaning: 'a & `<b>`', vendor: ['<img src=x>'], provider: ['"q"'] },
    ]);
    expect(page).not.toMatch(/<script>|<img|<b>|<i>/);
    expect(page).toContain('id="x.y&quot;&gt;&lt;script&gt;"');
    expect(page).toContain('a &amp; <code>&lt;b&gt;</code>');
    expect(page).toContain('<li>&lt;img src=x&gt;</li>');
    expect(page).toContain('it&#39;s &lt;i&gt;');
  });
});
