import { describe, expect, it } from 'vitest';
import { pdfObjects, pdfPageCount, pdfText } from '../../test/support/pdfText.js';
import { renderProgressReportPdf, type ProgressReportModel } from './progressReportPdf.js';
import { bandColor } from './pdfCharts.js';
import { PHQ9_BANDS, fixture } from '../../test/support/progressReportFixture.js';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** The colour operands pdfkit writes for '#e3f1e6' ('0.8901960784313725 0.9450980392156862 0.9019607843137255'). */
function operands(hex: string): string {
  return [1, 3, 5].map((i) => String(parseInt(hex.slice(i, i + 2), 16) / 255)).join(' ');
}

describe('renderProgressReportPdf', { timeout: 20_000 }, () => {
  it('writes a complete, compressed PDF with the title and never the client in its metadata', async () => {
    const pdf = await collect(renderProgressReportPdf(fixture));
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(raw).toContain('/FlateDecode');
    const objects = pdfObjects(pdf);
    const titleRef = /\/Title (\d+) 0 R/.exec(raw);
    expect(objects.get(Number(titleRef?.[1]))).toBe('(Progress report)');
    expect(raw).not.toContain('Quintero');
  });

  it('prints every section, the plan goals, scores and attendance, with a numbered footer on every page', async () => {
    const pdf = await collect(renderProgressReportPdf(fixture));
    const text = pdfText(pdf);
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (const s of [
      'Riverside Counseling',
      'Progress report',
      'Marisol Quintero',
      'C-7KQ4M2',
      '1991-03-14',
      'Dana Reyes, LCSW',
      '2026-09-01 to 2026-11-27',
      '2026-11-27 16:20 EST by Dana Reyes',
      'Diagnoses',
      'F33.1',
      'Major depressive disorder, recurrent, moderate',
      'Treatment plan',
      'Version 2, signed 2026-09-03 by Dana Reyes, LCSW. Review due 2026-12-02.',
      '1. Low mood most days; withdrawn from friends.',
      'Goal 1 — Active',
      'Reduce depressive symptoms to the mild range.',
      'Goal 2 — Achieved',
      'PHQ-9 every session',
      'Baseline 18, latest 11 on 2026-11-20: 78% of the way to the target',
      'Objective 1.1: Schedule two pleasant activities a week. — Active, by 2026-12-15 (activity log)',
      'Goal progress ratings',
      'Session ratings of goal progress are not included in this report.',
      'Outcome measures',
      'Moderately severe',
      'Goal 1: below 10',
      '1. 2026-10-05 — Started sertraline 50 mg',
      'Attendance',
      'No-show',
    ]) {
      expect(text, s).toContain(s);
    }
    // The score table, in order.
    expect(text).toMatch(
      /2026-09-03\n18\nModerately severe[\s\S]*2026-10-01\n14\nModerate[\s\S]*2026-11-20\n11/,
    );
    expect(text).toMatch(/Attended\nNo-show\nLate cancel\nCancelled\n26\n4\n0\n0/);
    for (let page = 1; page <= pages; page++)
      expect(text).toContain(`Confidential health information — page ${page} of ${pages}`);
    expect(text.match(/Marisol Quintero \(C-7KQ4M2\) — Progress report/g)).toHaveLength(pages - 1);
  });

  it('draws the trend chart as vector paths: every band shaded, the score line and its points', async () => {
    const raw = (await collect(renderProgressReportPdf(fixture, { compress: false }))).toString('latin1');
    // Each band is a filled rectangle in its own colour.
    for (let i = 0; i < PHQ9_BANDS.length; i++)
      expect(
        new RegExp(`re\\n/DeviceRGB cs\\n${operands(bandColor(i, PHQ9_BANDS.length))} scn\\nf\\n`).test(raw),
        `band ${i} shaded`,
      ).toBe(true);
    // The line joins the three scores: a moveTo and two lineTo, stroked in the line colour.
    const line = new RegExp(
      `[\\d.]+ [\\d.]+ m\\n[\\d.]+ [\\d.]+ l\\n[\\d.]+ [\\d.]+ l\\n1\\.4 w\\n/DeviceRGB CS\\n${operands('#1f4e79')} SCN\\n`,
    );
    expect(line.test(raw), 'score line stroked').toBe(true);
    // A dot on each score: a circle is four Bézier curves, filled in the line colour.
    const dots = raw.match(
      new RegExp(`(?:[^\\n]+ c\\n){4}h\\n/DeviceRGB cs\\n${operands('#1f4e79')} scn\\nf\\n`, 'g'),
    );
    expect(dots?.length).toBe(3);
  });

  it('says so when there is no plan, measure, rating or session', async () => {
    const empty: ProgressReportModel = {
      ...fixture,
      diagnoses: [],
      plan: null,
      goalRatings: [],
      measures: [],
      annotations: [],
      attendance: {
        counts: fixture.attendance.counts.map((c) => ({ ...c, count: 0 })),
        sessions: [],
        notListed: null,
      },
    };
    const text = pdfText(await collect(renderProgressReportPdf(empty)));
    for (const s of [
      'No active diagnoses on record.',
      'No signed treatment plan.',
      'No goal progress rated in this period.',
      'No outcome measures given in this period.',
      'No sessions in this period.',
    ])
      expect(text).toContain(s);
  });

  it('says how many sessions are not listed when the list was cut', async () => {
    const cut: ProgressReportModel = {
      ...fixture,
      attendance: { ...fixture.attendance, notListed: '12 more sessions in this period are not listed.' },
    };
    expect(pdfText(await collect(renderProgressReportPdf(cut)))).toContain(
      '12 more sessions in this period are not listed.',
    );
    expect(pdfText(await collect(renderProgressReportPdf(fixture)))).not.toContain('not listed');
  });

  it('prints goal ratings when they are recorded', async () => {
    const rated: ProgressReportModel = {
      ...fixture,
      goalRatings: [
        {
          goal: 'Goal 1: Reduce depressive symptoms to the mild range.',
          ratings: [{ date: '2026-10-01', rating: 'Some progress' }],
        },
      ],
    };
    const text = pdfText(await collect(renderProgressReportPdf(rated)));
    expect(text).toContain('Goal 1: Reduce depressive symptoms to the mild range.');
    expect(text).toMatch(/2026-10-01\nSome progress/);
  });
});
