import type { ReactNode } from 'react';
import type { FieldDef, TemplateDefinition } from '../../../../src/domain/noteTemplates.js';
import type { NoteOptions } from '../../api/templatesApi.js';
import { noteTitle } from './noteOptions.js';

/*
 * The form a clinician will fill in, drawn from a template definition as it stands (even a half
 * finished one). The inputs work so the author can try them, but nothing here is ever saved.
 */

function pid(path: string): string {
  return `pv-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function Label({ f, path }: { f: FieldDef; path: string }) {
  return (
    <label htmlFor={pid(path)}>
      {f.label || <span className="muted">(no label)</span>}
      {f.required ? <span className="pv-required"> (required)</span> : null}
    </label>
  );
}

function Help({ text }: { text: string | undefined }) {
  return text ? <p className="hint">{text}</p> : null;
}

function Group({ f, children }: { f: FieldDef; children: ReactNode }) {
  return (
    <fieldset className="pv-group">
      <legend>
        {f.label || <span className="muted">(no label)</span>}
        {f.required ? <span className="pv-required"> (required)</span> : null}
      </legend>
      <Help text={f.help} />
      {children}
    </fieldset>
  );
}

function ChoiceList({
  f,
  path,
  options,
  type,
}: {
  f: FieldDef;
  path: string;
  options: readonly { value: string; label: string }[];
  type: 'radio' | 'checkbox';
}) {
  return (
    <Group f={f}>
      {options.map((o, i) => (
        <div className="pv-choice" key={`${i}-${o.value}`}>
          <input type={type} id={pid(`${path}.${i}`)} name={pid(path)} value={o.value} />
          <label htmlFor={pid(`${path}.${i}`)}>{o.label || <span className="muted">(no text)</span>}</label>
        </div>
      ))}
    </Group>
  );
}

function ScalePreview({ f, path }: { f: Extract<FieldDef, { kind: 'scale' }>; path: string }) {
  const valid = Number.isInteger(f.min) && Number.isInteger(f.max) && f.min < f.max && f.max - f.min <= 100;
  if (!valid)
    return (
      <Group f={f}>
        <p className="muted">Set a lowest and highest value (at most 101 points) to see the scale.</p>
      </Group>
    );
  const points = Array.from({ length: f.max - f.min + 1 }, (_, i) => f.min + i);
  return (
    <Group f={f}>
      <div className="pv-scale">
        {points.map((n) => (
          <span className="pv-scale-point" key={n}>
            <input type="radio" id={pid(`${path}.${n}`)} name={pid(path)} value={n} />
            <label htmlFor={pid(`${path}.${n}`)}>{n}</label>
          </span>
        ))}
      </div>
      {f.minLabel || f.maxLabel ? (
        <p className="pv-scale-ends">
          <span>{f.minLabel ? `${f.min} = ${f.minLabel}` : ''}</span>
          <span>{f.maxLabel ? `${f.max} = ${f.maxLabel}` : ''}</span>
        </p>
      ) : null}
    </Group>
  );
}

function FieldPreview({ f, path, options }: { f: FieldDef; path: string; options: NoteOptions | null }) {
  switch (f.kind) {
    case 'text':
      return (
        <div className="field">
          <Label f={f} path={path} />
          <Help text={f.help} />
          <input type="text" id={pid(path)} />
        </div>
      );
    case 'longText':
      return (
        <div className="field">
          <Label f={f} path={path} />
          <Help text={f.help} />
          <textarea id={pid(path)} rows={3} />
        </div>
      );
    case 'date':
      return (
        <div className="field narrow">
          <Label f={f} path={path} />
          <Help text={f.help} />
          <input type="date" id={pid(path)} />
        </div>
      );
    case 'number':
      return (
        <div className="field narrow">
          <Label f={f} path={path} />
          <Help text={f.help} />
          <input
            type="number"
            id={pid(path)}
            {...(f.min !== undefined ? { min: f.min } : {})}
            {...(f.max !== undefined ? { max: f.max } : {})}
            step={f.integer ? 1 : 'any'}
          />
        </div>
      );
    case 'singleChoice':
      return <ChoiceList f={f} path={path} options={f.options} type="radio" />;
    case 'multipleChoice':
      return <ChoiceList f={f} path={path} options={f.options} type="checkbox" />;
    case 'checklist':
      return <ChoiceList f={f} path={path} options={f.items} type="checkbox" />;
    case 'scale':
      return <ScalePreview f={f} path={path} />;
    case 'riskAssessment':
      return (
        <Group f={f}>
          {(options?.riskItems ?? []).map((item) => (
            <div className="field pv-inline" key={item.value}>
              <label htmlFor={pid(`${path}.${item.value}`)}>{item.label}</label>
              <select id={pid(`${path}.${item.value}`)} defaultValue="">
                <option value="">Not assessed</option>
                {(options?.riskLevels ?? []).map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div className="field">
            <label htmlFor={pid(`${path}.safetyPlan`)}>Safety plan</label>
            <textarea id={pid(`${path}.safetyPlan`)} rows={2} />
          </div>
          <div className="field">
            <label htmlFor={pid(`${path}.notes`)}>Risk notes</label>
            <textarea id={pid(`${path}.notes`)} rows={2} />
          </div>
        </Group>
      );
    case 'mentalStatusExam':
      return (
        <Group f={f}>
          <div className="pv-mse">
            {(options?.mseDomains ?? []).map((d) => (
              <div className="field" key={d.domain}>
                <label htmlFor={pid(`${path}.${d.domain}`)}>{d.label}</label>
                <input type="text" id={pid(`${path}.${d.domain}`)} placeholder={d.options[0] ?? ''} />
              </div>
            ))}
          </div>
        </Group>
      );
    case 'interventions':
      return (
        <Group f={f}>
          <div className="pv-columns">
            {(options?.interventions ?? []).map((o) => (
              <div className="pv-choice" key={o.value}>
                <input type="checkbox" id={pid(`${path}.${o.value}`)} />
                <label htmlFor={pid(`${path}.${o.value}`)}>{o.label}</label>
              </div>
            ))}
          </div>
          <div className="field">
            <label htmlFor={pid(`${path}.other`)}>Other interventions</label>
            <input type="text" id={pid(`${path}.other`)} />
          </div>
        </Group>
      );
  }
}

/** A read-only rendering of the note form a template makes; `label` names the region. */
export function TemplatePreview({
  definition,
  options,
  label = 'Preview',
}: {
  definition: TemplateDefinition;
  options: NoteOptions | null;
  label?: string;
}) {
  return (
    <section className="template-preview" aria-label={label}>
      <p className="pv-caption">{label} · try the form here; nothing you type is saved</p>
      <h2 className="pv-title">{definition.name || <span className="muted">Untitled template</span>}</h2>
      <p className="muted pv-kind">{noteTitle(definition.kind, definition.format)}</p>
      {definition.sections.length === 0 ? <p className="muted">Add a section to see the form.</p> : null}
      {definition.sections.map((s, si) => (
        <section className="pv-section" key={`${si}-${s.id}`} aria-labelledby={pid(`s${si}`)}>
          <h3 id={pid(`s${si}`)}>{s.title || <span className="muted">(untitled section)</span>}</h3>
          <Help text={s.help} />
          {s.fields.length === 0 ? <p className="muted">No fields yet.</p> : null}
          {s.fields.map((f, fi) => (
            <FieldPreview key={`${fi}-${f.id}-${f.kind}`} f={f} path={`${si}.${fi}`} options={options} />
          ))}
        </section>
      ))}
    </section>
  );
}
