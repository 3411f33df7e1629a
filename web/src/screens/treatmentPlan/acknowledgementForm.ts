import type { AcknowledgementInput } from '../../api/treatmentPlanApi.js';

export interface AcknowledgementForm {
  typedName: string;
  acknowledgedOn: string;
  method: 'in_person' | 'remote' | '';
  /** The drawn signature as a PNG data URL, or null when none was drawn. */
  drawing: string | null;
}

const PNG_PREFIX = 'data:image/png;base64,';

/** The form checked in the browser (the server checks again): the request body, or the errors to show. */
export function acknowledgementInput(
  f: AcknowledgementForm,
  today: string,
): { input: AcknowledgementInput; errors: null } | { input: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = f.typedName.trim();
  if (name === '') errors.typedName = 'Enter the client’s name as they typed or said it';
  else if (name.length > 200) errors.typedName = 'Keep the name to 200 characters';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.acknowledgedOn))
    errors.acknowledgedOn = 'Enter the date of the acknowledgement';
  else if (f.acknowledgedOn > today) errors.acknowledgedOn = 'The date cannot be in the future';
  if (f.method === '') errors.method = 'Say whether the client was with you or remote';
  if (Object.keys(errors).length > 0 || f.method === '') return { input: null, errors };
  const input: AcknowledgementInput = { typedName: name, acknowledgedOn: f.acknowledgedOn, method: f.method };
  if (f.drawing?.startsWith(PNG_PREFIX)) input.signaturePng = f.drawing.slice(PNG_PREFIX.length);
  return { input, errors: null };
}

/** A stored signature (base64 PNG) as an image address. */
export function pngDataUrl(base64: string): string {
  return `${PNG_PREFIX}${base64}`;
}
