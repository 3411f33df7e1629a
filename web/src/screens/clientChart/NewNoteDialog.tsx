import { useEffect, useState, type FormEvent } from 'react';
import type { NoteKind, ProgressFormat } from '../../../../src/domain/noteTemplates.js';
import { chartApi } from '../../api/chartApi.js';
import { templatesApi, type PracticeTemplate } from '../../api/templatesApi.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { CheckboxField, SelectField, TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { navigate } from '../../router.js';
import { useSession } from '../../session.js';
import {
  FORMAT_CHOICES,
  FORMAT_LABELS,
  NOTE_KIND_CHOICES,
  NOTE_KIND_LABELS,
} from '../templates/noteOptions.js';

const LABELS = {
  kind: 'Kind of note',
  format: 'Format',
  templateKey: 'Template',
  dateOfService: 'Date of service',
  startFromLast: 'Start from last note',
};

/** Today's date where the practice is (a date of service is the practice's local date). */
export function practiceToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** Starts a standalone note for the client (not tied to a session) and opens it in the editor. */
export function NewNoteDialog({ clientId, onClose }: { clientId: string; onClose: () => void }) {
  const { me } = useSession();
  const [kind, setKind] = useState<NoteKind>('progress');
  const [format, setFormat] = useState<ProgressFormat>('soap');
  const [templateKey, setTemplateKey] = useState('');
  const [dateOfService, setDateOfService] = useState(() => practiceToday(me.practice.timeZone));
  const [startFromLast, setStartFromLast] = useState(false);
  const [practiceTemplates, setPracticeTemplates] = useState<PracticeTemplate[]>([]);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  useEffect(() => {
    let live = true;
    templatesApi
      .list()
      .then((l) => live && setPracticeTemplates(l.practice.filter((t) => !t.archived)))
      .catch(() => live && setPracticeTemplates([]));
    return () => {
      live = false;
    };
  }, []);

  const ofKind = practiceTemplates.filter((t) => t.kind === kind);
  const chosen = ofKind.find((t) => t.key === templateKey) ?? null;
  const builtInLabel =
    kind === 'progress'
      ? `Casebook built-in (${FORMAT_LABELS[format]})`
      : `Casebook built-in (${NOTE_KIND_LABELS[kind]})`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(dateOfService ? {} : { dateOfService: 'Enter the date of service' })) return;
    setBusy(true);
    try {
      const note = await chartApi.startNote({
        clientId,
        sessionId: null,
        kind,
        format: kind === 'progress' ? (chosen?.format ?? format) : null,
        templateKey: chosen ? chosen.key : null,
        dateOfService,
        startFromLast,
      });
      navigate(`/notes/${note.id}`);
    } catch (err) {
      form.fromError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open title="New note" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
        <p className="hint">
          For a note about a session, open the session instead: it fills in the time, modality and CPT code.
        </p>
        <SelectField<NoteKind>
          name="kind"
          label={LABELS.kind}
          value={kind}
          options={NOTE_KIND_CHOICES}
          onChange={(k) => {
            setKind(k);
            setTemplateKey('');
          }}
          errors={form.errors}
          required
        />
        {kind === 'progress' && !chosen ? (
          <SelectField<ProgressFormat>
            name="format"
            label={LABELS.format}
            value={format}
            options={FORMAT_CHOICES}
            onChange={setFormat}
            errors={form.errors}
            required
          />
        ) : null}
        <SelectField
          name="templateKey"
          label={LABELS.templateKey}
          value={templateKey}
          options={[
            { value: '', label: builtInLabel },
            ...ofKind.map((t) => ({
              value: t.key,
              label: `${t.name}${t.format ? ` (${FORMAT_LABELS[t.format]})` : ''} · practice, v${t.currentVersion}`,
            })),
          ]}
          onChange={setTemplateKey}
          errors={form.errors}
          hint={
            chosen?.format
              ? `Written in the ${FORMAT_LABELS[chosen.format]} format, as the template sets.`
              : ofKind.length === 0
                ? 'The practice has no templates of this kind; the built-in one is used.'
                : undefined
          }
          required
        />
        <TextField
          name="dateOfService"
          label={LABELS.dateOfService}
          type="date"
          value={dateOfService}
          onChange={setDateOfService}
          errors={form.errors}
          className="narrow"
          required
        />
        <CheckboxField
          name="startFromLast"
          label={LABELS.startFromLast}
          hint="Copies the answers of the client’s last signed note of this template; copied fields stay marked until you edit them."
          checked={startFromLast}
          onChange={setStartFromLast}
          errors={form.errors}
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start note'}
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
