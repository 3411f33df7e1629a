import type { z } from 'zod';
import { request } from './http.js';
import type { TemplateDefinition } from '../../../src/domain/noteTemplates.js';
import type { practiceTemplateView, templateCatalogView } from '../../../src/http/routes/templates.js';
import type { noteOptionsView } from '../../../src/http/routes/codes.js';

export type { TemplateDefinition };

// The server's zod output types (type-only imports: no server code in the bundle).
export type PracticeTemplate = z.infer<typeof practiceTemplateView>;
export type TemplateList = z.infer<typeof templateCatalogView>;

/** Labelled pick lists for note forms (the web bundle holds no copy of the server's lists). */
export type NoteOptions = z.infer<typeof noteOptionsView>;

/** Note templates (built-in and the practice's own, with versions) and the note vocabulary. */
export const templatesApi = {
  list: () => request<TemplateList>('GET', '/api/v1/note-templates'),
  version: (id: string, version: number) =>
    request<TemplateDefinition>('GET', `/api/v1/note-templates/${id}/versions/${version}`),
  create: (definition: TemplateDefinition) =>
    request<PracticeTemplate>('POST', '/api/v1/note-templates', { body: { definition } }),
  update: (id: string, version: number, body: { definition: TemplateDefinition; archived?: boolean }) =>
    request<PracticeTemplate>('PUT', `/api/v1/note-templates/${id}`, { body, version }),
  noteOptions: () => request<NoteOptions>('GET', '/api/v1/codes/note-options'),
};
