import type { ChartExport } from '../../services/chartExport/chartExportTypes.js';
import {
  clientName,
  includedCategories,
  inScope,
  periodLabel,
  purposeLabel,
  recipientLabel,
  when,
} from './chartFormat.js';
import { BODY_SIZE, MARGIN, type ChartWriter } from './chartWriter.js';

export const CHART_TITLE = 'Clinical record';

/** The first page: whose record, for whom and why, what is in it and what is not. */
export function writeCover(w: ChartWriter, chart: ChartExport): void {
  const doc = w.doc;
  doc
    .font('bold')
    .fontSize(14)
    .fillColor('black')
    .text(chart.practice.name, MARGIN, MARGIN, { width: w.width });
  doc.moveDown(0.3);
  w.rule('black');
  doc.moveDown(1.2);
  doc.font('bold').fontSize(22).text(CHART_TITLE, MARGIN, doc.y, { width: w.width });
  doc.moveDown(0.6);
  doc.fontSize(BODY_SIZE);
  const by = chart.exportedBy.credentials
    ? `${chart.exportedBy.name}, ${chart.exportedBy.credentials}`
    : chart.exportedBy.name;
  const facts: [string, string][] = [
    ['Client', clientName(chart)],
    ['Date of birth', chart.client.dateOfBirth],
    ['Record number', chart.client.clientCode],
    ['Record period', periodLabel(chart)],
    ['Prepared for', recipientLabel(chart)],
    ['Purpose', purposeLabel(chart)],
    ['Prepared on', when(chart, chart.exportedAt)],
    ['Prepared by', by],
  ];
  for (const [label, value] of facts) {
    w.fact(label, value);
    doc.moveDown(0.25);
  }
  doc.moveDown(0.8);

  w.heading('What this record contains', 12, 4);
  for (const category of includedCategories(chart)) w.body(`•  ${category}`, 8);
  doc.moveDown(0.5);
  w.body(
    inScope(chart, 'psychotherapy_notes')
      ? 'Psychotherapy notes are included, under an authorization specific to psychotherapy notes.'
      : 'Psychotherapy notes (a clinician’s separate process notes, 45 CFR 164.501) are not included.',
  );
  doc.moveDown(0.3);
  w.body(
    'Only signed documentation is included: drafts are not part of the record. Each signed note and plan ' +
      'carries the content hash taken when it was signed, so this copy can be compared with the record.',
  );
  doc.moveDown(1);

  if (chart.part2Notice !== null) {
    w.heading('Notice to the recipient: 42 CFR Part 2', 12, 4);
    const pad = 8;
    const height = doc
      .font('bold')
      .fontSize(BODY_SIZE)
      .heightOfString(chart.part2Notice, { width: w.width - 2 * pad });
    w.ensureRoom(height + 2 * pad);
    const y = doc.y;
    doc
      .rect(MARGIN, y, w.width, height + 2 * pad)
      .lineWidth(1)
      .strokeColor('black')
      .stroke();
    doc.text(chart.part2Notice, MARGIN + pad, y + pad, { width: w.width - 2 * pad });
    doc.x = MARGIN;
    doc.y = y + height + 2 * pad;
    doc.moveDown(1);
  }

  w.muted(
    'This record contains confidential health information protected by federal and state law. If you are not ' +
      'the intended recipient, do not read, copy or share it: tell the sender and destroy it.',
  );
}

/**
 * The contents: every section with its page, each line a link. The first pass does not know the
 * pages yet and prints none; the layout is the same either way.
 */
export function writeContents(
  w: ChartWriter,
  entries: { id: string; title: string }[],
  pages: ReadonlyMap<string, number> | null,
): void {
  w.newPage();
  const doc = w.doc;
  w.heading('Contents', 15, 2);
  w.rule('black');
  doc.moveDown(0.8);
  for (const entry of entries) {
    const y = doc.y;
    const page = pages?.get(entry.id);
    const number = page === undefined ? '' : String(page);
    doc.font('regular').fontSize(11).fillColor('black');
    doc.text(entry.title, MARGIN, y, { width: w.width - 40, lineBreak: false, goTo: entry.id });
    doc.text(number, MARGIN + w.width - 40, y, {
      width: 40,
      align: 'right',
      lineBreak: false,
      goTo: entry.id,
    });
    const titleEnd = MARGIN + doc.widthOfString(entry.title) + 6;
    const numberStart = MARGIN + w.width - doc.widthOfString(number) - 6;
    if (numberStart > titleEnd)
      doc
        .moveTo(titleEnd, y + 9)
        .lineTo(numberStart, y + 9)
        .dash(1, { space: 2 })
        .lineWidth(0.5)
        .strokeColor('#999999')
        .stroke()
        .undash();
    doc.x = MARGIN;
    doc.y = y + doc.currentLineHeight(true) + 6;
  }
}
