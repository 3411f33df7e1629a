import { useState } from 'react';
import type { FieldKind } from '../../../../src/domain/noteTemplates.js';
import { TextField, fieldId, type FieldErrors } from '../../components/fields.js';
import type { DraftField, DraftSection } from './builderModel.js';
import { FieldEditor } from './FieldEditor.js';
import { ReorderControls } from './ReorderControls.js';

/** One section: title, id, help, its fields in order, and a picker to add a field of any kind. */
export function SectionEditor({
  section: s,
  index,
  count,
  errors,
  fieldKinds,
  onRename,
  onChange,
  onMove,
  onRemove,
  onAddField,
  onFieldChange,
  onFieldRelabel,
  onFieldMove,
  onFieldRemove,
}: {
  section: DraftSection;
  index: number;
  count: number;
  errors: FieldErrors;
  fieldKinds: readonly { value: FieldKind; label: string }[];
  onRename: (title: string) => void;
  onChange: (change: (s: DraftSection) => DraftSection) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  onAddField: (kind: FieldKind) => void;
  onFieldChange: (uid: string, change: (f: DraftField) => DraftField) => void;
  onFieldRelabel: (uid: string, label: string) => void;
  onFieldMove: (fieldIndex: number, by: -1 | 1) => void;
  onFieldRemove: (uid: string) => void;
}) {
  const [kind, setKind] = useState<FieldKind>('longText');
  const path = `sections.${index}`;
  const n = index + 1;
  const fieldsPath = `${path}.fields`;
  const kindLabel = (k: FieldKind) => fieldKinds.find((x) => x.value === k)?.label ?? k;
  return (
    <fieldset className="tb-section" id={`section-${s.uid}`}>
      <legend>Section {n}</legend>
      <ReorderControls
        uid={s.uid}
        noun="section"
        index={index}
        count={count}
        groupLabel={`Section ${n} actions`}
        removeName={`Remove section ${n}${s.title ? ` (${s.title})` : ''}`}
        removeText="Remove section"
        onMove={onMove}
        onRemove={onRemove}
      />
      <div className="field-row">
        <TextField
          name={`${path}.title`}
          label="Section title"
          value={s.title}
          onChange={onRename}
          errors={errors}
          required
          autoComplete="off"
        />
        <TextField
          name={`${path}.id`}
          label="Section id"
          value={s.id}
          onChange={(id) => onChange((x) => ({ ...x, id, idTouched: true }))}
          errors={errors}
          required
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <TextField
        name={`${path}.help`}
        label="Section guidance"
        hint="Shown under the section title in the note."
        value={s.help}
        onChange={(help) => onChange((x) => ({ ...x, help }))}
        errors={errors}
        autoComplete="off"
      />

      {s.fields.map((f, fi) => (
        <FieldEditor
          key={f.uid}
          field={f}
          path={`${fieldsPath}.${fi}`}
          index={fi}
          count={s.fields.length}
          kindLabel={kindLabel(f.kind)}
          errors={errors}
          onChange={(change) => onFieldChange(f.uid, change)}
          onRelabel={(label) => onFieldRelabel(f.uid, label)}
          onMove={(by) => onFieldMove(fi, by)}
          onRemove={() => onFieldRemove(f.uid)}
        />
      ))}
      {s.fields.length === 0 ? <p className="muted">No fields yet.</p> : null}

      <div className={`tb-add-field${errors[fieldsPath] ? ' has-error' : ''}`}>
        <div className="field">
          <label htmlFor={fieldId(fieldsPath)}>Kind of field to add</label>
          {errors[fieldsPath] ? (
            <p className="field-error" id={`${fieldId(fieldsPath)}-error`}>
              <span className="visually-hidden">Error: </span>
              {errors[fieldsPath]}
            </p>
          ) : null}
          <select
            id={fieldId(fieldsPath)}
            value={kind}
            onChange={(e) => setKind(e.target.value as FieldKind)}
            aria-describedby={errors[fieldsPath] ? `${fieldId(fieldsPath)}-error` : undefined}
          >
            {fieldKinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button secondary"
          onClick={() => onAddField(kind)}
          aria-label={`Add field to section ${n}`}
        >
          Add field
        </button>
      </div>
    </fieldset>
  );
}
