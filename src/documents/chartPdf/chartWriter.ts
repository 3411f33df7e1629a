import PDFDocument from 'pdfkit';
import { drawTable } from '../pdfTable.js';
import type { Fonts } from '../notePdf.js';

// The page machinery of the PDF chart: Letter pages, a running header and a footer drawn as each
// page opens (the document is never buffered, so a long chart streams out page by page), headings
// kept with what follows them, and the section starts the contents list and bookmarks point to.

export const MARGIN = 54;
export const BODY_SIZE = 10;
export const SMALL_SIZE = 8;
const NOTICE_SIZE = 6.5;
const MUTED = '#555555';
const RULE = '#999999';
/** The share of a page that must be free for a section to start on it rather than on the next. */
const SECTION_ON_SAME_PAGE = 0.45;

/** What is printed around every page's body. */
export interface PageFrame {
  /** The running header on every page after the cover. */
  header: string;
  /** The footer's first line, before "Page n of m". */
  confidentiality: string;
  /** The footer's second line. */
  prepared: string;
  /** The 42 CFR Part 2 redisclosure notice, repeated in every footer of a Part 2 record. */
  part2Notice: string | null;
  /** The page count when known (the second pass); null while the first pass measures. */
  totalPages: number | null;
}

export interface SectionStart {
  id: string;
  title: string;
  page: number;
}

export interface ChartWriterOptions {
  fonts: Fonts;
  frame: PageFrame;
  title: string;
  compress: boolean;
}

/** Words whose glyph layout pdfkit keeps per font; past this the cache is emptied (see trimFontCaches). */
const LAYOUT_CACHE_WORDS = 1000;

/** pdfkit's text state, which a footer drawn in the middle of a page-breaking paragraph must put back. */
interface TextState {
  _font: unknown;
  _fontSize: number;
  _fillColor?: unknown[];
}

