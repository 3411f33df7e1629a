import PDFDocument from 'pdfkit';
import { mapStrings, pickFonts, toWinAnsi } from './notePdf.js';
import { drawTrendChart, type ChartBand } from './pdfCharts.js';
import { drawTable } from './pdfTable.js';

/** One goal of the signed plan as printed; every value already formatted. */
export interface ReportGoal {
  number: number;
  statement: string;
  status: string;
  targetDate: string | null;
  measuredBy: string;
  baseline: string;
  target: string;
  /** Numbers of the problems it addresses ("1, 2"). */
  problems: string;
  /** 'PHQ-9 below 10' for a goal measured by a questionnaire. */
  measure: string | null;
  /** The progress computed from the scores ("Baseline 18, latest 9 on 2026-11-02: target met"). */
  progress: string | null;
  objectives: {
    number: string;
    statement: string;
    status: string;
    targetDate: string | null;
    measure: string;
  }[];
}

export interface ReportMeasure {
  name: string;
  maxTotal: number;
  bands: ChartBand[];
  bandNote: string;
  points: { date: string; total: number; band: string }[];
  targets: { below: number; label: string }[];
}

/** Everything printed on a progress report, resolved and formatted by the caller; the renderer adds nothing. */
export interface ProgressReportModel {
  practice: { name: string };
  client: { displayName: string; clientCode: string; dateOfBirth: string | null };
  clinician: string | null;
  period: { from: string; to: string };
  generated: { at: string; by: string };
  diagnoses: { code: string; description: string; rank: string; onsetDate: string | null }[];
  plan: {
    versionNo: number;
    signed: string;
    reviewDueDate: string | null;
    problems: { number: number; statement: string; diagnoses: string }[];
    goals: ReportGoal[];
  } | null;
  /** Goal progress rated in sessions; null when ratings are not recorded by this installation. */
  goalRatings: { goal: string; ratings: { date: string; rating: string }[] }[] | null;
  measures: ReportMeasure[];
  /** Numbered as they are marked on the charts. */
  annotations: { number: number; date: string; text: string }[];
  attendance: {
    counts: { label: string; count: number }[];
    sessions: {
      date: string;
      time: string;
      service: string;
      clinician: string;
      attendance: string;
      minutes: number | null;
    }[];
    /** Said under the list when it was cut at the session limit; null when every session is listed. */
    notListed: string | null;
  };
}

export interface ProgressReportPdfOptions {
  /** Deflate page content (default true); tests turn it off to read the raw PDF. */
  compress?: boolean;
}

const TITLE = 'Progress report';
const MARGIN = 54;
const BODY_SIZE = 10;
const SMALL_SIZE = 8;
const MUTED = '#555555';
const RULE = '#999999';
const CHART_HEIGHT = 150;

/**
 * Renders a client's progress report as a Letter-size PDF: header, diagnoses, the signed plan with goal
 * status and computed progress, goal ratings, each measure's trend chart and scores, annotations and
 * attendance. Returns the pdfkit document, already ended: pipe it or read it to the end.
 */
