import { horizontalBarsSvg, hourlyCallsSvg } from './support-charts.svg';

describe('support charts as SVG', () => {
  it('draws one titled bar per hour with calls, errors at its foot, scaled to the busiest hour, and day ticks', () => {
    const svg = hourlyCallsSvg('c', [
      { hour: '2026-12-03T23:00:00.000Z', calls: 0, errors: 0 },
      { hour: '2026-12-04T00:00:00.000Z', calls: 4, errors: 1 },
      { hour: '2026-12-04T01:00:00.000Z', calls: 2, errors: 0 },
    ]);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(svg.match(/<rect class="bar-error"/g)).toHaveLength(1);
    expect(svg).toContain('<title>2026-12-04T00:00 UTC: 4 calls, 1 errors</title>');
    expect(svg).toContain('the most in one hour: 4');
    expect(svg).toContain('>12-04</text>');
    expect(svg).not.toContain('>12-03</text>');
  });

  it('scales horizontal bars to the largest value and escapes labels', () => {
    const svg = horizontalBarsSvg('h', 'Errors <by> code', [
      { label: 'a&b', value: 10 },
      { label: 'c', value: 5, unit: ' ms' },
    ]);
    const widths = [...svg.matchAll(/<rect class="bar" x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBeCloseTo(widths[1] * 2, 1);
    expect(svg).toContain('Errors &lt;by&gt; code');
    expect(svg).toContain('a&amp;b: 10');
    expect(svg).toContain('5 ms');
    expect(svg).not.toContain('a&b');
  });
});
