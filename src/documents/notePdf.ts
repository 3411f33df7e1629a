import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/** One signature line as printed: the caller formats the time in the practice's time zone. */
export interface SignatureBlock {
  name: string;
  credentials: string | null;
  licenseNumber: string | null;
  /** Already formatted in the practice time zone, e.g. '2026-11-27 14:05 EST'. */
  signedAt: string;
  role: 'Signed' | 'Co-signed';
}

/** Everything printed on a signed note's PDF, already resolved and formatted; the renderer adds nothing. */
export interface NotePdfModel {
  practice: { name: string };
  client: { displayName: string; clientCode: string; dateOfBirth: string | null };
  note: {
    title: string;
    kindLabel: string;
    dateOfService: string;
    start: string | null;
    end: string | null;
    minutes: number | null;
    modality: string | null;
    location: string | null;
    placeOfService: string | null;
    participants: string[];
    cptCodes: string[];
    diagnoses: { code: string; title: string }[];
    lateEntry: { signedOn: string } | null;
  };
  sections: { title: string; lines: { label: string; text: string }[] }[];
  /** Progress on treatment-plan goals rated in the note, in plan order; part of what was signed. */
  goalProgress?: { statement: string; rating: string; comment: string; newStatus: string | null }[];
  signatures: SignatureBlock[];
  addenda: { reason: string; text: string; signature: SignatureBlock }[];
  contentHash: string | null;
  printed: { at: string; by: string };
}

export interface NotePdfOptions {
  /** Deflate page content (default true); tests turn it off to read the raw PDF. */
  compress?: boolean;
}

const MARGIN = 54;
const BODY_SIZE = 10;
const SMALL_SIZE = 8;
const MUTED = '#555555';
const RULE = '#999999';
const DEJAVU = '/usr/share/fonts/truetype/dejavu/';

export interface Fonts {
  regular: string;
  bold: string;
  unicode: boolean;
}

/** DejaVu when installed (full Unicode); otherwise the built-in Helvetica, which covers Windows-1252 only. */
export function pickFonts(): Fonts {
  const regular = `${DEJAVU}DejaVuSans.ttf`;
  const bold = `${DEJAVU}DejaVuSans-Bold.ttf`;
  if (existsSync(regular) && existsSync(bold)) return { regular, bold, unicode: true };
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', unicode: false };
}

/**
 * Helvetica draws a character outside Windows-1252 as some other character ("Ł" comes out as "V¶"); in a health
 * record a visible "?" is better than a silently wrong name.
 */
export function toWinAnsi(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\t/g, ' ')
    .replace(/[^\n\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/gu, '?');
}

/** A copy of the value with every string in it passed through f. */
export function mapStrings<T>(value: T, f: (text: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, f)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, f)])) as T;
  }
  return value;
}

/** "Electronically signed by Dana Reyes, LCSW, License 12345 on 2026-11-27 14:05 EST". */
export function signatureLine(signature: SignatureBlock): string {
  const verb = signature.role === 'Co-signed' ? 'co-signed' : 'signed';
  const who = [
    signature.name,
    signature.credentials,
    signature.licenseNumber === null ? null : `License ${signature.licenseNumber}`,
  ]
    .filter((part): part is string => part !== null && part !== '')
    .join(', ');
  return `Electronically ${verb} by ${who} on ${signature.signedAt}`;
}

/** The first 16 digits are enough to compare a printout with the record ("sha256:9f2c4e1ab37d55e0…"). */
function shortHash(hash: string): string {
  const digits = hash.slice(hash.indexOf(':') + 1);
  return digits.length > 16 ? `${hash.slice(0, hash.length - digits.length)}${digits.slice(0, 16)}…` : hash;
}

/** The session facts as label/value rows; facts that were not recorded are left out. */
function sessionFacts(note: NotePdfModel['note']): [string, string][] {
  const time = note.start === null ? null : note.end === null ? note.start : `${note.start}–${note.end}`;
  const facts: [string, string | null][] = [
    ['Date of service', note.dateOfService],
    ['Time', time],
    ['Minutes', note.minutes === null ? null : String(note.minutes)],
    ['Modality', note.modality],
    ['Location', note.location],
    ['Place of service', note.placeOfService],
    ['Participants', note.participants.join(', ')],
    ['CPT', note.cptCodes.join(', ')],
    ['Diagnoses', note.diagnoses.map((d) => `${d.code}  ${d.title}`).join('\n')],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== null && fact[1] !== '');
}

/**
 * Renders a signed note (never a psychotherapy note: the caller guarantees it) as a Letter-size PDF.
 * Returns the pdfkit document, already ended: pipe it or read it to the end.
 */
