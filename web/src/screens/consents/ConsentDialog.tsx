import { useState, type FormEvent } from 'react';
import { consentsApi, type ConsentView } from '../../api/consentsApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { CheckboxField, fieldId, SelectField, TextArea, TextField } from '../../components/fields.js';
import { SignatureCanvas } from '../treatmentPlan/SignatureCanvas.js';
import { CONSENT_KIND_LABELS, type ConsentKind } from '../../../../src/domain/consents.js';
import { RELEASE_CATEGORIES, RELEASE_CATEGORY_LABELS } from '../../../../src/domain/releaseScope.js';
import { blankConsent, consentInput, isRelease, type ConsentForm } from './consentForm.js';

const LABELS: Record<string, string> = {
  kind: 'Kind',
  categories: 'What may be released',
  'recipient.name': 'Recipient',
  'recipient.contact': 'Recipient contact',
  purpose: 'Purpose',
  recordsFrom: 'Records from',
  recordsTo: 'Records to',
  effectiveOn: 'Takes effect',
  expiresOn: 'Expires',
  expiryEvent: 'Expiry event',
  signedOn: 'Signed on',
  signerName: 'Name of the signer',
  signerRelationship: 'Relationship to the client',
  signaturePng: 'Drawn signature',
};

/** Records one signed consent or authorization; the fields shown follow the kind. */
export function ConsentDialog({
  clientId,
  kinds,
  today,
  onClose,
  onRecorded,
}: {
  clientId: string;
  kinds: ConsentKind[];
  today: string;
  onClose: () => void;
  onRecorded: (c: ConsentView) => void;
}) {
  const [form, setForm] = useState<ConsentForm>(blankConsent(kinds[0] ?? 'treatment', today));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const release = isRelease(form.kind);

  const change = (patch: Partial<ConsentForm>, key?: string) => {
    setForm((f) => ({ ...f, ...patch }));
    if (key && errors[key])
      setErrors((e) => {
        const next = { ...e };
        delete next[key];
        return next;
      });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = consentInput(form, today);
    if (checked.errors) {
      setErrors(checked.errors);
      setMessage(null);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      onRecorded(await consentsApi.record(clientId, checked.input));
    } catch (err) {
      const ae = toApiError(err);
      setErrors(Object.fromEntries(ae.fieldErrors.map((f) => [f.path, f.message])));
      setMessage(ae.fieldErrors.length ? null : ae.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Record a consent or authorization" onClose={onClose} className="consent-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate className="consent-form">
        <ErrorSummary message={message} errors={errors} labels={LABELS} />
        <SelectField
          name="kind"
          label="Kind"
          required
          value={form.kind}
          options={kinds.map((k) => ({ value: k, label: CONSENT_KIND_LABELS[k] }))}
          onChange={(kind) => setForm(() => ({ ...blankConsent(kind, today), signerName: form.signerName }))}
          errors={errors}
        />
        {release ? (
          <>
            <fieldset className="consent-group">
              <legend>Recipient</legend>
              <SelectField
                name="recipient.type"
                label="Person or organization"
                required
                value={form.recipientType}
                options={[
                  { value: 'organization', label: 'Organization' },
                  { value: 'person', label: 'Person' },
                ]}
                onChange={(recipientType) => change({ recipientType })}
              />
              <TextField
                name="recipient.name"
                label="Name"
                required
                value={form.recipientName}
                errors={errors}
                onChange={(recipientName) => change({ recipientName }, 'recipient.name')}
              />
              <TextField
                name="recipient.contact"
                label="Address, phone or fax"
                required
                value={form.recipientContact}
                errors={errors}
                onChange={(recipientContact) => change({ recipientContact }, 'recipient.contact')}
              />
            </fieldset>
            <TextArea
              name="purpose"
              label="Purpose"
              required
              rows={2}
              hint='For example "coordination of care", or "at the request of the individual".'
              value={form.purpose}
              errors={errors}
              onChange={(purpose) => change({ purpose }, 'purpose')}
            />
            {form.kind === 'release_of_information' ? (
              <fieldset
                className={`field consent-group${errors.categories ? ' has-error' : ''}`}
                id={fieldId('categories')}
                tabIndex={-1}
              >
                <legend>What may be released</legend>
                {errors.categories ? <p className="field-error">{errors.categories}</p> : null}
                {RELEASE_CATEGORIES.filter((c) => c !== 'psychotherapy_notes').map((c) => (
                  <label className="choice" key={c}>
                    <input
                      type="checkbox"
                      checked={form.categories.includes(c)}
                      onChange={(e) =>
                        change(
                          {
                            categories: e.target.checked
                              ? [...form.categories, c]
                              : form.categories.filter((x) => x !== c),
                          },
                          'categories',
                        )
                      }
                    />
                    {RELEASE_CATEGORY_LABELS[c]}
                  </label>
                ))}
                <p className="hint">Psychotherapy notes need their own psychotherapy-note authorization.</p>
              </fieldset>
            ) : (
              <p className="hint">This authorization covers psychotherapy notes only, and nothing else.</p>
            )}
            <div className="field-row">
              <TextField
                name="recordsFrom"
                label="Records dated from"
                type="date"
                value={form.recordsFrom}
                errors={errors}
                onChange={(recordsFrom) => change({ recordsFrom }, 'recordsFrom')}
              />
              <TextField
                name="recordsTo"
                label="Records dated to"
                type="date"
                value={form.recordsTo}
                errors={errors}
                onChange={(recordsTo) => change({ recordsTo }, 'recordsTo')}
              />
            </div>
            <CheckboxField
              name="part2"
              label="This is a 42 CFR Part 2 consent (may release substance-use disorder records)"
              checked={form.part2}
              onChange={(part2) => change({ part2 })}
            />
          </>
        ) : null}
        <div className="field-row">
          <TextField
            name="effectiveOn"
            label="Takes effect"
            type="date"
            hint="Default: the day it was signed."
            value={form.effectiveOn}
            errors={errors}
            onChange={(effectiveOn) => change({ effectiveOn }, 'effectiveOn')}
          />
          <TextField
            name="expiresOn"
            label="Expires on"
            type="date"
            required={release && !form.expiryEvent}
            value={form.expiresOn}
            errors={errors}
            onChange={(expiresOn) => change({ expiresOn }, 'expiresOn')}
          />
        </div>
        {release ? (
          <TextField
            name="expiryEvent"
            label="Or expires upon an event"
            hint='For example "end of treatment".'
            value={form.expiryEvent}
            errors={errors}
            onChange={(expiryEvent) => change({ expiryEvent }, 'expiresOn')}
          />
        ) : null}
        <fieldset className="consent-group">
          <legend>Signature</legend>
          <SelectField
            name="signer"
            label="Signed by"
            required
            value={form.signer}
            options={[
              { value: 'client', label: 'The client' },
              { value: 'guardian', label: 'A parent, guardian or personal representative' },
            ]}
            onChange={(signer) => change({ signer })}
          />
          <TextField
            name="signerName"
            label="Name of the signer"
            required
            autoComplete="off"
            value={form.signerName}
            errors={errors}
            onChange={(signerName) => change({ signerName }, 'signerName')}
          />
          {form.signer === 'guardian' ? (
            <TextField
              name="signerRelationship"
              label="Relationship to the client or authority to act"
              required
              value={form.signerRelationship}
              errors={errors}
              onChange={(signerRelationship) => change({ signerRelationship }, 'signerRelationship')}
            />
          ) : null}
          <TextField
            name="signedOn"
            label="Signed on"
            type="date"
            required
            max={today}
            value={form.signedOn}
            errors={errors}
            onChange={(signedOn) => change({ signedOn }, 'signedOn')}
          />
          <SelectField
            name="signatureMethod"
            label="How it was signed"
            required
            value={form.signatureMethod}
            options={[
              { value: 'typed', label: 'Typed name' },
              { value: 'drawn', label: 'Drawn on screen' },
              { value: 'paper', label: 'On paper (attach the scan afterwards)' },
            ]}
            onChange={(signatureMethod) => change({ signatureMethod }, 'signaturePng')}
          />
          {form.signatureMethod === 'drawn' ? (
            <div className={errors.signaturePng ? 'field has-error' : 'field'}>
              {errors.signaturePng ? <p className="field-error">{errors.signaturePng}</p> : null}
              <SignatureCanvas
                id={fieldId('signaturePng')}
                label="Signature"
                onChange={(drawing) => change({ drawing }, 'signaturePng')}
              />
            </div>
          ) : null}
        </fieldset>
        <TextArea
          name="notes"
          label="Notes"
          rows={2}
          value={form.notes}
          errors={errors}
          onChange={(notes) => change({ notes })}
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Recording…' : 'Record'}
          </button>
          <button type="button" className="button secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
