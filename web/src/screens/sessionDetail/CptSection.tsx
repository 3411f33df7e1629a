import { useEffect, useRef, useState, type FormEvent } from 'react';
import { toApiError } from '../../api/http.js';
import type { SessionView } from '../../api/clinicalTypes.js';
import { sessionsApi, type CptCode, type CptCodeOption, type SessionPatch } from '../../api/sessionsApi.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextArea, TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';

interface CodeRow {
  code: string;
  units: string;
  modifiers: string;
}

const MAX_CODES = 4;

function codeText(c: CptCode): string {
  return `${c.code}${c.units > 1 ? ` × ${c.units}` : ''}${c.modifiers.length ? ` (modifier ${c.modifiers.join(', ')})` : ''}`;
}

function CodeList({ codes, label }: { codes: CptCode[]; label: string }) {
  if (codes.length === 0) return <p className="muted">No code.</p>;
  return (
    <ul className="cpt-codes" aria-label={label}>
      {codes.map((c, i) => (
        <li key={`${c.code}-${i}`}>
          <code className="cpt-code">{c.code}</code>
          {c.units > 1 ? <span> × {c.units}</span> : null}
          {c.modifiers.length ? <span className="muted"> modifier {c.modifiers.join(', ')}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The CPT code: Casebook's suggestion from the service, minutes and modality, and the
 * clinician's override with its reason (saved with If-Match like any change to the session).
 */
export function CptSection({
  session,
  save,
}: {
  session: SessionView;
  save: (patch: SessionPatch) => Promise<void>;
}) {
  const cpt = session.cpt;
  const [options, setOptions] = useState<CptCodeOption[]>([]);
  const [editing, setEditing] = useState(false);
  const [rows, setRows] = useState<CodeRow[]>([]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const form = useFormErrors();
  const formHeading = useRef<HTMLHeadingElement>(null);

  // The button that opened the form is gone, so focus moves to the form.
  useEffect(() => {
    if (editing) formHeading.current?.focus();
  }, [editing]);

  useEffect(() => {
    let live = true;
    void sessionsApi.cptCodes().then((list) => live && setOptions(list));
    return () => {
      live = false;
    };
  }, []);

  // The form starts from the codes in force now (the suggestion moves as the session's facts change).
  const openEditor = () => {
    const start = cpt.override ?? cpt.suggested.codes;
    setRows(
      (start.length ? start : [{ code: '', units: 1, modifiers: [] }]).map((c) => ({
        code: c.code,
        units: String(c.units),
        modifiers: c.modifiers.join(', '),
      })),
    );
    setReason(cpt.overrideReason ?? '');
    form.clear();
    setStatus('');
    setEditing(true);
  };

  const setRow = (i: number, p: Partial<CodeRow>) =>
    setRows((r) => r.map((x, j) => (j === i ? { ...x, ...p } : x)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    const codes: CptCode[] = [];
    rows.forEach((r, i) => {
      const code = r.code.trim();
      const units = Number(r.units);
      const modifiers = r.modifiers
        .split(/[\s,]+/)
        .map((m) => m.trim().toUpperCase())
        .filter(Boolean);
      if (!/^\d{4}[0-9A-Z]$/.test(code)) found[`cpt.${i}.code`] = 'Choose or enter a five-character CPT code';
      if (!Number.isInteger(units) || units < 1 || units > 12) found[`cpt.${i}.units`] = 'Units from 1 to 12';
      if (modifiers.some((m) => !/^[A-Z0-9]{2}$/.test(m)) || modifiers.length > 4)
        found[`cpt.${i}.modifiers`] = 'Up to four two-character modifiers, e.g. 95';
      codes.push({ code, units, modifiers });
    });
    if (reason.trim().length < 3) found.cptReason = 'Give the reason for overriding the suggested code';
    if (!form.check(found)) return;
    setBusy(true);
    try {
      await save({ cptOverride: { codes, reason: reason.trim() } });
      setEditing(false);
      setStatus('Override saved.');
    } catch (err) {
      if (!toApiError(err).isStale)
        form.fromError(err, {
          'cptOverride.reason': 'cptReason',
          ...Object.fromEntries(
            rows.flatMap((_, i) => [
              [`cptOverride.codes.${i}.code`, `cpt.${i}.code`],
              [`cptOverride.codes.${i}.units`, `cpt.${i}.units`],
              [`cptOverride.codes.${i}.modifiers`, `cpt.${i}.modifiers`],
            ]),
          ),
        });
    } finally {
      setBusy(false);
    }
  };

  const clearOverride = async () => {
    setBusy(true);
    try {
      await save({ cptOverride: null });
      setStatus('The suggested code is used again.');
    } catch (err) {
      if (!toApiError(err).isStale) form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  const codeOptions = [
    { value: '', label: 'Choose a code' },
    ...options.map((o) => ({ value: o.code, label: `${o.code} — ${o.label}` })),
  ];
  const labels = Object.fromEntries(
    rows.flatMap((_, i) => [
      [`cpt.${i}.code`, `Code ${i + 1}`],
      [`cpt.${i}.units`, `Units ${i + 1}`],
      [`cpt.${i}.modifiers`, `Modifiers ${i + 1}`],
    ]),
  );

  return (
    <section className="panel" aria-labelledby="cpt-title">
      <h2 id="cpt-title">Billing code</h2>
      <div className="cpt-suggestion">
        <h3>Suggested</h3>
        <CodeList codes={cpt.suggested.codes} label="Suggested CPT codes" />
        <p className="cpt-reason">{cpt.suggested.reason}</p>
        <p className="muted">Place of service {cpt.suggested.placeOfService}</p>
      </div>
      {cpt.override ? (
        <div className="cpt-override">
          <h3>Billed instead (override)</h3>
          <CodeList codes={cpt.override} label="Override CPT codes" />
          {cpt.overrideReason ? <p>Reason: {cpt.overrideReason}</p> : null}
          <button type="button" className="button link" disabled={busy} onClick={() => void clearOverride()}>
            Use the suggestion instead
          </button>
        </div>
      ) : (
        <p>
          Billed as: <strong>{cpt.codes.length ? cpt.codes.map(codeText).join(', ') : 'no code yet'}</strong>
        </p>
      )}
      {editing ? (
        <form onSubmit={(e) => void submit(e)} noValidate className="cpt-form">
          <h3 tabIndex={-1} ref={formHeading}>
            {cpt.override ? 'Change the override' : 'Override the suggestion'}
          </h3>
          <ErrorSummary
            message={form.message}
            errors={form.errors}
            labels={{ ...labels, cptReason: 'Reason' }}
          />
          {rows.map((r, i) => (
            <div key={i} className="cpt-row">
              {options.length ? (
                <SelectField
                  name={`cpt.${i}.code`}
                  label={`Code ${i + 1}`}
                  value={r.code}
                  onChange={(v) => setRow(i, { code: v })}
                  options={codeOptions}
                  errors={form.errors}
                  required
                />
              ) : (
                <TextField
                  name={`cpt.${i}.code`}
                  label={`Code ${i + 1}`}
                  value={r.code}
                  onChange={(v) => setRow(i, { code: v })}
                  errors={form.errors}
                  required
                  maxLength={5}
                  inputMode="numeric"
                  hint="Five digits, e.g. 90837"
                />
              )}
              <TextField
                name={`cpt.${i}.units`}
                label="Units"
                type="number"
                min={1}
                max={12}
                value={r.units}
                onChange={(v) => setRow(i, { units: v })}
                errors={form.errors}
                required
              />
              <TextField
                name={`cpt.${i}.modifiers`}
                label="Modifiers"
                value={r.modifiers}
                onChange={(v) => setRow(i, { modifiers: v })}
                errors={form.errors}
                hint="e.g. 95"
              />
              {rows.length > 1 ? (
                <button
                  type="button"
                  className="button link danger"
                  onClick={() => setRows(rows.filter((_, j) => j !== i))}
                  aria-label={`Remove code ${i + 1}`}
                >
                  Remove
                </button>
              ) : null}
            </div>
          ))}
          {rows.length < MAX_CODES ? (
            <button
              type="button"
              className="button secondary small"
              onClick={() => setRows([...rows, { code: '', units: '1', modifiers: '' }])}
            >
              Add a code
            </button>
          ) : null}
          <TextArea
            name="cptReason"
            label="Reason for the override"
            value={reason}
            onChange={setReason}
            errors={form.errors}
            rows={2}
            required
            hint="Kept with the session for billing review, e.g. “payer requires 90834 for this plan”."
          />
          <div className="button-row">
            <button type="submit" className="button primary" disabled={busy}>
              Save override
            </button>
            <button type="button" className="button secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="button secondary small" onClick={openEditor}>
          {cpt.override ? 'Change the override' : 'Override the code'}
        </button>
      )}
      <p role="status" className="save-status">
        {status}
      </p>
    </section>
  );
}
