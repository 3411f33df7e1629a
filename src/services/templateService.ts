import * as templatesRepo from '../db/templatesRepo.js';
import type { TemplateRow } from '../db/templatesRepo.js';
import type { Tx } from '../db/database.js';
import { newId } from '../security/ids.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import {
  BUILT_IN_TEMPLATES,
  templateDefinitionSchema,
  validateTemplateDefinition,
  type TemplateDefinition,
} from '../domain/noteTemplates.js';
import { AccessDenied, auditAs, inPractice, type AuditFacts, type Ctx } from './context.js';
import { practiceTemplateKey } from './noteTemplatesResolver.js';

// Practice note templates. Every saved change is a new version and old versions stay readable,
// because a note keeps the exact version it was written with.

export interface PracticeTemplateView {
  id: string;
  key: string;
  name: string;
  kind: TemplateDefinition['kind'];
  format: TemplateDefinition['format'];
  currentVersion: number;
  archived: boolean;
  updatedAt: string;
  definition: TemplateDefinition;
}

export interface TemplateCatalog {
  builtIn: TemplateDefinition[];
  practice: PracticeTemplateView[];
}

function toView(row: TemplateRow, definition: TemplateDefinition): PracticeTemplateView {
  return {
    id: row.id,
    key: practiceTemplateKey(row.id),
    name: definition.name,
    kind: definition.kind,
    format: definition.format,
    currentVersion: row.current_version,
    archived: row.archived,
    updatedAt: row.updated_at.toISOString(),
    definition,
  };
}

function templateFacts(action: string, id?: string): AuditFacts {
  return { action, category: 'note_template', entityType: 'note_template', ...(id && { entityId: id }) };
}

function requireManager(ctx: Ctx, action: string, id?: string): void {
  const d = decidePracticeAction(ctx.actor, 'templates.manage');
  if (!d.allowed) throw new AccessDenied(d.reason, templateFacts(action, id));
}

/**
 * The definition as the server will store it: the key and version are the server's to give
 * (whatever the builder sent), then every problem is reported with its path under "definition".
 */
function checkedDefinition(sent: Record<string, unknown>, id: string, version: number): TemplateDefinition {
  const result = validateTemplateDefinition({ ...sent, key: practiceTemplateKey(id), version });
  if (result.ok) return result.value;
  throw new Invalid(
    'The template has problems',
    result.errors.map((e) => ({ path: e.path ? `definition.${e.path}` : 'definition', message: e.message })),
  );
}

async function storedDefinition(tx: Tx, id: string, version: number): Promise<TemplateDefinition | null> {
  const def = await templatesRepo.getTemplateVersion(tx, id, version);
  return def === undefined ? null : templateDefinitionSchema.parse(def);
}

/** Built-in templates and the practice's own (archived ones too, for old notes and for restoring). */
export async function listNoteTemplates(ctx: Ctx): Promise<TemplateCatalog> {
  return inPractice(ctx, async (tx) => {
    const rows = await templatesRepo.listTemplatesWithCurrent(tx);
    return {
      builtIn: [...BUILT_IN_TEMPLATES],
      practice: rows.map((r) => toView(r, templateDefinitionSchema.parse(r.definition))),
    };
  });
}

/** One saved version: old versions stay readable so every note renders as it was written. */
export async function noteTemplateVersion(
  ctx: Ctx,
  id: string,
  version: number,
): Promise<TemplateDefinition> {
  return inPractice(ctx, async (tx) => {
    const def = await storedDefinition(tx, id, version);
    if (!def) throw new NotFound('Template version');
    return def;
  });
}

export async function createNoteTemplate(
  ctx: Ctx,
  sent: Record<string, unknown>,
): Promise<PracticeTemplateView> {
  return inPractice(ctx, async (tx) => {
    const action = 'note_template.create';
    requireManager(ctx, action);
    const id = newId();
    const definition = checkedDefinition(sent, id, 1);
    await templatesRepo.insertTemplate(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      name: definition.name,
      kind: definition.kind,
      format: definition.format,
      createdBy: ctx.actor.userId,
    });
    await templatesRepo.insertTemplateVersion(tx, {
      practiceId: ctx.actor.practiceId,
      templateId: id,
      version: 1,
      definition,
      createdBy: ctx.actor.userId,
    });
    const row = await templatesRepo.getTemplate(tx, id);
    if (!row) throw new NotFound('Template');
    await auditAs(tx, ctx, {
      ...templateFacts(action, id),
      details: { version: 1, kind: definition.kind, format: definition.format },
    });
    return toView(row, definition);
  });
}

export interface TemplateUpdate {
  definition: Record<string, unknown>;
  archived?: boolean | undefined;
}

/**
 * Saves a change as a new version (the versions table refuses UPDATE and DELETE). The kind and
 * format stay as they were: notes of one kind must not turn into another by editing a template.
 */
export async function updateNoteTemplate(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  u: TemplateUpdate,
): Promise<PracticeTemplateView> {
  return inPractice(ctx, async (tx) => {
    const action = 'note_template.update';
    requireManager(ctx, action, id);
    const head = await templatesRepo.getTemplate(tx, id, true);
    if (!head) throw new NotFound('Template');
    const stale = async () => {
      const current = await storedDefinition(tx, id, head.current_version);
      return new StaleVersion(head.current_version, current && toView(head, current), {
        action,
        category: 'note_template',
        entityType: 'note_template',
        entityId: id,
      });
    };
    if (head.current_version !== expectedVersion) throw await stale();
    const version = head.current_version + 1;
    const definition = checkedDefinition(u.definition, id, version);
    const changed: { path: string; message: string }[] = [];
    if (definition.kind !== head.kind)
      changed.push({
        path: 'definition.kind',
        message: 'A template keeps its kind; make a new template instead',
      });
    if (definition.format !== head.format)
      changed.push({
        path: 'definition.format',
        message: 'A template keeps its format; make a new template instead',
      });
    if (changed.length > 0) throw new Invalid('The template has problems', changed);
    await templatesRepo.insertTemplateVersion(tx, {
      practiceId: ctx.actor.practiceId,
      templateId: id,
      version,
      definition,
      createdBy: ctx.actor.userId,
    });
    const archived = u.archived ?? head.archived;
    const updated = await templatesRepo.updateTemplateHead(tx, id, expectedVersion, {
      name: definition.name,
      kind: definition.kind,
      format: definition.format,
      archived,
      currentVersion: version,
    });
    if (!updated) throw await stale();
    await auditAs(tx, ctx, { ...templateFacts(action, id), details: { version, archived } });
    return toView(updated, definition);
  });
}
