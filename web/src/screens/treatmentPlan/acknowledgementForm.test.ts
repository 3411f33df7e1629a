import { describe, expect, it } from 'vitest';
import { acknowledgementInput, pngDataUrl } from './acknowledgementForm.js';

const TODAY = '2026-03-10';

describe('acknowledgementInput', () => {
  it('sends the typed name trimmed, and the drawing without its data: prefix', () => {
    const r = acknowledgementInput(
      {
        typedName: '  Jordan Lee ',
        acknowledgedOn: TODAY,
        method: 'in_person',
        drawing: pngDataUrl('iVBORw0K'),
      },
      TODAY,
    );
    expect(r.errors).toBeNull();
    expect(r.input).toEqual({
      typedName: 'Jordan Lee',
      acknowledgedOn: TODAY,
      method: 'in_person',
      signaturePng: 'iVBORw0K',
    });
  });
  it('leaves the signature out when none was drawn', () => {
    const r = acknowledgementInput(
      { typedName: 'Jordan Lee', acknowledgedOn: '2026-03-01', method: 'remote', drawing: null },
      TODAY,
    );
    expect(r.input).toEqual({ typedName: 'Jordan Lee', acknowledgedOn: '2026-03-01', method: 'remote' });
  });
  it('explains each missing or wrong part', () => {
    const r = acknowledgementInput({ typedName: ' ', acknowledgedOn: '', method: '', drawing: null }, TODAY);
    expect(r.input).toBeNull();
    expect(Object.keys(r.errors ?? {}).sort()).toEqual(['acknowledgedOn', 'method', 'typedName']);
  });
  it('refuses a date after today and a name too long', () => {
    const r = acknowledgementInput(
      { typedName: 'x'.repeat(201), acknowledgedOn: '2026-03-11', method: 'remote', drawing: null },
      TODAY,
    );
    expect(r.errors).toEqual({
      typedName: 'Keep the name to 200 characters',
      acknowledgedOn: 'The date cannot be in the future',
    });
  });
});
