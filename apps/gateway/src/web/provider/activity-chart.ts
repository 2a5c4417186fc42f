import type { ActivityDay } from '../../providers/activity/provider-activity.repository';

const WIDTH = 600;
const HEIGHT = 160;
const BAR_GAP = 2;
const AXIS = 20;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The 30-day activity chart as an SVG string made on the server (no script): one bar per day, the errors in a
 * second colour at its foot, each bar titled with its numbers. Only numbers and ISO dates go in, so nothing in it
 * comes from user input; it is still escaped. `id` names its title (two charts on one page need two ids). The table beside it carries the same data for screen readers.
 */
export function activityChartSvg(days: ActivityDay[], id = 'activity-chart'): string {
  const max = Math.max(1, ...days.map((d) => d.calls));
  const slot = (WIDTH - AXIS) / Math.max(1, days.length);
  const bars = days
    .map((d, i) => {
      const x = AXIS + i * slot;
      const h = ((HEIGHT - AXIS) * d.calls) / max;
      const eh = ((HEIGHT - AXIS) * d.errors) / max;
      const y = HEIGHT - AXIS - h;
      const label = escape(`${d.day}: ${d.calls} calls, ${d.errors} errors`);
      return (
        `<g><title>${label}</title>` +
        `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot - BAR_GAP).toFixed(1)}" height="${h.toFixed(1)}"></rect>` +
        (d.errors ? `<rect class="bar-error" x="${x.toFixed(1)}" y="${(HEIGHT - AXIS - eh).toFixed(1)}" width="${(slot - BAR_GAP).toFixed(1)}" height="${eh.toFixed(1)}"></rect>` : '') +
        `</g>`
      );
    })
    .join('');
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title">` +
    `<title id="${id}-title">Calls per day, ${escape(first)} to ${escape(last)} (errors in red); the most in one day: ${max}</title>` +
    `<line class="axis" x1="${AXIS}" y1="${HEIGHT - AXIS}" x2="${WIDTH}" y2="${HEIGHT - AXIS}"></line>` +
    bars +
    `<text class="axis-label" x="${AXIS}" y="${HEIGHT - 4}">${escape(first)}</text>` +
    `<text class="axis-label" x="${WIDTH}" y="${HEIGHT - 4}" text-anchor="end">${escape(last)}</text>` +
    `<text class="axis-label" x="0" y="12">${max}</text>` +
    `</svg>`
  );
}
