import { inflateSync } from 'node:zlib';

// A test reader for the PDFs pdfkit writes (not a general PDF parser): objects by number with
// their streams inflated, the page count, and the drawn text decoded through each font's ToUnicode map.

/** The objects of a pdfkit PDF by number, each stream inflated when it is deflated. */
export function pdfObjects(pdf: Buffer): Map<number, string> {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of raw.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
    let body = m[2] ?? '';
    const s = /^([\s\S]*?)stream\n([\s\S]*)\nendstream$/.exec(body);
    if (s && /\/FlateDecode/.test(s[1] ?? '')) {
      const inflated = inflateSync(Buffer.from(s[2] ?? '', 'latin1')).toString('latin1');
      body = `${s[1] ?? ''}stream\n${inflated}\nendstream`;
    }
    objects.set(Number(m[1]), body);
  }
  return objects;
}

export function pdfPageCount(pdf: Buffer): number {
  return [...pdfObjects(pdf).values()].filter((o) => /\/Type \/Page\n/.test(o)).length;
}

/**
 * The text drawn with embedded fonts, one line per TJ, in the order it was drawn. Embedded TrueType text
 * is written as glyph ids, so each font's ToUnicode map turns them back into characters.
 */
export function pdfText(pdf: Buffer): string {
  const objects = pdfObjects(pdf);
  const all = [...objects.values()].join('\n');
  const glyphsOf = new Map<string, string[]>();
  for (const [, name, ref] of all.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(Number(ref)) ?? '');
    if (name === undefined || toUnicode === null) continue;
    const glyphs: string[] = [];
    const cmap = objects.get(Number(toUnicode[1])) ?? '';
    for (const [, start, , targets] of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/g)) {
      [...(targets ?? '').matchAll(/<([0-9a-f ]+)>/g)].forEach(([, units], k) => {
        const chars = (units ?? '').split(' ').map((u) => String.fromCharCode(parseInt(u, 16)));
        glyphs[parseInt(start ?? '0', 16) + k] = chars.join('');
      });
    }
    glyphsOf.set(name, glyphs);
  }
  const lines: string[] = [];
  let glyphs: string[] = [];
  for (const [, font, array] of all.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
    if (font !== undefined) glyphs = glyphsOf.get(font) ?? [];
    else {
      const hex = [...(array ?? '').matchAll(/<([0-9a-f]*)>/g)].map(([, h]) => h ?? '').join('');
      lines.push((hex.match(/.{4}/g) ?? []).map((id) => glyphs[parseInt(id, 16)] ?? '?').join(''));
    }
  }
  return lines.join('\n');
}
