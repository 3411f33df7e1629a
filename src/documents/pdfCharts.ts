// Small vector charts drawn with pdfkit paths: no raster images, so they print sharp at any size.

export interface ChartBand {
  label: string;
  min: number;
  max: number;
}

export interface TrendChartInput {
  /** The period shown on the time axis (practice-local dates, inclusive). */
  from: string;
  to: string;
  maxTotal: number;
  /** Severity bands from the lowest scores up. */
  bands: ChartBand[];
  points: { date: string; total: number }[];
  /** Dated annotations, drawn as numbered dashed lines. */
  markers: { date: string; label: string }[];
  /** Goal lines ("below 10"), drawn as dashed horizontal lines. */
  targets: { below: number; label: string }[];
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BandRect {
  band: ChartBand;
  color: string;
  y: number;
  height: number;
}

export interface ChartLayout {
  plot: Box;
  /** x of a date; dates outside the period are clamped to its edges. */
  xOf: (date: string) => number;
  yOf: (total: number) => number;
  bands: BandRect[];
  yTicks: number[];
}

/** Band shading from calm to alarming; a chart with fewer bands spreads across the scale. */
const BAND_COLORS = ['#e3f1e6', '#eef4d8', '#fbf0cf', '#fbe0cc', '#f6d0cd'];
const LINE = '#1f4e79';
const AXIS = '#666666';
const MARKER = '#7a7a7a';
const TARGET = '#2e7d32';
const LABEL_SIZE = 7;
const BAND_LABEL_WIDTH = 96;
const MIN_TICK_GAP = 9;
const DAY_MS = 86_400_000;

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Colour of band `i` of `n`: the first is always calm, the last always the most severe. */
export function bandColor(i: number, n: number): string {
  const last = BAND_COLORS.length - 1;
  const index = n <= 1 ? 0 : Math.round((i * last) / (n - 1));
  return BAND_COLORS[Math.min(last, Math.max(0, index))] ?? '#eeeeee';
}

/** Where everything goes inside `box`: room on the left for the score axis and below for dates. */
export function chartLayout(input: TrendChartInput, box: Box): ChartLayout {
  // Score labels on the left, band names on the right, dates below.
  const plot: Box = {
    x: box.x + 22,
    y: box.y + 6,
    width: box.width - 22 - BAND_LABEL_WIDTH,
    height: box.height - 6 - 16,
  };
  let start = dayOf(input.from);
  let end = dayOf(input.to);
  if (end <= start) {
    start -= 1;
    end += 1;
  }
  const xOf = (date: string) => {
    const d = Math.min(end, Math.max(start, dayOf(date)));
    return plot.x + ((d - start) / (end - start)) * plot.width;
  };
  const max = Math.max(1, input.maxTotal);
  const yOf = (total: number) =>
    plot.y + plot.height - (Math.min(max, Math.max(0, total)) / max) * plot.height;
  // Bands cover whole scores: [min, max + 1), the top one up to the highest total.
  const bands = input.bands.map((band, i) => {
    const top = yOf(Math.min(max, band.max + 1));
    return { band, color: bandColor(i, input.bands.length), y: top, height: yOf(band.min) - top };
  });
  const candidates = [...new Set([0, ...input.bands.map((b) => b.min), max])]
    .filter((t) => t >= 0 && t <= max)
    .sort((a, b) => a - b);
  // Labels closer than a line apart would print over each other (PHQ-9's one-point "none" band).
  const yTicks: number[] = [];
  for (const t of candidates) {
    const last = yTicks[yTicks.length - 1];
    if (last !== undefined && yOf(last) - yOf(t) < MIN_TICK_GAP) {
      if (t !== max) continue;
      yTicks.pop();
    }
    yTicks.push(t);
  }
  return { plot, xOf, yOf, bands, yTicks };
}

/**
 * Draws a score trend inside `box`: severity bands shaded, the scores joined by a line, goal lines and
 * numbered annotation markers. The caller has made room for it; the text cursor is left below the box.
 */
export function drawTrendChart(
  doc: PDFKit.PDFDocument,
  input: TrendChartInput,
  box: Box,
  fonts: { regular: string; bold: string },
): void {
  const layout = chartLayout(input, box);
  const { plot, xOf, yOf } = layout;
  doc.save();

  for (const b of layout.bands) {
    doc.rect(plot.x, b.y, plot.width, b.height).fill(b.color);
    if (b.height >= LABEL_SIZE + 2) {
      doc
        .font(fonts.regular)
        .fontSize(LABEL_SIZE)
        .fillColor(AXIS)
        .text(b.band.label, plot.x + plot.width + 5, b.y + b.height / 2 - LABEL_SIZE / 2 - 1, {
          width: BAND_LABEL_WIDTH - 5,
          lineBreak: false,
          ellipsis: true,
        });
    }
  }

  // Axes and score ticks.
  doc
    .moveTo(plot.x, plot.y)
    .lineTo(plot.x, plot.y + plot.height)
    .lineTo(plot.x + plot.width, plot.y + plot.height)
    .lineWidth(0.6)
    .strokeColor(AXIS)
    .stroke();
  doc.font(fonts.regular).fontSize(LABEL_SIZE).fillColor(AXIS);
  for (const t of layout.yTicks) {
    const y = yOf(t);
    doc
      .moveTo(plot.x - 3, y)
      .lineTo(plot.x, y)
      .stroke();
    doc.text(String(t), box.x, y - LABEL_SIZE / 2 - 1, { width: 17, align: 'right', lineBreak: false });
  }
  const dateY = plot.y + plot.height + 4;
  doc.text(input.from, plot.x, dateY, { width: 80, lineBreak: false });
  doc.text(input.to, plot.x + plot.width - 80, dateY, { width: 80, align: 'right', lineBreak: false });

  for (const target of input.targets) {
    const y = yOf(target.below);
    doc
      .moveTo(plot.x, y)
      .lineTo(plot.x + plot.width, y)
      .dash(4, { space: 3 })
      .lineWidth(0.8)
      .strokeColor(TARGET)
      .stroke()
      .undash();
    doc
      .font(fonts.regular)
      .fontSize(LABEL_SIZE)
      .fillColor(TARGET)
      .text(target.label, plot.x + 4, y - LABEL_SIZE - 2, { width: plot.width / 2, lineBreak: false });
  }

  for (const marker of input.markers) {
    const x = xOf(marker.date);
    doc
      .moveTo(x, plot.y + 9)
      .lineTo(x, plot.y + plot.height)
      .dash(2, { space: 2 })
      .lineWidth(0.6)
      .strokeColor(MARKER)
      .stroke()
      .undash();
    doc
      .font(fonts.bold)
      .fontSize(LABEL_SIZE)
      .fillColor(MARKER)
      .text(marker.label, x - 10, plot.y, { width: 20, align: 'center', lineBreak: false });
  }

  const points = [...input.points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const first = points[0];
  if (first) {
    doc.moveTo(xOf(first.date), yOf(first.total));
    for (const p of points.slice(1)) doc.lineTo(xOf(p.date), yOf(p.total));
    doc.lineWidth(1.4).strokeColor(LINE).lineJoin('round').stroke();
    const labelled = points.length <= 16;
    for (const p of points) {
      const x = xOf(p.date);
      const y = yOf(p.total);
      doc.circle(x, y, 2.2).fill(LINE);
      if (!labelled) continue;
      // Above the point, unless a goal line runs through that spot: then below it.
      const above = y - LABEL_SIZE - 5;
      const crossed = input.targets.some((t) => {
        const ty = yOf(t.below);
        return ty >= above - 1 && ty <= above + LABEL_SIZE + 2;
      });
      doc
        .font(fonts.bold)
        .fontSize(LABEL_SIZE)
        .fillColor(LINE)
        .text(String(p.total), x - 10, crossed ? y + 4 : above, {
          width: 20,
          align: 'center',
          lineBreak: false,
        });
    }
  }

  doc.restore();
  doc.fillColor('black');
  doc.x = box.x;
  doc.y = box.y + box.height;
}
