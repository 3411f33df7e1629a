import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { FieldKind, NoteKind, ProgressFormat } from '../../../../src/domain/noteTemplates.js';
import { toApiError } from '../../api/http.js';
import { templatesApi, type PracticeTemplate, type TemplateDefinition } from '../../api/templatesApi.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextField, fieldId, type FieldErrors } from '../../components/fields.js';
import { setFlash, takeFlash } from '../../components/flash.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link, navigate } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import {
  FIELD_KIND_CHOICES,
  describePath,
  draftPath,
  draftProblems,
  emptyTemplate,
  fromDefinition,
  move,
  newField,
  newSection,
  relabelField,
  renameSection,
  toDefinition,
  updateField,
  type DraftSection,
  type DraftTemplate,
} from './builderModel.js';
import { SectionEditor } from './SectionEditor.js';
import { takeStartingPoint } from './startingPoint.js';
import { FORMAT_CHOICES, NOTE_KIND_CHOICES, noteTitle, useNoteOptions } from './noteOptions.js';
import { TemplatePreview } from './TemplatePreview.js';
import './templates.css';

interface Saved {
  template: PracticeTemplate;
  definition: TemplateDefinition;
}

/** Puts focus on an element once React has drawn it (after add, move or remove); a disabled one hands over. */
function focusSoon(id: string, fallbackId?: string): void {
  window.requestAnimationFrame(() => {
    const el = document.getElementById(id);
    const usable = el instanceof HTMLButtonElement ? !el.disabled : el !== null;
    (usable ? el : fallbackId ? document.getElementById(fallbackId) : null)?.focus();
  });
}

/** Binds one section's editor to the draft: every change goes through the id-keeping edits of builderModel. */
function SectionEditorFor({
  draft,
  index: si,
  errors,
  edit,
  kinds,
}: {
  draft: DraftTemplate;
  index: number;
  errors: FieldErrors;
  edit: (next: DraftTemplate) => void;
  kinds: readonly { value: FieldKind; label: string }[];
}) {
  const s = draft.sections[si];
  if (!s) return null;
  const setSection = (change: (x: DraftSection) => DraftSection) =>
    edit({ ...draft, sections: draft.sections.map((x) => (x.uid === s.uid ? change(x) : x)) });
  return (
    <SectionEditor
      section={s}
      index={si}
      count={draft.sections.length}
      errors={errors}
      fieldKinds={kinds}
      onRename={(title) => edit(renameSection(draft, s.uid, title))}
      onChange={setSection}
      onMove={(by) => {
        edit({ ...draft, sections: move(draft.sections, si, by) });
        focusSoon(`${by < 0 ? 'up' : 'down'}-${s.uid}`, `${by < 0 ? 'down' : 'up'}-${s.uid}`);
      }}
      onRemove={() => {
        edit({ ...draft, sections: draft.sections.filter((x) => x.uid !== s.uid) });
        focusSoon(fieldId('sections'));
      }}
      onAddField={(kind) => {
        const f = newField(draft, kind);
        setSection((x) => ({ ...x, fields: [...x.fields, f] }));
        focusSoon(fieldId(`sections.${si}.fields.${s.fields.length}.label`));
      }}
      onFieldChange={(uid, change) => edit(updateField(draft, uid, change))}
      onFieldRelabel={(uid, label) => edit(relabelField(draft, uid, label))}
      onFieldMove={(fi, by) => {
        const f = s.fields[fi];
        setSection((x) => ({ ...x, fields: move(x.fields, fi, by) }));
        if (f) focusSoon(`${by < 0 ? 'up' : 'down'}-${f.uid}`, `${by < 0 ? 'down' : 'up'}-${f.uid}`);
      }}
      onFieldRemove={(uid) => {
        setSection((x) => ({ ...x, fields: x.fields.filter((f) => f.uid !== uid) }));
        focusSoon(fieldId(`sections.${si}.fields`));
      }}
    />
  );
}

