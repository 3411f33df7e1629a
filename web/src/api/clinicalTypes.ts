import type { z } from 'zod';
import type { sessionView } from '../../../src/http/routes/sessions.js';
import type { noteView } from '../../../src/http/routes/notes.js';

// Clinical shapes are the server's zod output types (type-only imports: no server code in the bundle).
export type SessionView = z.infer<typeof sessionView>;
export type NoteView = z.infer<typeof noteView>;

// Psychotherapy notes, calendar feed, note templates, code sets.
import type {
  psychotherapyNotePage,
  psychotherapyNoteView,
} from '../../../src/http/routes/psychotherapyNotes.js';
import type { calendarFeedCreated, calendarFeedStatusView } from '../../../src/http/routes/calendarFeeds.js';
import type { practiceTemplateView, templateCatalogView } from '../../../src/http/routes/templates.js';
import type { cptCodesView, icd10SearchView, noteOptionsView } from '../../../src/http/routes/codes.js';

export type PsychotherapyNoteView = z.infer<typeof psychotherapyNoteView>;
export type PsychotherapyNotePage = z.infer<typeof psychotherapyNotePage>;
export type CalendarFeedStatus = z.infer<typeof calendarFeedStatusView>;
export type CalendarFeedCreated = z.infer<typeof calendarFeedCreated>;
export type PracticeTemplateView = z.infer<typeof practiceTemplateView>;
export type TemplateCatalog = z.infer<typeof templateCatalogView>;
export type Icd10Search = z.infer<typeof icd10SearchView>;
export type CptCodeList = z.infer<typeof cptCodesView>;
export type NoteOptions = z.infer<typeof noteOptionsView>;

// Documentation dashboard, co-signature queue, compliance, chart timeline, note search.
import type {
  complianceView,
  cosignItemView,
  documentationCountsView,
  documentationDashboardView,
} from '../../../src/http/routes/documentation.js';
import type { chartPageView, noteSearchPageView } from '../../../src/http/routes/chart.js';

export type DocumentationDashboardView = z.infer<typeof documentationDashboardView>;
export type DocumentationCountsView = z.infer<typeof documentationCountsView>;
export type CosignQueueItem = z.infer<typeof cosignItemView>;
export type ComplianceReportView = z.infer<typeof complianceView>;
export type ChartPageView = z.infer<typeof chartPageView>;
export type NoteSearchPageView = z.infer<typeof noteSearchPageView>;
