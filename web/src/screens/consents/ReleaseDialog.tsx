import { useEffect, useRef, useState, type FormEvent } from 'react';
import { consentsApi, type ConsentView, type Refusal } from '../../api/consentsApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { fieldId, SelectField, TextArea, TextField } from '../../components/fields.js';
import { LEGAL_BASES, LEGAL_BASIS_LABELS, type LegalBasis } from '../../../../src/domain/consents.js';
import {
  RELEASE_CATEGORIES,
  RELEASE_CATEGORY_LABELS,
  type ReleaseCategory,
} from '../../../../src/domain/releaseScope.js';
import { saveFile } from './saveFile.js';

type Basis = Exclude<LegalBasis, 'authorization'>;
type OutsideFormat = 'paper' | 'verbal' | 'fax' | 'email' | 'other_electronic';
const OUTSIDE_FORMATS: { value: OutsideFormat; label: string }[] = [
  { value: 'paper', label: 'Paper' },
  { value: 'fax', label: 'Fax' },
  { value: 'verbal', label: 'Spoken (phone or in person)' },
  { value: 'email', label: 'E-mail' },
  { value: 'other_electronic', label: 'Other electronic' },
];
// The client's own copy is made under Record requests → copy of the record, never as a release.
const BASES = LEGAL_BASES.filter((b): b is Basis => b !== 'authorization' && b !== 'individual_request');

const LABELS: Record<string, string> = {
  authorizationId: 'Authorization',
  categories: 'What to release',
  'recipient.name': 'Recipient',
  purpose: 'Purpose',
  from: 'From',
  to: 'To',
  on: 'Released on',
  description: 'What was released',
};

/**
 * Releases records to an outside party: under a signed authorization (or a legal basis), the
 * categories and period, as PDF or FHIR. The file downloads; a refusal shows every reason.
 */