export function renderNotePdf(input: NotePdfModel, options: NotePdfOptions = {}): NodeJS.ReadableStream {
  const fonts = pickFonts();
  const model = fonts.unicode ? input : mapStrings(input, toWinAnsi);
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    displayTitle: true,
    // The title only: no client name in metadata, which viewers and indexers show without opening the file.
    info: { Title: model.note.title, Creator: 'Casebook' },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const width = doc.page.width - 2 * MARGIN;

  const rule = (color = RULE) => {
    doc
      .moveTo(MARGIN, doc.y)
      .lineTo(MARGIN + width, doc.y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke();
  };
  const labelled = (label: string, text: string) => {
    if (label === '') doc.font('regular').text(text, MARGIN, doc.y, { width });
    else
      doc
        .font('bold')
        .text(`${label}: `, MARGIN, doc.y, { width, continued: true })
        .font('regular')
        .text(text);
  };
  const signature = (block: SignatureBlock) => {
    doc
      .font('regular')
      .fontSize(BODY_SIZE)
      .fillColor('black')
      .text(signatureLine(block), MARGIN, doc.y, { width });
  };
  const heading = (text: string, size: number) => {
    // Keep a heading with at least a few lines of what follows it.
    if (doc.y + 4 * doc.currentLineHeight(true) > doc.page.maxY()) doc.addPage();
    doc.font('bold').fontSize(size).fillColor('black').text(text, MARGIN, doc.y, { width });
    doc.fontSize(BODY_SIZE).moveDown(0.25);
  };

  // Practice header and document title.
  doc.font('bold').fontSize(14).fillColor('black').text(model.practice.name, MARGIN, MARGIN, { width });
  doc.moveDown(0.3);
  rule('black');
  doc.moveDown(0.8);
  const { title, kindLabel } = model.note;
  const titleLine = kindLabel === '' || kindLabel === title ? title : `${title} — ${kindLabel}`;
  doc.font('bold').fontSize(16).text(titleLine, MARGIN, doc.y, { width });
  doc.moveDown(0.5);

  // Client block.
  doc.fontSize(BODY_SIZE);
  labelled('Client', model.client.displayName);
  labelled('Client code', model.client.clientCode);
  if (model.client.dateOfBirth !== null) labelled('Date of birth', model.client.dateOfBirth);
  doc.moveDown(0.8);

  // Session facts.
  const facts = sessionFacts(model.note);
  doc.fontSize(BODY_SIZE).table({
    position: { x: MARGIN, y: doc.y },
    maxWidth: width,
    columnStyles: [120, '*'],
    defaultStyle: { border: 0.5, borderColor: RULE, padding: [3, 5, 3, 5] },
    data: facts.map(([label, value]) => [
      { text: label, font: { src: 'bold' }, backgroundColor: '#f2f2f2' },
      { text: value, font: { src: 'regular' } },
    ]),
  });
  doc.x = MARGIN;
  doc.moveDown(0.8);

  if (model.note.lateEntry !== null) {
    doc
      .font('bold')
      .fontSize(BODY_SIZE)
      .fillColor('#8a4b00')
      .text(`Late entry — signed on ${model.note.lateEntry.signedOn}`, MARGIN, doc.y, { width });
    doc.fillColor('black').moveDown(0.8);
  }

  for (const section of model.sections) {
    heading(section.title, 12);
    for (const line of section.lines) {
      labelled(line.label, line.text);
      doc.moveDown(0.4);
    }
    doc.moveDown(0.6);
  }

  const goals = model.goalProgress ?? [];
  if (goals.length > 0) {
    heading('Progress toward treatment-plan goals', 12);
    goals.forEach((goal, index) => {
      if (doc.y + 3 * doc.currentLineHeight(true) > doc.page.maxY()) doc.addPage();
      doc
        .font('bold')
        .fontSize(BODY_SIZE)
        .fillColor('black')
        .text(`Goal ${index + 1}. ${goal.statement}`, MARGIN, doc.y, { width });
      doc.moveDown(0.2);
      labelled('Rating', goal.rating);
      if (goal.newStatus !== null) labelled('New status', goal.newStatus);
      if (goal.comment !== '') labelled('Comment', goal.comment);
      doc.moveDown(0.6);
    });
    doc.moveDown(0.4);
  }

  if (model.signatures.length > 0) {
    doc.moveDown(0.4);
    rule();
    doc.moveDown(0.6);
    for (const block of model.signatures) {
      signature(block);
      doc.moveDown(0.3);
    }
    doc.moveDown(0.6);
  }

  model.addenda.forEach((addendum, index) => {
    heading(`Addendum ${index + 1}`, 12);
    labelled('Reason', addendum.reason);
    doc.moveDown(0.4);
    labelled('', addendum.text);
    doc.moveDown(0.4);
    signature(addendum.signature);
    doc.moveDown(1);
  });

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
      const running = `${model.client.displayName} (${model.client.clientCode}) — ${titleLine} — ${model.note.dateOfService}`;
      doc.text(running, MARGIN, MARGIN - 24, { width, lineBreak: false, ellipsis: true });
    }
    const footerY = page.height - bottom + 16;
    doc.text(
      `Confidential health information — page ${i - range.start + 1} of ${range.count}`,
      MARGIN,
      footerY,
      { width, lineBreak: false },
    );
    if (model.contentHash !== null) {
      doc.text(`Content hash ${shortHash(model.contentHash)}`, MARGIN, footerY, {
        width,
        align: 'right',
        lineBreak: false,
      });
    }
    doc.text(`Printed ${model.printed.at} by ${model.printed.by}`, MARGIN, footerY + 11, {
      width,
      lineBreak: false,
    });
    page.margins.bottom = bottom;
  }

  doc.end();
  return doc;
}
