// The running header and footer of a Casebook report, stamped on every page once the page count is
// known (the document must be created with bufferPages: true). The same frame as the progress report.

export const FRAME_MUTED = '#555555';
const SMALL_SIZE = 8;

export interface PageFrameText {
  /** Printed at the top of every page after the first; null for none. */
  running: string | null;
  /** Printed after "page n of m" on the footer's first line, e.g. 'Confidential health information'. */
  footerLead: string;
  /** A second footer line, e.g. 'Generated 2026-11-27 14:05 EST by Dana Reyes'. */
  footerSecond: string;
}

export function stampPageFrame(doc: PDFKit.PDFDocument, margin: number, text: PageFrameText): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    const width = page.width - 2 * margin;
    const bottom = page.margins.bottom;
    // Writing inside the bottom margin would otherwise start a new page.
    page.margins.bottom = 0;
    doc.font('regular').fontSize(SMALL_SIZE).fillColor(FRAME_MUTED);
    if (i > range.start && text.running)
      doc.text(text.running, margin, margin - 24, { width, lineBreak: false, ellipsis: true });
    const footerY = page.height - bottom + 16;
    doc.text(`${text.footerLead} — page ${i - range.start + 1} of ${range.count}`, margin, footerY, {
      width,
      lineBreak: false,
    });
    doc.text(text.footerSecond, margin, footerY + 11, { width, lineBreak: false });
    page.margins.bottom = bottom;
  }
}