export class ChartWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly width: number;
  readonly font = { regular: 'regular', bold: 'bold' };
  /** 1-based number of the page being written. */
  page = 0;
  readonly sections: SectionStart[] = [];
  private readonly frame: PageFrame;
  private readonly noticeHeight: number;
  private currentSection: PDFKit.PDFOutline | null = null;
  /** Printed at the top of a page that carries on a note or table begun on the page before. */
  continuation: string | null = null;

  constructor(options: ChartWriterOptions) {
    this.frame = options.frame;
    // Measured before the document exists so the bottom margin can make room for the notice.
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.registerFont('regular', options.fonts.regular);
    const width = 612 - 2 * MARGIN;
    this.noticeHeight =
      this.frame.part2Notice === null
        ? 0
        : probe.font('regular').fontSize(NOTICE_SIZE).heightOfString(this.frame.part2Notice, { width }) + 4;
    this.doc = new PDFDocument({
      size: 'LETTER',
      margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + this.noticeHeight },
      autoFirstPage: false,
      compress: options.compress,
      displayTitle: true,
      // The title only: no client name in metadata, which viewers and indexers show without opening the file.
      info: { Title: options.title, Creator: 'Casebook' },
    });
    this.doc.registerFont('regular', options.fonts.regular);
    this.doc.registerFont('bold', options.fonts.bold);
    this.width = width;
    this.doc.on('pageAdded', () => {
      this.page += 1;
      this.drawFrame();
    });
    this.doc.addPage();
  }

  /** Header and footer of the page just opened, leaving the cursor and text state as they were. */
  private drawFrame(): void {
    const doc = this.doc;
    const state = doc as unknown as TextState;
    const saved = { x: doc.x, y: doc.y, font: state._font, size: state._fontSize, fill: state._fillColor };
    const page = doc.page;
    const bottom = page.margins.bottom;
    // Writing inside the bottom margin would otherwise start a new page.
    page.margins.bottom = 0;
    doc.font('regular').fontSize(SMALL_SIZE).fillColor(MUTED);
    const y = page.height - bottom + 12 + this.noticeHeight;
    // The page number first, so a reader of the text finds each page's own lines after it.
    const total = this.frame.totalPages === null ? '?' : String(this.frame.totalPages);
    doc.text(`Page ${this.page} of ${total}`, MARGIN, y, {
      width: this.width,
      align: 'right',
      lineBreak: false,
    });
    if (this.page > 1)
      doc.text(this.frame.header, MARGIN, MARGIN - 24, {
        width: this.width,
        lineBreak: false,
        ellipsis: true,
      });
    if (this.frame.part2Notice !== null) {
      doc.fontSize(NOTICE_SIZE).fillColor('black');
      doc.text(this.frame.part2Notice, MARGIN, y - this.noticeHeight, { width: this.width });
      doc.fontSize(SMALL_SIZE).fillColor(MUTED);
    }
    const labelWidth = doc.widthOfString(`Page ${this.page} of ${this.page}9999`);
    doc.text(this.frame.confidentiality, MARGIN, y, {
      width: this.width - labelWidth,
      lineBreak: false,
      ellipsis: true,
    });
    doc.text(this.frame.prepared, MARGIN, y + 11, { width: this.width, lineBreak: false, ellipsis: true });
    page.margins.bottom = bottom;
    if (this.continuation !== null) {
      doc
        .font('bold')
        .fontSize(SMALL_SIZE + 1)
        .fillColor(MUTED);
      doc.text(this.continuation, MARGIN, saved.y, { width: this.width, lineBreak: false, ellipsis: true });
      saved.y += doc.currentLineHeight(true) + 6;
    }
    state._font = saved.font;
    state._fontSize = saved.size;
    if (Array.isArray(saved.fill)) doc.fillColor(...(saved.fill as [PDFKit.Mixins.ColorValue, number]));
    doc.x = saved.x;
    doc.y = saved.y;
  }

  /** The height `text` takes as body text (with a label line when `labelled`). */
  textHeight(text: string, labelled = true): number {
    const height = this.doc
      .font('regular')
      .fontSize(BODY_SIZE)
      .heightOfString(text || ' ', { width: this.width });
    return labelled ? height + this.lineHeight(BODY_SIZE, true) : height;
  }

  /**
   * pdfkit caches the glyph layout of every distinct word for the life of the document, which
   * for a chart of hundreds of notes grows past a hundred megabytes. Emptying it now and then
   * keeps most of the speed it buys and memory flat.
   */
  trimFontCaches(): void {
    const fonts = (this.doc as unknown as { _fontFamilies: Record<string, { layoutCache?: object }> })
      ._fontFamilies;
    for (const font of Object.values(fonts)) {
      if (font.layoutCache && Object.keys(font.layoutCache).length > LAYOUT_CACHE_WORDS)
        font.layoutCache = Object.create(null) as object;
    }
  }

  /** A new page unless `height` more fits on this one. */
  ensureRoom(height: number): void {
    if (this.doc.y + height > this.doc.page.maxY()) this.doc.addPage();
  }

  newPage(): void {
    this.doc.addPage();
  }

  lineHeight(size = BODY_SIZE, bold = false): number {
    return this.doc
      .font(bold ? 'bold' : 'regular')
      .fontSize(size)
      .currentLineHeight(true);
  }

  /**
   * A section of the contents: starts on a new page, is bookmarked and can be linked to. Pages
   * are numbered by the first pass, so the contents printed in the second pass are right.
   */
  section(id: string, title: string): void {
    const doc = this.doc;
    this.continuation = null;
    // A section starts on a fresh page unless most of this one is still free.
    const body = doc.page.maxY() - doc.page.margins.top;
    if (doc.page.maxY() - doc.y < SECTION_ON_SAME_PAGE * body) this.newPage();
    else doc.moveDown(1.5);
    this.sections.push({ id, title, page: this.page });
    doc.addNamedDestination(id, 'XYZ', null, doc.y, null);
    this.currentSection = this.doc.outline.addItem(title);
    this.heading(title, 15, 2);
    this.rule('black');
    this.doc.moveDown(0.6);
  }

  /** A bookmark under the current section (a note, a measure) at the cursor's page. */
  bookmark(title: string): void {
    this.currentSection?.addItem(title);
  }

  /** A heading kept with at least `keepWith` lines of what follows it. */
  heading(text: string, size: number, keepWith = 3, color = 'black'): void {
    const doc = this.doc;
    const height = doc.font('bold').fontSize(size).heightOfString(text, { width: this.width });
    this.ensureRoom(height + keepWith * this.lineHeight());
    doc.font('bold').fontSize(size).fillColor(color).text(text, MARGIN, doc.y, { width: this.width });
    doc.fillColor('black').fontSize(BODY_SIZE).moveDown(0.3);
  }

  body(text: string, indent = 0): void {
    this.doc
      .font('regular')
      .fontSize(BODY_SIZE)
      .fillColor('black')
      .text(text, MARGIN + indent, this.doc.y, { width: this.width - indent });
  }

  muted(text: string, indent = 0): void {
    this.doc
      .font('regular')
      .fontSize(SMALL_SIZE)
      .fillColor(MUTED)
      .text(text, MARGIN + indent, this.doc.y, { width: this.width - indent });
    this.doc.fillColor('black').fontSize(BODY_SIZE);
  }

  /** "Label: text" on one run of lines, for short facts. */
  fact(label: string, text: string, indent = 0): void {
    this.ensureRoom(this.lineHeight());
    this.doc
      .font('bold')
      .fontSize(BODY_SIZE)
      .fillColor('black')
      .text(`${label}: `, MARGIN + indent, this.doc.y, { width: this.width - indent, continued: true })
      .font('regular')
      .text(text);
  }

  /**
   * A labelled field of any length: the label on its own line, kept with the first lines of the
   * text, which then wraps and runs on across pages as it needs.
   */
  field(label: string, text: string, indent = 0): void {
    const doc = this.doc;
    this.ensureRoom(this.lineHeight(BODY_SIZE, true) + 2 * this.lineHeight());
    doc
      .font('bold')
      .fontSize(BODY_SIZE)
      .fillColor('black')
      .text(label, MARGIN + indent, doc.y, { width: this.width - indent });
    this.body(text === '' ? '—' : text, indent);
    doc.moveDown(0.4);
  }

  rule(color = RULE): void {
    const y = this.doc.y;
    this.doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + this.width, y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke();
  }

  table(columns: (number | '*')[], header: string[], rows: string[][], size = BODY_SIZE - 1): void {
    drawTable(this.doc, { columns, header, rows }, MARGIN, this.width, this.font, size);
    this.doc.x = MARGIN;
    this.doc.moveDown(0.6);
  }

  gap(lines = 0.6): void {
    this.doc.moveDown(lines);
  }
}
