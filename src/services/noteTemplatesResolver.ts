import * as templatesRepo from '../db/templatesRepo.js';
import type { Queryable } from '../db/database.js';
import {
  builtInTemplate,
  BUILT_IN_KEY_PREFIX,
  templateDefinitionSchema,
  type TemplateDefinition,
} from '../domain/noteTemplates.js';
import { Invalid } from '../domain/errors.js';

/** Practice templates are keyed `practice.<uuid>`; built-ins `builtin.<kind>[.<format>]`. */
export const PRACTICE_KEY_PREFIX = 'practice.';

export function practiceTemplateKey(id: string): string {
  return `${PRACTICE_KEY_PREFIX}${id}`;
}

/**
 * The template a note was (or will be) written with: a built-in, or one saved version of a
 * practice template. A note always names the exact version, so later edits never change it.
 */
export async function resolveTemplate(
  tx: Queryable,
  key: string,
  version: number | null,
): Promise<TemplateDefinition> {
  if (key.startsWith(BUILT_IN_KEY_PREFIX)) {
    const t = builtInTemplate(key);
    if (!t || (version !== null && t.version !== version))
      throw new Invalid('Unknown template', [{ path: 'templateKey', message: 'No such built-in template' }]);
    return t;
  }
  if (key.startsWith(PRACTICE_KEY_PREFIX)) {
    const id = key.slice(PRACTICE_KEY_PREFIX.length);
    if (/^[0-9a-f-]{36}$/.test(id)) {
      const head = await templatesRepo.getTemplate(tx, id);
      if (head) {
        const v = version ?? head.current_version;
        if (version === null && head.archived)
          throw new Invalid('This template is archived', [{ path: 'templateKey', message: 'Archived' }]);
        const def = await templatesRepo.getTemplateVersion(tx, id, v);
        if (def) return templateDefinitionSchema.parse(def);
      }
    }
  }
  throw new Invalid('Unknown template', [{ path: 'templateKey', message: 'No such template' }]);
}
