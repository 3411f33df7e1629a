// A plain ruled table for pdfkit. pdfkit's own doc.table() measures every cell many times over and, with
// an embedded TrueType font, takes seconds for a few dozen rows; this draws each cell once.

export interface SimpleTable {
  /** Column widths in points; '*' columns share what is left. */
  columns: (number | '*')[];
  header: string[];
  rows: string[][];
}

const PAD_X = 5;
const PAD_Y = 3;
const BORDER = '#999999';
const HEADER_FILL = '#f2f2f2';

/** Widths of the columns across `width`: fixed ones as given, the '*' ones sharing the rest equally. */
export function columnWidths(columns: (number | '*')[], width: number): number[] {
  const fixed = columns.reduce<number>((sum, c) => sum + (c === '*' ? 0 : c), 0);
  const stars = columns.filter((c) => c === '*').length;
  const share = stars === 0 ? 0 : Math.max(20, (width - fixed) / stars);
  return columns.map((c) => (c === '*' ? share : c));
}

/**
 * Draws the table at the cursor from `x`, starting a new page when a row does not fit and repeating the
 * header there. Leaves the cursor below the table.
 */
export function drawTable(
  doc: PDFKit.PDFDocument,
  table: SimpleTable,
  x: number,
  width: number,
  fonts: { regular: string; bold: string },
  size: number,
): void {
  const widths = columnWidths(table.columns, width);
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return (
      Math.max(
        ...cells.map((text, i) => doc.heightOfString(text || ' ', { width: (widths[i] ?? 0) - 2 * PAD_X })),
      ) +
      2 * PAD_Y
    );
  };
  const drawRow = (cells: string[], font: string, fill: string | null, height: number) => {
    const y = doc.y;
    let cx = x;
    widths.forEach((w, i) => {
      if (fill !== null) doc.rect(cx, y, w, height).fill(fill);
      doc.rect(cx, y, w, height).lineWidth(0.5).strokeColor(BORDER).stroke();
      doc
        .font(font)
        .fontSize(size)
        .fillColor('black')
        .text(cells[i] ?? '', cx + PAD_X, y + PAD_Y, { width: w - 2 * PAD_X });
      cx += w;
    });
    doc.x = x;
    doc.y = y + height;
  };
  const headerHeight = heightOf(table.header, fonts.bold);
  const header = () => drawRow(table.header, fonts.bold, HEADER_FILL, headerHeight);
  const firstRow = table.rows[0];
  // Keep the header with the first row.
  const first = firstRow ? heightOf(firstRow, fonts.regular) : 0;
  if (doc.y + headerHeight + first > doc.page.maxY()) doc.addPage();
  header();
  for (const row of table.rows) {
    const h = heightOf(row, fonts.regular);
    if (doc.y + h > doc.page.maxY()) {
      doc.addPage();
      header();
    }
    drawRow(row, fonts.regular, null, h);
  }
}
