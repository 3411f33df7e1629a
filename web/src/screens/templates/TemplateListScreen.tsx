import { useEffect, useState } from 'react';
import { toApiError } from '../../api/http.js';
import { templatesApi, type TemplateList } from '../../api/templatesApi.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { noteTitle } from './noteOptions.js';
import './templates.css';

/** Built-in templates (read-only) and the practice's own, with their current version. */
export function TemplateListScreen() {
  const { me } = useSession();
  const [list, setList] = useState<TemplateList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canEdit = hasRole(me, 'owner', 'admin', 'supervisor');

  useEffect(() => {
    let live = true;
    templatesApi
      .list()
      .then((l) => live && setList(l))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <PageHeader title="Note templates">
        {canEdit ? (
          <Link to="/templates/new" className="button primary">
            New template
          </Link>
        ) : null}
      </PageHeader>
      <p className="lead">
        A template sets the sections and fields of a note. Each save makes a new version; a note keeps the
        version it was written with, so changing a template never changes a note.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!list && !error ? <p role="status">Loading templates…</p> : null}
      {list ? (
        <>
          <section className="panel" aria-labelledby="practice-templates">
            <h2 id="practice-templates">Practice templates</h2>
            {list.practice.length === 0 ? (
              <p className="muted">
                The practice has no templates of its own yet.
                {canEdit ? ' Start one with “New template”, or copy a built-in one.' : ''}
              </p>
            ) : (
              <div className="table-wrap" tabIndex={0} role="region" aria-label="Practice templates table">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Version</th>
                      <th scope="col">Status</th>
                      <th scope="col">Last saved</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.practice.map((t) => (
                      <tr key={t.id} className={t.archived ? 'inactive-row' : undefined}>
                        <th scope="row">
                          <Link to={`/templates/${t.id}`}>{t.name}</Link>
                        </th>
                        <td>{noteTitle(t.kind, t.format)}</td>
                        <td>{t.currentVersion}</td>
                        <td>
                          {t.archived ? (
                            <span className="badge badge-inactive">Archived</span>
                          ) : (
                            <span className="badge badge-active">In use</span>
                          )}
                        </td>
                        <td>{formatDateTime(t.updatedAt, me.practice.timeZone)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="panel" aria-labelledby="builtin-templates">
            <h2 id="builtin-templates">Built-in templates</h2>
            <p className="muted">
              Part of Casebook; they cannot be changed, but you can copy one and adapt it.
            </p>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Built-in templates table">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Version</th>
                    <th scope="col">Sections</th>
                  </tr>
                </thead>
                <tbody>
                  {list.builtIn.map((t) => (
                    <tr key={t.key}>
                      <th scope="row">
                        <Link to={`/templates/${t.key}`}>{t.name}</Link>
                      </th>
                      <td>{noteTitle(t.kind, t.format)}</td>
                      <td>{t.version}</td>
                      <td>{t.sections.map((s) => s.title).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}
    </>
  );
}
