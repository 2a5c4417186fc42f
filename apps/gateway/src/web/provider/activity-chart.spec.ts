import { activityChartSvg } from './activity-chart';

describe('activityChartSvg', () => {
  const days = [
    { day: '2026-12-01', calls: 0, errors: 0 },
    { day: '2026-12-02', calls: 4, errors: 1 },
    { day: '2026-12-03', calls: 2, errors: 0 },
  ];

  it('draws one bar per day scaled to the busiest, errors in their own bar, each titled with its numbers', () => {
    const svg = activityChartSvg(days);
    expect(svg.match(/class="bar"/g)).toHaveLength(3);
    expect(svg.match(/class="bar-error"/g)).toHaveLength(1);
    expect(svg).toContain('<title>2026-12-02: 4 calls, 1 errors</title>');
    const heights = [...svg.matchAll(/class="bar" [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[1]).toBeCloseTo(heights[2] * 2, 1);
    expect(heights[0]).toBe(0);
  });

  it('has an accessible name and no script', () => {
    const svg = activityChartSvg(days);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="activity-chart-title"/);
    expect(svg).not.toMatch(/<script|on\w+=/i);
  });
});
