import type { ClientImportPreview } from '../../api/importsApi.js';
import './clientImport.css';

/** The first rows as they will be imported; a cell with a problem is marked and says what it is. */
export function ImportPreviewTable({ preview }: { preview: ClientImportPreview }) {
  const fields = preview.mapping.filter((m): m is string => Boolean(m));
  const label = (key: string) => preview.fields.find((f) => f.key === key)?.label ?? key;
  return (
    <div
      className="table-wrap"
      tabIndex={0}
      role="region"
      aria-label="Preview of the first rows (scrolls sideways)"
    >
      <table className="data-table compact import-preview">
        <caption className="visually-hidden">
          First {preview.rows.length} of {preview.rowCount} rows as they will be imported
        </caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            {fields.map((f) => (
              <th scope="col" key={f}>
                {label(f)}
              </th>
            ))}
            <th scope="col">Problems with the row</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => {
            const rowErrors = r.errors.filter((e) => !e.field);
            return (
              <tr key={r.row} className={r.errors.length ? 'has-row-error' : undefined}>
                <th scope="row">{r.row}</th>
                {fields.map((f) => {
                  const err = r.errors.find((e) => e.field === f);
                  return (
                    <td key={f} className={err ? 'cell-error' : undefined}>
                      {r.values[f] ?? ''}
                      {err ? (
                        <span className="cell-error-text">
                          <span className="visually-hidden">Error: </span>
                          {err.message}
                        </span>
                      ) : null}
                    </td>
                  );
                })}
                <td className={rowErrors.length ? 'cell-error' : undefined}>
                  {rowErrors.map((e, i) => (
                    <span className="cell-error-text" key={i}>
                      {e.message}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
