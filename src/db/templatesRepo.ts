import type { Queryable } from './database.js';

// Practice note templates; each saved change is a new, append-only version.

export interface TemplateRow {
  id: string;
  name: string;
  kind: string;
  format: string | null;
  current_version: number;
  archived: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, kind, format, current_version, archived, created_at, updated_at';

export async function listTemplates(tx: Queryable): Promise<TemplateRow[]> {
  const r = await tx.query<TemplateRow>(`SELECT ${COLUMNS} FROM note_templates ORDER BY name, id`);
  return r.rows;
}

/** Every practice template with the definition of its current version, in one query. */
export async function listTemplatesWithCurrent(
  tx: Queryable,
): Promise<(TemplateRow & { definition: unknown })[]> {
  const r = await tx.query<TemplateRow & { definition: unknown }>(
    `SELECT t.id, t.name, t.kind, t.format, t.current_version, t.archived, t.created_at, t.updated_at, v.definition
       FROM note_templates t
       JOIN note_template_versions v ON v.template_id = t.id AND v.version = t.current_version
      ORDER BY t.archived, t.name, t.id`,
  );
  return r.rows;
}

export async function getTemplate(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<TemplateRow | undefined> {
  const r = await tx.query<TemplateRow>(
    `SELECT ${COLUMNS} FROM note_templates WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function getTemplateVersion(tx: Queryable, id: string, version: number): Promise<unknown> {
  const r = await tx.query<{ definition: unknown }>(
    'SELECT definition FROM note_template_versions WHERE template_id = $1 AND version = $2',
    [id, version],
  );
  return r.rows[0]?.definition;
}

export async function insertTemplate(
  tx: Queryable,
  t: { id: string; practiceId: string; name: string; kind: string; format: string | null; createdBy: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO note_templates (id, practice_id, name, kind, format, created_by) VALUES ($1,$2,$3,$4,$5,$6)`,
    [t.id, t.practiceId, t.name, t.kind, t.format, t.createdBy],
  );
}

export async function insertTemplateVersion(
  tx: Queryable,
  v: { practiceId: string; templateId: string; version: number; definition: unknown; createdBy: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO note_template_versions (practice_id, template_id, version, definition, created_by)
     VALUES ($1,$2,$3,$4,$5)`,
    [v.practiceId, v.templateId, v.version, JSON.stringify(v.definition), v.createdBy],
  );
}

export async function updateTemplateHead(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  patch: { name: string; kind: string; format: string | null; archived: boolean; currentVersion: number },
): Promise<TemplateRow | undefined> {
  const r = await tx.query<TemplateRow>(
    `UPDATE note_templates SET name = $3, kind = $4, format = $5, archived = $6, current_version = $7,
            updated_at = now()
      WHERE id = $1 AND current_version = $2 RETURNING ${COLUMNS}`,
    [id, expectedVersion, patch.name, patch.kind, patch.format, patch.archived, patch.currentVersion],
  );
  return r.rows[0];
}