export function renderProgressReportPdf(
  input: ProgressReportModel,
  options: ProgressReportPdfOptions = {},
): NodeJS.ReadableStream {
  const fonts = pickFonts();
  const model = fonts.unicode ? input : mapStrings(input, toWinAnsi);
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    displayTitle: true,
    // The title only: no client name in metadata, which viewers and indexers show without opening the file.
    info: { Title: TITLE, Creator: 'Casebook' },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const width = doc.page.width - 2 * MARGIN;
  const font = { regular: 'regular', bold: 'bold' };

  const ensureRoom = (height: number) => {
    if (doc.y + height > doc.page.maxY()) doc.addPage();
  };
  const rule = (color = RULE) => {
    doc
      .moveTo(MARGIN, doc.y)
      .lineTo(MARGIN + width, doc.y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke();
  };
  const body = (text: string, color = 'black') =>
    doc.font('regular').fontSize(BODY_SIZE).fillColor(color).text(text, MARGIN, doc.y, { width });
  const muted = (text: string) => {
    doc.font('regular').fontSize(SMALL_SIZE).fillColor(MUTED).text(text, MARGIN, doc.y, { width });
    doc.fillColor('black').fontSize(BODY_SIZE);
  };
  const labelled = (label: string, text: string, indent = 0) =>
    doc
      .font('bold')
      .fontSize(BODY_SIZE)
      .fillColor('black')
      .text(`${label}: `, MARGIN + indent, doc.y, { width: width - indent, continued: true })
      .font('regular')
      .text(text);
  const heading = (text: string, size: number, keepWith = 4) => {
    // Keep a heading with at least a few lines of what follows it.
    ensureRoom((keepWith + 1) * doc.font('bold').fontSize(size).currentLineHeight(true));
    doc.font('bold').fontSize(size).fillColor('black').text(text, MARGIN, doc.y, { width });
    doc.fontSize(BODY_SIZE).moveDown(0.3);
  };
  const table = (columns: (number | '*')[], header: string[], rows: string[][]) => {
    drawTable(doc, { columns, header, rows }, MARGIN, width, font, BODY_SIZE);
    doc.moveDown(0.6);
  };

  // Practice header, title and who the report is about.
  doc.font('bold').fontSize(14).fillColor('black').text(model.practice.name, MARGIN, MARGIN, { width });
  doc.moveDown(0.3);
  rule('black');
  doc.moveDown(0.8);
  doc.font('bold').fontSize(16).text(TITLE, MARGIN, doc.y, { width });
  doc.moveDown(0.5);
  labelled('Client', model.client.displayName);
  labelled('Client code', model.client.clientCode);
  if (model.client.dateOfBirth !== null) labelled('Date of birth', model.client.dateOfBirth);
  labelled('Clinician', model.clinician ?? 'None assigned');
  labelled('Period', `${model.period.from} to ${model.period.to}`);
  labelled('Generated', `${model.generated.at} by ${model.generated.by}`);
  doc.moveDown(1);

  heading('Diagnoses', 13);
  if (model.diagnoses.length === 0) body('No active diagnoses on record.');
  else
    table(
      [70, '*', 70, 80],
      ['Code', 'Diagnosis', 'Rank', 'Onset'],
      model.diagnoses.map((d) => [d.code, d.description, d.rank, d.onsetDate ?? '—']),
    );
  doc.moveDown(0.6);

  heading('Treatment plan', 13);
  const plan = model.plan;
  if (plan === null) body('No signed treatment plan.');
  else {
    body(
      `Version ${plan.versionNo}, ${plan.signed}.` +
        (plan.reviewDueDate === null ? '' : ` Review due ${plan.reviewDueDate}.`),
    );
    doc.moveDown(0.5);
    heading('Problems', 11, 2);
    for (const p of plan.problems) {
      body(`${p.number}. ${p.statement}`);
      if (p.diagnoses !== '') muted(`Diagnoses: ${p.diagnoses}`);
      doc.moveDown(0.2);
    }
    doc.moveDown(0.4);
    for (const g of plan.goals) {
      heading(`Goal ${g.number} — ${g.status}`, 11, 6);
      body(g.statement);
      doc.moveDown(0.2);
      const facts: [string, string | null][] = [
        ['Problems', g.problems],
        ['Target date', g.targetDate],
        ['Measured by', g.measuredBy],
        ['Baseline', g.baseline],
        ['Target', g.target],
        ['Measure', g.measure],
        ['Progress', g.progress],
      ];
      for (const [label, value] of facts) if (value !== null && value !== '') labelled(label, value, 12);
      for (const o of g.objectives) {
        doc.moveDown(0.15);
        const when = o.targetDate === null ? '' : `, by ${o.targetDate}`;
        const how = o.measure === '' ? '' : ` (${o.measure})`;
        doc
          .font('regular')
          .fontSize(BODY_SIZE)
          .text(`Objective ${o.number}: ${o.statement} — ${o.status}${when}${how}`, MARGIN + 12, doc.y, {
            width: width - 12,
          });
      }
      doc.moveDown(0.7);
    }
  }
  doc.moveDown(0.4);

  heading('Goal progress ratings', 13);
  if (model.goalRatings === null) muted('Session ratings of goal progress are not included in this report.');
  else if (model.goalRatings.every((g) => g.ratings.length === 0))
    body('No goal progress rated in this period.');
  else
    for (const g of model.goalRatings) {
      if (g.ratings.length === 0) continue;
      heading(g.goal, 10, 3);
      table(
        [90, '*'],
        ['Date', 'Rating'],
        g.ratings.map((r) => [r.date, r.rating]),
      );
    }
  doc.moveDown(0.4);

  // Keep the section heading with the first chart.
  if (model.measures.length > 0) ensureRoom(CHART_HEIGHT + 100);
  heading('Outcome measures', 13);
  if (model.measures.length === 0) body('No outcome measures given in this period.');
  for (const m of model.measures) {
    ensureRoom(CHART_HEIGHT + 60);
    heading(m.name, 11, 1);
    drawTrendChart(
      doc,
      {
        from: model.period.from,
        to: model.period.to,
        maxTotal: m.maxTotal,
        bands: m.bands,
        points: m.points,
        markers: model.annotations.map((a) => ({ date: a.date, label: String(a.number) })),
        targets: m.targets,
      },
      { x: MARGIN, y: doc.y, width, height: CHART_HEIGHT },
      font,
    );
    doc.moveDown(0.6);
    table(
      [90, 60, '*'],
      ['Date', 'Total', 'Severity'],
      m.points.map((p) => [p.date, String(p.total), p.band]),
    );
    muted(m.bandNote);
    doc.moveDown(0.8);
  }
  if (model.annotations.length > 0) {
    heading('Annotations', 11, 2);
    for (const a of model.annotations) {
      body(`${a.number}. ${a.date} — ${a.text}`);
      doc.moveDown(0.15);
    }
  }
  doc.moveDown(0.6);

  heading('Attendance', 13);
  const counts = model.attendance.counts;
  table(
    counts.map(() => '*' as const),
    counts.map((c) => c.label),
    [counts.map((c) => String(c.count))],
  );
  if (model.attendance.sessions.length === 0) body('No sessions in this period.');
  else
    table(
      [72, 40, '*', 104, 100, 60],
      ['Date', 'Time', 'Service', 'Clinician', 'Attendance', 'Minutes'],
      model.attendance.sessions.map((s) => [
        s.date,
        s.time,
        s.service,
        s.clinician,
        s.attendance,
        s.minutes === null ? '—' : String(s.minutes),
      ]),
    );
  if (model.attendance.notListed) body(model.attendance.notListed);

  // Running header (pages after the first) and footer on every page, now that the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    const bottom = page.margins.bottom;
    // Writing inside the bottom margin would otherwise start a new page.
    page.margins.bottom = 0;
    doc.font('regular').fontSize(SMALL_SIZE).fillColor(MUTED);
    if (i > range.start) {
      const running = `${model.client.displayName} (${model.client.clientCode}) — ${TITLE} — ${model.period.from} to ${model.period.to}`;
      doc.text(running, MARGIN, MARGIN - 24, { width, lineBreak: false, ellipsis: true });
    }
    const footerY = page.height - bottom + 16;
    doc.text(
      `Confidential health information — page ${i - range.start + 1} of ${range.count}`,
      MARGIN,
      footerY,
      { width, lineBreak: false },
    );
    doc.text(`Generated ${model.generated.at} by ${model.generated.by}`, MARGIN, footerY + 11, {
      width,
      lineBreak: false,
    });
    page.margins.bottom = bottom;
  }

  doc.end();
  return doc;
}