/** The template builder: sections and fields on the left, the note form they make on the right. */
export function TemplateBuilderScreen({ templateId }: { templateId: string | null }) {
  const { me } = useSession();
  const options = useNoteOptions();
  const canEdit = hasRole(me, 'owner', 'admin', 'supervisor');
  const [draft, setDraft] = useState<DraftTemplate | null>(() =>
    templateId ? null : (takeStartingPoint() ?? emptyTemplate()),
  );
  const [saved, setSaved] = useState<Saved | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [status, setStatus] = useState<string | null>(() => takeFlash());
  const [busy, setBusy] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    if (!templateId) return undefined;
    let live = true;
    templatesApi
      .list()
      .then((list) => {
        if (!live) return;
        const t = list.practice.find((p) => p.id === templateId);
        if (!t) {
          setLoadError('There is no practice template at this address.');
          return;
        }
        setSaved({ template: t, definition: t.definition });
        setDraft(fromDefinition(t.definition));
        setStale(false);
      })
      .catch((err: unknown) => live && setLoadError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [templateId, reloadKey]);

  const version = saved ? saved.template.currentVersion + 1 : 1;
  const definition = useMemo(() => (draft ? toDefinition(draft, version) : null), [draft, version]);
  const dirty =
    definition !== null &&
    (!saved ||
      JSON.stringify({ ...definition, version: 0 }) !== JSON.stringify({ ...saved.definition, version: 0 }));

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (loadError)
    return (
      <>
        <PageHeader title="Template" />
        <Alert kind="error">{loadError}</Alert>
        <Link to="/templates">Back to templates</Link>
      </>
    );
  if (!draft || !definition) return <p role="status">Loading template…</p>;

  const edit = (next: DraftTemplate) => {
    setDraft(next);
    setStatus(null);
  };
  const labels = Object.fromEntries(Object.keys(errors).map((p) => [p, describePath(draft, p)]));

  const save = async (archived?: boolean) => {
    setMessage(null);
    setStatus(null);
    const found = draftProblems(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      if (!saved) {
        const created = await templatesApi.create(definition);
        setFlash(`Template saved as version ${created.currentVersion}.`);
        navigate(`/templates/${created.id}`, { replace: true });
        return;
      }
      const body =
        archived === undefined
          ? { definition }
          : { definition: { ...saved.definition, version: saved.template.currentVersion + 1 }, archived };
      const updated = await templatesApi.update(saved.template.id, saved.template.currentVersion, body);
      setSaved({ template: updated, definition: updated.definition });
      if (archived === undefined) setDraft((d) => (d ? { ...d, key: updated.definition.key } : d));
      setStatus(
        archived === true
          ? `Template archived (version ${updated.currentVersion}). New notes can no longer start from it.`
          : archived === false
            ? `Template restored (version ${updated.currentVersion}).`
            : `Saved as version ${updated.currentVersion}.`,
      );
    } catch (err) {
      const e = toApiError(err);
      if (e.isStale) {
        setStale(true);
        return;
      }
      const next: FieldErrors = {};
      const general: string[] = [];
      for (const fe of e.fieldErrors) {
        const p = draftPath(fe.path);
        if (p) next[p] ??= fe.message;
        else general.push(fe.message);
      }
      setErrors(next);
      setMessage(Object.keys(next).length && general.length === 0 ? null : [e.detail, ...general].join(' '));
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };

  const title = saved ? `Edit template: ${saved.template.name}` : 'New template';
  const sectionCount = draft.sections.length;

  return (
    <>
      <PageHeader title={title}>
        <Link to="/templates" className="button secondary">
          All templates
        </Link>
      </PageHeader>
      <p className="tb-version">
        {saved ? (
          <>
            <strong>Version {saved.template.currentVersion}</strong> — notes keep the version they were
            written with. Saving creates version {version}.
            {saved.template.archived ? <span className="badge badge-inactive">Archived</span> : null}
            <span className="muted">
              {' '}
              Last saved {formatDateTime(saved.template.updatedAt, me.practice.timeZone)}.
            </span>
          </>
        ) : (
          <>
            <strong>New template</strong> — saving creates version 1. Notes keep the version they were written
            with.
          </>
        )}
      </p>
      {status ? <Alert kind="success">{status}</Alert> : null}
      {!canEdit ? <Alert kind="info">Only owners, admins and supervisors can change templates.</Alert> : null}
      {stale ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Someone else saved a newer version of this template</p>
          <p>
            Your changes have not been saved. Copy anything you need, then load the latest version and make
            your change again.
          </p>
          <div className="button-row">
            <button type="button" className="button primary" onClick={() => setReloadKey((k) => k + 1)}>
              Load the latest version
            </button>
          </div>
        </div>
      ) : null}
      <ErrorSummary message={message} errors={errors} labels={labels} />

      <div className="tb-layout">
        <form className="tb-form" onSubmit={onSubmit} noValidate aria-label="Template builder">
          <fieldset>
            <legend>Template</legend>
            <TextField
              name="name"
              label="Template name"
              value={draft.name}
              onChange={(name) => edit({ ...draft, name })}
              errors={errors}
              required
              autoComplete="off"
            />
            {saved ? (
              <p className="tb-fixed">
                {noteTitle(draft.kind, draft.format)}{' '}
                <span className="muted">
                  — a template keeps its kind and format; make a new one to change them.
                </span>
              </p>
            ) : (
              <div className="field-row">
                <SelectField<NoteKind>
                  name="kind"
                  label="Kind of note"
                  value={draft.kind}
                  options={NOTE_KIND_CHOICES}
                  onChange={(kind) =>
                    edit({ ...draft, kind, format: kind === 'progress' ? (draft.format ?? 'soap') : null })
                  }
                  errors={errors}
                  required
                />
                {draft.kind === 'progress' ? (
                  <SelectField<ProgressFormat>
                    name="format"
                    label="Format"
                    value={draft.format ?? 'soap'}
                    options={FORMAT_CHOICES}
                    onChange={(format) => edit({ ...draft, format })}
                    errors={errors}
                    required
                  />
                ) : null}
              </div>
            )}
          </fieldset>

          <h2 className="tb-heading">Sections</h2>
          {draft.sections.map((s, si) => (
            <SectionEditorFor
              key={s.uid}
              draft={draft}
              index={si}
              errors={errors}
              edit={edit}
              kinds={FIELD_KIND_CHOICES}
            />
          ))}
          <div className={`tb-add-section${errors.sections ? ' has-error' : ''}`}>
            {errors.sections ? (
              <p className="field-error" id={`${fieldId('sections')}-error`}>
                <span className="visually-hidden">Error: </span>
                {errors.sections}
              </p>
            ) : null}
            <button
              type="button"
              className="button secondary"
              id={fieldId('sections')}
              onClick={() => {
                const s = newSection(draft);
                edit({ ...draft, sections: [...draft.sections, s] });
                focusSoon(fieldId(`sections.${sectionCount}.title`));
              }}
            >
              Add section
            </button>
          </div>

          {canEdit ? (
            <div className="button-row tb-save">
              <button type="submit" className="button primary" disabled={busy || stale}>
                {busy ? 'Saving…' : saved ? `Save as version ${version}` : 'Save template'}
              </button>
              {saved ? (
                <button
                  type="button"
                  className="button secondary"
                  disabled={busy || stale || dirty}
                  title={dirty ? 'Save or undo your changes first' : undefined}
                  onClick={() => void save(!saved.template.archived)}
                >
                  {saved.template.archived ? 'Restore template' : 'Archive template'}
                </button>
              ) : null}
              {dirty ? <span className="muted">Unsaved changes</span> : null}
            </div>
          ) : null}
        </form>

        <aside className="tb-preview-column">
          <TemplatePreview definition={definition} options={options} label="Live preview" />
        </aside>
      </div>
    </>
  );
}