export function ReleaseDialog({
  clientId,
  authorizations,
  outside = null,
  onClose,
  onReleased,
}: {
  clientId: string;
  authorizations: ConsentView[];
  /** Set to record a release made outside Casebook (paper, phone, fax) on a past day. */
  outside?: { today: string } | null;
  onClose: () => void;
  onReleased: (message: string) => void;
}) {
  const [on, setOn] = useState(outside?.today ?? '');
  const [outsideFormat, setOutsideFormat] = useState<OutsideFormat>('paper');
  const [description, setDescription] = useState('');
  const [groundId, setGround] = useState<string>(authorizations[0]?.id ?? 'basis');
  const [basis, setBasis] = useState<Basis>('treatment');
  const [categories, setCategories] = useState<ReleaseCategory[]>(['demographics']);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [format, setFormat] = useState<'pdf' | 'fhir'>('pdf');
  const [recipientName, setRecipientName] = useState('');
  const [recipientContact, setRecipientContact] = useState('');
  const [purpose, setPurpose] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal[] | null>(null);
  const [busy, setBusy] = useState(false);
  const byBasis = groundId === 'basis';
  const refusalRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (refusal) refusalRef.current?.focus();
  }, [refusal]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (categories.length === 0) errs.categories = 'Choose at least one category';
    if (byBasis && !recipientName.trim()) errs['recipient.name'] = 'Name who receives the records';
    if (byBasis && !purpose.trim()) errs.purpose = 'State the purpose of the release';
    if (from && to && from > to) errs.to = 'The end must be on or after the start';
    if (outside && (!on || on > outside.today)) errs.on = 'Use the day it was released: today or earlier';
    if (outside && !description.trim()) errs.description = 'Describe what was released';
    setErrors(errs);
    setRefusal(null);
    setMessage(null);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      const ground = byBasis
        ? {
            legalBasis: basis,
            recipient: {
              type: 'organization' as const,
              name: recipientName.trim(),
              contact: recipientContact.trim(),
            },
            purpose: purpose.trim(),
          }
        : { authorizationId: groundId };
      const period = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
      if (outside) {
        await consentsApi.recordOutside(clientId, {
          ...ground,
          categories,
          ...period,
          on,
          format: outsideFormat,
          description: description.trim(),
        });
        onReleased('The release made outside Casebook is recorded in the disclosure log.');
        return;
      }
      const file = await consentsApi.release(clientId, { ...ground, categories, ...period, format });
      saveFile(file.blob, file.filename);
      onReleased(
        `Records released as ${format === 'pdf' ? 'PDF' : 'FHIR'} (${file.filename}); the release is in the disclosure log.`,
      );
    } catch (err) {
      const ae = toApiError(err);
      const reasons = ae.problem.reasons as Refusal[] | undefined;
      if (Array.isArray(reasons)) setRefusal(reasons);
      else {
        setErrors(Object.fromEntries(ae.fieldErrors.map((f) => [f.path, f.message])));
        setMessage(ae.fieldErrors.length ? null : ae.detail);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      title={outside ? 'Record a release made outside Casebook' : 'Release records'}
      onClose={onClose}
      className="consent-dialog"
    >
      <form onSubmit={(e) => void submit(e)} noValidate className="consent-form">
        <ErrorSummary message={message} errors={errors} labels={LABELS} />
        {refusal ? (
          <div
            className="error-summary"
            role="alert"
            tabIndex={-1}
            ref={refusalRef}
            aria-labelledby="refusal-title"
          >
            <h2 id="refusal-title">This release is not allowed</h2>
            <ul className="refusal-reasons">
              {refusal.map((r) => (
                <li key={r.code} data-code={r.code}>
                  {r.message}
                </li>
              ))}
            </ul>
            <p>Nothing was released. The refused attempt is recorded in the audit trail.</p>
          </div>
        ) : null}
        <SelectField
          name="authorizationId"
          label="Under"
          required
          value={groundId}
          options={[
            ...authorizations.map((a) => ({
              value: a.id,
              label: `${a.kindLabel} — ${a.recipient?.name ?? ''} (signed ${a.signedOn}, ${a.status.replace(/_/g, ' ')})`,
            })),
            { value: 'basis', label: 'A legal basis (no authorization)' },
          ]}
          onChange={setGround}
          errors={errors}
        />
        {byBasis ? (
          <>
            <SelectField
              name="legalBasis"
              label="Legal basis"
              required
              value={basis}
              options={BASES.map((b) => ({ value: b, label: LEGAL_BASIS_LABELS[b] }))}
              onChange={setBasis}
            />
            <TextField
              name="recipient.name"
              label="Recipient"
              required
              value={recipientName}
              errors={errors}
              onChange={setRecipientName}
            />
            <TextField
              name="recipient.contact"
              label="Recipient address or contact"
              value={recipientContact}
              onChange={setRecipientContact}
            />
            <TextArea
              name="purpose"
              label="Purpose"
              required
              rows={2}
              value={purpose}
              errors={errors}
              onChange={setPurpose}
            />
          </>
        ) : null}
        <fieldset
          className={`field consent-group${errors.categories ? ' has-error' : ''}`}
          id={fieldId('categories')}
          tabIndex={-1}
        >
          <legend>What to release</legend>
          {errors.categories ? <p className="field-error">{errors.categories}</p> : null}
          {RELEASE_CATEGORIES.map((c) => (
            <label className="choice" key={c}>
              <input
                type="checkbox"
                checked={categories.includes(c)}
                onChange={(e) =>
                  setCategories(e.target.checked ? [...categories, c] : categories.filter((x) => x !== c))
                }
              />
              {RELEASE_CATEGORY_LABELS[c]}
            </label>
          ))}
        </fieldset>
        <div className="field-row">
          <TextField
            name="from"
            label="Records from"
            type="date"
            value={from}
            errors={errors}
            onChange={setFrom}
          />
          <TextField name="to" label="Records to" type="date" value={to} errors={errors} onChange={setTo} />
        </div>
        {outside ? (
          <>
            <TextField
              name="on"
              label="Released on"
              type="date"
              required
              max={outside.today}
              value={on}
              errors={errors}
              onChange={setOn}
            />
            <SelectField
              name="outsideFormat"
              label="How"
              required
              value={outsideFormat}
              options={OUTSIDE_FORMATS}
              onChange={setOutsideFormat}
            />
            <TextArea
              name="description"
              label="What was released"
              required
              rows={2}
              value={description}
              errors={errors}
              onChange={setDescription}
            />
          </>
        ) : (
          <SelectField
            name="format"
            label="Format"
            required
            value={format}
            options={[
              { value: 'pdf', label: 'PDF chart' },
              { value: 'fhir', label: 'FHIR R4 bundle (JSON)' },
            ]}
            onChange={setFormat}
          />
        )}
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : outside ? 'Record the release' : 'Release and download'}
          </button>
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
