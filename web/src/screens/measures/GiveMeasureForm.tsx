import { useState, type FormEvent } from 'react';
import { measuresApi, type InstrumentDefinition, type MeasureDetail } from '../../api/measuresApi.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { useFormErrors } from '../../components/formErrors.js';
import { QuestionItem } from '../questionnaire/QuestionItem.js';
import '../questionnaire/questionnaire.css';

/** The clinician goes through one questionnaire with the client in session: every item must be answered. */
export function GiveMeasureForm({
  clientId,
  instrument,
  onGiven,
  onCancel,
}: {
  clientId: string;
  instrument: InstrumentDefinition;
  onGiven: (d: MeasureDetail) => void;
  onCancel: () => void;
}) {
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const labels = Object.fromEntries(instrument.items.map((i) => [`answers.${i.id}`, `Question ${i.number}`]));
  const answered = instrument.items.filter((i) => answers[i.id] !== undefined).length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing = Object.fromEntries(
      instrument.items
        .filter((i) => answers[i.id] === undefined)
        .map((i) => [`answers.${i.id}`, `Answer question ${i.number}`]),
    );
    if (!form.check(missing)) return;
    setBusy(true);
    try {
      onGiven(await measuresApi.give(clientId, { instrument: instrument.id, answers }));
    } catch (err) {
      form.fromError(err);
      setBusy(false);
    }
  };

  const set = (key: string, v: number) => setAnswers((prev) => ({ ...prev, [key]: v }));
  return (
    <form className="give-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="give-title">
      <h3 id="give-title">{instrument.name}</h3>
      <ErrorSummary message={form.message} errors={form.errors} labels={labels} />
      <p className="q-instructions">{instrument.instructions}</p>
      <p className="muted">Time frame: {instrument.timeframe.toLowerCase()}.</p>
      {instrument.items.map((item) => (
        <QuestionItem
          key={item.id}
          name={item.id}
          number={item.number}
          text={item.text}
          options={instrument.options}
          value={answers[item.id]}
          onChange={(v) => set(item.id, v)}
          error={form.errors[`answers.${item.id}`]}
        />
      ))}
      {instrument.difficulty ? (
        <QuestionItem
          name="difficulty"
          number={null}
          text={`${instrument.difficulty.text} (not scored, optional)`}
          options={instrument.difficulty.options}
          value={answers.difficulty}
          onChange={(v) => set('difficulty', v)}
          error={form.errors['answers.difficulty']}
        />
      ) : null}
      <p className="give-copyright">{instrument.copyright}</p>
      <div className="button-row give-actions">
        <span className="muted" aria-live="polite">
          {answered} of {instrument.items.length} answered
        </span>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Scoring…' : `Score and save ${instrument.shortName}`}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
