import PDFDocument from 'pdfkit';
import { mapStrings, pickFonts, toWinAnsi } from './notePdf.js';
import { drawTable } from './pdfTable.js';
import { stampPageFrame, FRAME_MUTED } from './pdfPageFrame.js';

/** One accountable disclosure as printed (45 CFR 164.528(b)(2)); every value already formatted. */
export interface AccountingEntry {
  date: string;
  recipient: string;
  recipientContact: string;
  description: string;
  purpose: string;
  basis: string;
}

export interface AccountingModel {
  practice: { name: string };
  client: { displayName: string; clientCode: string; dateOfBirth: string };
  period: { from: string; to: string };
  entries: AccountingEntry[];
  generated: { at: string; by: string };
}

const TITLE = 'Accounting of disclosures';
const MARGIN = 54;

/** The accounting of disclosures for one client and period as a Letter-size PDF, already ended. */
export function renderAccountingPdf(
  input: AccountingModel,
  options: { compress?: boolean } = {},
): NodeJS.ReadableStream {
  const fonts = pickFonts();
  const model = fonts.unicode ? input : mapStrings(input, toWinAnsi);
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: 'portrait',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    displayTitle: true,
    info: { Title: TITLE, Creator: 'Casebook' },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const width = doc.page.width - 2 * MARGIN;

  doc.font('bold').fontSize(16).text(TITLE, MARGIN, MARGIN, { width });
  doc.font('regular').fontSize(8.5).fillColor(FRAME_MUTED).text(model.practice.name, { width });
  doc.fillColor('black').moveDown(0.8).fontSize(10);
  const field = (label: string, value: string) => {
    doc.font('bold').text(`${label}: `, MARGIN, doc.y, { width, continued: true });
    doc.font('regular').text(value);
  };
  field('Client', model.client.displayName);
  field('Date of birth', model.client.dateOfBirth);
  field('Record number', model.client.clientCode);
  field('Period', `${model.period.from} to ${model.period.to}`);
  doc.moveDown(0.5);
  doc
    .font('regular')
    .fontSize(8.5)
    .fillColor(FRAME_MUTED)
    .text(
      'This accounting lists disclosures of your health information made in the period above, as 45 CFR 164.528 requires. ' +
        'It does not list disclosures for treatment, payment or health care operations, disclosures to you or at your request, ' +
        'or disclosures you authorized in writing.',
      MARGIN,
      doc.y,
      { width },
    );
  doc.fillColor('black').moveDown(0.8);

  if (model.entries.length === 0) {
    doc
      .font('regular')
      .fontSize(10)
      .text('No disclosures that must be accounted for were made in this period.', MARGIN, doc.y, {
        width,
      });
  } else {
    drawTable(
      doc,
      {
        columns: [62, 120, '*', 95, 80],
        header: ['Date', 'Recipient', 'What was disclosed', 'Purpose', 'Basis'],
        rows: model.entries.map((e) => [
          e.date,
          e.recipientContact ? `${e.recipient}\n${e.recipientContact}` : e.recipient,
          e.description,
          e.purpose,
          e.basis,
        ]),
      },
      MARGIN,
      width,
      { regular: 'regular', bold: 'bold' },
      8.5,
    );
    doc.moveDown(0.5);
    doc
      .font('regular')
      .fontSize(9)
      .text(`${model.entries.length} disclosure(s) listed.`, MARGIN, doc.y, { width });
  }

  stampPageFrame(doc, MARGIN, {
    running: `${model.client.displayName} (${model.client.clientCode}) — ${TITLE} — ${model.period.from} to ${model.period.to}`,
    footerLead: 'Confidential health information',
    footerSecond: `Generated ${model.generated.at} by ${model.generated.by}`,
  });
  doc.end();
  return doc;
}
