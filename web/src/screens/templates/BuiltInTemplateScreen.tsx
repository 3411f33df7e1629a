import { useEffect, useState } from 'react';
import { toApiError } from '../../api/http.js';
import { templatesApi, type TemplateDefinition } from '../../api/templatesApi.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link, navigate } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { noteTitle, useNoteOptions } from './noteOptions.js';
import { startFrom } from './startingPoint.js';
import { TemplatePreview } from './TemplatePreview.js';
import './templates.css';

/** A built-in template, read-only, with a way to copy it into a practice template. */
export function BuiltInTemplateScreen({ templateKey }: { templateKey: string }) {
  const { me } = useSession();
  const options = useNoteOptions();
  const [def, setDef] = useState<TemplateDefinition | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    templatesApi
      .list()
      .then((l) => {
        if (!live) return;
        const t = l.builtIn.find((b) => b.key === templateKey);
        if (t) setDef(t);
        else setError('There is no built-in template at this address.');
      })
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [templateKey]);

  if (error)
    return (
      <>
        <PageHeader title="Template" />
        <Alert kind="error">{error}</Alert>
        <Link to="/templates">Back to templates</Link>
      </>
    );
  if (!def) return <p role="status">Loading template…</p>;
  return (
    <>
      <PageHeader title={def.name}>
        {hasRole(me, 'owner', 'admin', 'supervisor') ? (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              startFrom(def);
              navigate('/templates/new');
            }}
          >
            Copy into a new template
          </button>
        ) : null}
        <Link to="/templates" className="button secondary">
          All templates
        </Link>
      </PageHeader>
      <p className="tb-version">
        <strong>Built-in · version {def.version}</strong> — {noteTitle(def.kind, def.format)}. Built-in
        templates are part of Casebook and cannot be changed.
      </p>
      <div className="tb-readonly">
        <TemplatePreview definition={def} options={options} label="Preview" />
      </div>
    </>
  );
}
