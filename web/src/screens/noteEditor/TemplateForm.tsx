import type { FieldDef, TemplateDefinition } from '../../../../src/domain/noteTemplates.js';
import type { NoteOptions } from '../../api/notesApi.js';
import { InterventionsField } from './InterventionsField.js';
import { MentalStatusExamField } from './MentalStatusExamField.js';
import type { Content } from './noteContent.js';
import { RiskAssessmentField } from './RiskAssessmentField.js';
import {
  CheckboxListControl,
  DateControl,
  LongTextControl,
  NumberControl,
  ScaleControl,
  SingleChoiceControl,
  TextControl,
  type FieldProps,
} from './SimpleFields.js';

function FieldControl({
  field,
  options,
  ...p
}: Omit<FieldProps<FieldDef>, 'field'> & { field: FieldDef; options: NoteOptions }) {
  switch (field.kind) {
    case 'text':
      return <TextControl {...p} field={field} />;
    case 'longText':
      return <LongTextControl {...p} field={field} />;
    case 'singleChoice':
      return <SingleChoiceControl {...p} field={field} />;
    case 'multipleChoice':
    case 'checklist':
      return <CheckboxListControl {...p} field={field} />;
    case 'scale':
      return <ScaleControl {...p} field={field} />;
    case 'date':
      return <DateControl {...p} field={field} />;
    case 'number':
      return <NumberControl {...p} field={field} />;
    case 'riskAssessment':
      return <RiskAssessmentField {...p} field={field} options={options} />;
    case 'mentalStatusExam':
      return <MentalStatusExamField {...p} field={field} options={options} />;
    case 'interventions':
      return <InterventionsField {...p} field={field} options={options} />;
  }
}

/** The note's own fields, section by section, as its template defines them. */
export function TemplateForm({
  template,
  content,
  copiedFields,
  errors,
  options,
  onFieldChange,
  onBlur,
  onConfirmCopied,
}: {
  template: TemplateDefinition;
  content: Content;
  copiedFields: readonly string[];
  errors: Record<string, string>;
  options: NoteOptions;
  onFieldChange: (fieldId: string, value: unknown) => void;
  onBlur: () => void;
  onConfirmCopied: (fieldId: string) => void;
}) {
  return (
    <>
      {template.sections.map((s) => (
        <section key={s.id} className="panel note-section" aria-labelledby={`section-${s.id}`}>
          <h2 id={`section-${s.id}`}>{s.title}</h2>
          {s.help ? <p className="hint">{s.help}</p> : null}
          {s.fields.map((f) => (
            <FieldControl
              key={f.id}
              field={f}
              name={`content.${f.id}`}
              value={content[f.id]}
              options={options}
              errors={errors}
              copied={copiedFields.includes(f.id)}
              onChange={(v) => onFieldChange(f.id, v)}
              onBlur={onBlur}
              onConfirmCopied={() => onConfirmCopied(f.id)}
            />
          ))}
        </section>
      ))}
    </>
  );
}
