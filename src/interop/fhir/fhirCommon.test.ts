import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { derivedId, label, narrative, PART2_LABELS, prune } from './fhirCommon.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('derivedId', () => {
  it('is a UUID, the same for the same parts and different for different parts', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.string(), (parts, extra) => {
        const id = derivedId(...parts);
        expect(id).toMatch(UUID);
        expect(derivedId(...parts)).toBe(id);
        expect(derivedId(...parts, `x${extra}`)).not.toBe(id);
      }),
    );
    // Parts are separated, so ('ab','c') and ('a','bc') differ.
    expect(derivedId('ab', 'c')).not.toBe(derivedId('a', 'bc'));
  });
});

describe('narrative', () => {
  it('escapes whatever a clinician typed, so no markup reaches the XHTML', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const div = narrative([{ h: s, p: [s], li: [s] }]).div;
        const inner = div.slice('<div xmlns="http://www.w3.org/1999/xhtml">'.length, -'</div>'.length);
        const text = inner.replace(/<\/?(p|b|ul|li)>/g, '');
        expect(text).not.toMatch(/[<>]/);
      }),
    );
    expect(narrative([{ p: ['<script>alert(1)</script> & "x"'] }]).div).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;',
    );
  });
});

describe('prune', () => {
  it('drops empty values but keeps zero and false', () => {
    expect(
      prune({ a: '', b: null, c: undefined, d: [], e: {}, f: [null, ''], g: 0, h: false, i: { j: [] } }),
    ).toEqual({ g: 0, h: false });
  });
});

describe('label', () => {
  it('adds each security label once', () => {
    const r = label(label({ resourceType: 'Basic', id: 'x' }, PART2_LABELS), PART2_LABELS);
    expect(r.meta?.security?.map((s) => s.code)).toEqual(['ETH', 'R']);
  });
});
