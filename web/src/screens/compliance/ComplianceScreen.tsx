import { useEffect, useState, type FormEvent } from 'react';
import { documentationApi, type ComplianceReport } from '../../api/documentationApi.js';
import { Alert } from '../../components/Alert.js';
import { formatDate } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useSession } from '../../session.js';
import { ComplianceTable } from './ComplianceTable.js';
import {
  customPeriodErrors,
  periodFor,
  todayIn,
  type Period,
  type PeriodChoice,
} from './compliancePeriods.js';
import './compliance.css';

const CHOICES: { value: PeriodChoice; label: string }[] = [
  { value: 'this_month', label: 'This month' },
  { value: 'last_month', label: 'Last month' },
  { value: 'last_90_days', label: 'Last 90 days' },
  { value: 'custom', label: 'Custom dates' },
];

const FIELD_LABELS = { from: 'From', to: 'To' };

/** Documentation compliance per clinician over a period (owners and supervisors). */
export function ComplianceScreen() {
  const { me } = useSession();
  const today = todayIn(me.practice.timeZone);
  const [choice, setChoice] = useState<PeriodChoice>('this_month');
  const [applied, setApplied] = useState<Period>(() => periodFor('this_month', today));
  const [draft, setDraft] = useState<Period>(applied);
  const [report, setReport] = useState<ComplianceReport | null>(null);
  const [loading, setLoading] = useState(true);
  const form = useFormErrors();

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    documentationApi
      .compliance(applied.from, applied.to, ctrl.signal)
      .then((r) => {
        setReport(r);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setReport(null);
        setLoading(false);
        form.fromError(err);
      });
    return () => ctrl.abort();
    // form.fromError only sets state (the object is new each render): the request depends on the period alone.
  }, [applied.from, applied.to]);

  const pick = (c: PeriodChoice) => {
    setChoice(c);
    form.clear();
    if (c === 'custom') setDraft(applied);
    else setApplied(periodFor(c, today));
  };

  const applyCustom = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(customPeriodErrors(draft))) return;
    setApplied({ ...draft });
  };

  return (
    <>
      <PageHeader title="Documentation compliance" />
      <p>
        How promptly each clinician signs their notes. The deadline is the practice&apos;s note policy, set in
        Practice settings.
      </p>
      <fieldset className="compliance-periods">
        <legend>Period</legend>
        <div className="compliance-choices">
          {CHOICES.map((c) => (
            <div className="field checkbox" key={c.value}>
              <input
                type="radio"
                id={`period-${c.value}`}
                name="period"
                value={c.value}
                checked={choice === c.value}
                onChange={() => pick(c.value)}
              />
              <label htmlFor={`period-${c.value}`}>{c.label}</label>
            </div>
          ))}
        </div>
        {choice === 'custom' ? (
          <form className="compliance-custom" onSubmit={applyCustom} noValidate aria-label="Custom period">
            <ErrorSummary message={form.message} errors={form.errors} labels={FIELD_LABELS} />
            <div className="compliance-custom-fields">
              <TextField
                name="from"
                label="From"
                type="date"
                required
                value={draft.from}
                onChange={(v) => setDraft((d) => ({ ...d, from: v }))}
                errors={form.errors}
              />
              <TextField
                name="to"
                label="To"
                type="date"
                required
                value={draft.to}
                onChange={(v) => setDraft((d) => ({ ...d, to: v }))}
                errors={form.errors}
              />
              <div className="button-row">
                <button type="submit" className="button primary">
                  Show period
                </button>
              </div>
            </div>
          </form>
        ) : null}
      </fieldset>
      {choice !== 'custom' && form.message ? <Alert kind="error">{form.message}</Alert> : null}
      <p role="status" className="result-count">
        {loading
          ? 'Loading…'
          : report
            ? `${formatDate(report.from)} to ${formatDate(report.to)}: ${report.clinicians.length} ${
                report.clinicians.length === 1 ? 'clinician' : 'clinicians'
              }.`
            : ''}
      </p>
      {report && report.clinicians.length > 0 ? <ComplianceTable rows={report.clinicians} /> : null}
      {report && report.clinicians.length === 0 ? (
        <p>No clinician had sessions needing notes in this period.</p>
      ) : null}
      <h2 className="compliance-definitions-title">What the columns mean</h2>
      <dl className="dl compliance-definitions">
        <div className="dl-row">
          <dt>Sessions needing notes</dt>
          <dd>
            Sessions that started in the period and call for a note, one per client: attended sessions, and
            no-shows and late cancellations (a short contact note).
          </dd>
        </div>
        <div className="dl-row">
          <dt>Signed</dt>
          <dd>
            Of those, the notes their author has signed, including notes still waiting for a supervisor&apos;s
            co-signature. A note returned for revision counts as unsigned.
          </dd>
        </div>
        <div className="dl-row">
          <dt>Signed on time</dt>
          <dd>
            Signed by the deadline: the practice&apos;s note policy, counted from the end of the session.
          </dd>
        </div>
        <div className="dl-row">
          <dt>Overdue now</dt>
          <dd>Past the deadline and still not signed.</dd>
        </div>
        <div className="dl-row">
          <dt>Signed on time (%)</dt>
          <dd>
            Signed on time, as a share of the notes that can be judged: those signed, and those overdue. Notes
            still within their deadline count neither way. A dash means none can be judged yet.
          </dd>
        </div>
        <div className="dl-row">
          <dt>Median hours to signature</dt>
          <dd>
            For the signed notes, the middle value of the hours from the end of the session to the
            author&apos;s signature: half were signed sooner, half later. A dash means none is signed.
          </dd>
        </div>
      </dl>
    </>
  );
}
