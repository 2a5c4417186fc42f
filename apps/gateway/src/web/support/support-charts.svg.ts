import type { HourCount } from './support-charts.repository';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const WIDTH = 720;

/**
 * Calls per hour as a server-made SVG bar chart (no script; CSP-safe): one bar per hour, its errors in a second
 * colour at its foot, each bar titled with its numbers, day ticks under the axis. Only numbers and ISO times go in;
 * they are still escaped. The page carries the same data as a table for screen readers.
 */
export function hourlyCallsSvg(id: string, hours: HourCount[]): string {
  const height = 180;
  const axis = 22;
  const max = Math.max(1, ...hours.map((h) => h.calls));
  const slot = (WIDTH - axis) / Math.max(1, hours.length);
  const scale = (n: number) => ((height - axis) * n) / max;
  const bars = hours
    .map((h, i) => {
      const x = (axis + i * slot).toFixed(2);
      const w = Math.max(0.5, slot - 0.5).toFixed(2);
      const label = escape(`${h.hour.slice(0, 13)}:00 UTC: ${h.calls} calls, ${h.errors} errors`);
      const bar = h.calls ? `<rect class="bar" x="${x}" y="${(height - axis - scale(h.calls)).toFixed(1)}" width="${w}" height="${scale(h.calls).toFixed(1)}"></rect>` : '';
      const err = h.errors ? `<rect class="bar-error" x="${x}" y="${(height - axis - scale(h.errors)).toFixed(1)}" width="${w}" height="${scale(h.errors).toFixed(1)}"></rect>` : '';
      return bar || err ? `<g><title>${label}</title>${bar}${err}</g>` : '';
    })
    .join('');
  const ticks = hours
    .map((h, i) => (h.hour.endsWith('T00:00:00.000Z') ? `<text class="axis-label" x="${(axis + i * slot).toFixed(1)}" y="${height - 6}">${escape(h.hour.slice(5, 10))}</text>` : ''))
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title">` +
    `<title id="${id}-title">API calls per hour over 7 days (errors in red); the most in one hour: ${max}</title>` +
    `<line class="axis" x1="${axis}" y1="${height - axis}" x2="${WIDTH}" y2="${height - axis}"></line>` +
    bars +
    ticks +
    `<text class="axis-label" x="0" y="12">${max}</text>` +
    `</svg>`
  );
}

/** Labelled horizontal bars (errors by code, by organisation; latency per operation), largest value = full width. */
export function horizontalBarsSvg(id: string, title: string, rows: { label: string; value: number; unit?: string }[]): string {
  const labelWidth = 260;
  const row = 24;
  const height = Math.max(1, rows.length) * row + 4;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const body = rows
    .map((r, i) => {
      const y = i * row + 2;
      const w = ((WIDTH - labelWidth - 80) * r.value) / max;
      const text = escape(`${r.label}: ${r.value}${r.unit ?? ''}`);
      return (
        `<g><title>${text}</title>` +
        `<text class="axis-label" x="0" y="${y + 15}">${escape(r.label.length > 36 ? `${r.label.slice(0, 35)}…` : r.label)}</text>` +
        `<rect class="bar" x="${labelWidth}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${row - 8}"></rect>` +
        `<text class="axis-label" x="${(labelWidth + Math.max(1, w) + 6).toFixed(1)}" y="${y + 15}">${escape(`${r.value}${r.unit ?? ''}`)}</text></g>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title">` +
    `<title id="${id}-title">${escape(title)}</title>${body}</svg>`
  );
}
