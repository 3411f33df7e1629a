import type { TemplateDefinition } from '../../api/templatesApi.js';
import { fromDefinition, type DraftTemplate } from './builderModel.js';

// "Copy into a new template" hands a built-in to the builder in memory (never the URL or storage).
let pending: DraftTemplate | null = null;

/** Opens the builder next with a copy of this template (a new key, named "… (copy)"). */
export function startFrom(def: TemplateDefinition): void {
  const draft = fromDefinition(def);
  pending = { ...draft, key: 'practice.new', name: `${def.name} (copy)` };
}

export function takeStartingPoint(): DraftTemplate | null {
  const d = pending;
  pending = null;
  return d;
}
