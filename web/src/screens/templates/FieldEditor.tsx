import { CheckboxField, TextField, fieldId, type FieldErrors } from '../../components/fields.js';
import {
  BLOCK_KINDS,
  CHOICE_KINDS,
  move,
  newOption,
  relabelOption,
  type DraftField,
} from './builderModel.js';
import { ReorderControls } from './ReorderControls.js';

const BLOCK_HELP: Record<string, string> = {
  riskAssessment:
    'A fixed block: suicidal ideation, homicidal ideation and self-harm (none to high), a safety plan and notes.',
  mentalStatusExam: 'A fixed block: the eleven mental status domains, each with suggested wording.',
  interventions: 'A fixed block: the practice’s list of interventions to tick, plus “other”.',
};

/** One field of a section: its label, id, whether required, help, and the settings of its kind. */
export function FieldEditor({
  field: f,
  path,
  index,
  count,
  kindLabel,
  errors,
  onChange,
  onRelabel,
  onMove,
  onRemove,
}: {
  field: DraftField;
  path: string;
  index: number;
  count: number;
  kindLabel: string;
  errors: FieldErrors;
  onChange: (change: (f: DraftField) => DraftField) => void;
  onRelabel: (label: string) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const listKey = f.kind === 'checklist' ? 'items' : 'options';
  const listPath = `${path}.${listKey}`;
  const legend = `Field ${n}: ${kindLabel}`;
  return (
    <fieldset className="tb-field" id={`field-${f.uid}`}>
      <legend>{legend}</legend>
      <ReorderControls
        uid={f.uid}
        noun="field"
        index={index}
        count={count}
        groupLabel={`Field ${n} actions`}
        removeName={`Remove field ${n}${f.label ? ` (${f.label})` : ''}`}
        onMove={onMove}
        onRemove={onRemove}
      />
      <TextField
        name={`${path}.label`}
        label="Label"
        value={f.label}
        onChange={onRelabel}
        errors={errors}
        required
        autoComplete="off"
      />
      <div className="field-row">
        <TextField
          name={`${path}.id`}
          label="Field id"
          hint="Made from the label; answers are stored under it."
          value={f.id}
          onChange={(id) => onChange((x) => ({ ...x, id, idTouched: true }))}
          errors={errors}
          required
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          name={`${path}.help`}
          label="Help text"
          hint="Shown under the label in the note."
          value={f.help}
          onChange={(help) => onChange((x) => ({ ...x, help }))}
          errors={errors}
          autoComplete="off"
        />
      </div>
      <CheckboxField
        name={`${path}.required`}
        label="Required before the note can be signed"
        checked={f.required}
        onChange={(required) => onChange((x) => ({ ...x, required }))}
        errors={errors}
      />

      {CHOICE_KINDS.includes(f.kind) ? (
        <div className="tb-options">
          <p className="tb-subhead">Options</p>
          {errors[listPath] ? (
            <p className="field-error" id={`${fieldId(listPath)}-error`}>
              <span className="visually-hidden">Error: </span>
              {errors[listPath]}
            </p>
          ) : null}
          <ol className="tb-option-list">
            {f.options.map((o, oi) => {
              const op = `${listPath}.${oi}`;
              return (
                <li key={o.uid} className="tb-option">
                  <TextField
                    name={`${op}.label`}
                    label={`Option ${oi + 1}`}
                    value={o.label}
                    onChange={(label) => onChange((x) => relabelOption(x, o.uid, label))}
                    errors={errors}
                    required
                    autoComplete="off"
                  />
                  <TextField
                    name={`${op}.value`}
                    label="Stored as"
                    value={o.value}
                    onChange={(value) =>
                      onChange((x) => ({
                        ...x,
                        options: x.options.map((y) =>
                          y.uid === o.uid ? { ...y, value, valueTouched: true } : y,
                        ),
                      }))
                    }
                    errors={errors}
                    required
                    autoComplete="off"
                    spellCheck={false}
                  />
                  <ReorderControls
                    uid={o.uid}
                    noun="option"
                    index={oi}
                    count={f.options.length}
                    removeName={`Remove option ${oi + 1}`}
                    onMove={(by) => onChange((x) => ({ ...x, options: move(x.options, oi, by) }))}
                    onRemove={() =>
                      onChange((x) => ({ ...x, options: x.options.filter((y) => y.uid !== o.uid) }))
                    }
                  />
                </li>
              );
            })}
          </ol>
          <button
            type="button"
            className="button secondary small"
            id={fieldId(listPath)}
            aria-describedby={errors[listPath] ? `${fieldId(listPath)}-error` : undefined}
            onClick={() =>
              onChange((x) => ({
                ...x,
                options: [...x.options, newOption(x.options, `Option ${x.options.length + 1}`)],
              }))
            }
          >
            Add option
          </button>
        </div>
      ) : null}

      {f.kind === 'scale' ? (
        <div className="field-row tb-bounds">
          <TextField
            name={`${path}.min`}
            label="Lowest value"
            value={f.min}
            onChange={(min) => onChange((x) => ({ ...x, min }))}
            errors={errors}
            required
            inputMode="numeric"
          />
          <TextField
            name={`${path}.max`}
            label="Highest value"
            value={f.max}
            onChange={(max) => onChange((x) => ({ ...x, max }))}
            errors={errors}
            required
            inputMode="numeric"
          />
          <TextField
            name={`${path}.minLabel`}
            label="Label for the lowest value"
            value={f.minLabel}
            onChange={(minLabel) => onChange((x) => ({ ...x, minLabel }))}
            errors={errors}
            autoComplete="off"
          />
          <TextField
            name={`${path}.maxLabel`}
            label="Label for the highest value"
            value={f.maxLabel}
            onChange={(maxLabel) => onChange((x) => ({ ...x, maxLabel }))}
            errors={errors}
            autoComplete="off"
          />
        </div>
      ) : null}

      {f.kind === 'number' ? (
        <>
          <div className="field-row tb-bounds">
            <TextField
              name={`${path}.min`}
              label="Lowest allowed"
              value={f.min}
              onChange={(min) => onChange((x) => ({ ...x, min }))}
              errors={errors}
              inputMode="decimal"
            />
            <TextField
              name={`${path}.max`}
              label="Highest allowed"
              value={f.max}
              onChange={(max) => onChange((x) => ({ ...x, max }))}
              errors={errors}
              inputMode="decimal"
            />
          </div>
          <CheckboxField
            name={`${path}.integer`}
            label="Whole numbers only"
            checked={f.integer}
            onChange={(integer) => onChange((x) => ({ ...x, integer }))}
            errors={errors}
          />
        </>
      ) : null}

      {BLOCK_KINDS.includes(f.kind) ? <p className="hint">{BLOCK_HELP[f.kind]}</p> : null}
    </fieldset>
  );
}
