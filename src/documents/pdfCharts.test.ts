import { describe, expect, it } from 'vitest';
import { bandColor, chartLayout, type TrendChartInput } from './pdfCharts.js';

const PHQ9_BANDS = [
  { label: 'Minimal', min: 0, max: 4 },
  { label: 'Mild', min: 5, max: 9 },
  { label: 'Moderate', min: 10, max: 14 },
  { label: 'Moderately severe', min: 15, max: 19 },
  { label: 'Severe', min: 20, max: 27 },
];

const input: TrendChartInput = {
  from: '2026-09-01',
  to: '2026-11-30',
  maxTotal: 27,
  bands: PHQ9_BANDS,
  points: [],
  markers: [],
  targets: [],
};
const box = { x: 100, y: 200, width: 326, height: 172 };

describe('chartLayout', () => {
  it('maps the period onto the width and the scores onto the height, low scores at the bottom', () => {
    const { plot, xOf, yOf } = chartLayout(input, box);
    expect(xOf('2026-09-01')).toBeCloseTo(plot.x);
    expect(xOf('2026-11-30')).toBeCloseTo(plot.x + plot.width);
    expect(xOf('2026-10-16')).toBeCloseTo(plot.x + plot.width / 2, 0);
    expect(yOf(0)).toBeCloseTo(plot.y + plot.height);
    expect(yOf(27)).toBeCloseTo(plot.y);
    // Outside the period or the scale: held at the edge, never drawn off the chart.
    expect(xOf('2025-01-01')).toBeCloseTo(plot.x);
    expect(yOf(40)).toBeCloseTo(plot.y);
  });

  it('shades the bands edge to edge without gaps, covering the whole scale', () => {
    const { bands, plot, yOf } = chartLayout(input, box);
    expect(bands).toHaveLength(5);
    expect(bands[0]?.y).toBeCloseTo(yOf(5));
    for (let i = 1; i < bands.length; i++) {
      const below = bands[i - 1];
      const here = bands[i];
      expect(here && below && here.y + here.height).toBeCloseTo(below?.y ?? NaN);
    }
    expect(bands[4]?.y).toBeCloseTo(plot.y);
    expect(bands.reduce((sum, b) => sum + b.height, 0)).toBeCloseTo(plot.height);
  });

  it('ticks the score axis at each band boundary', () => {
    expect(chartLayout(input, box).yTicks).toEqual([0, 5, 10, 15, 20, 27]);
  });

  it('leaves out a tick too close to the one below it, but always shows the highest score', () => {
    const withNone = [
      { label: 'None', min: 0, max: 0 },
      { ...PHQ9_BANDS[0], min: 1 },
      ...PHQ9_BANDS.slice(1),
    ];
    expect(chartLayout({ ...input, bands: withNone }, box).yTicks).toEqual([0, 5, 10, 15, 20, 27]);
    const crowdedTop = [
      { label: 'Low', min: 0, max: 25 },
      { label: 'High', min: 26, max: 27 },
    ];
    expect(chartLayout({ ...input, bands: crowdedTop }, box).yTicks).toEqual([0, 27]);
  });

  it('widens a one-day period so its score sits in the middle', () => {
    const { xOf, plot } = chartLayout({ ...input, from: '2026-10-01', to: '2026-10-01' }, box);
    expect(xOf('2026-10-01')).toBeCloseTo(plot.x + plot.width / 2);
  });
});

describe('bandColor', () => {
  it('keeps the first band calm and the last severe whatever the number of bands', () => {
    expect(bandColor(0, 2)).toBe(bandColor(0, 5));
    expect(bandColor(1, 2)).toBe(bandColor(4, 5));
    expect(bandColor(0, 1)).toBe(bandColor(0, 5));
  });
});
