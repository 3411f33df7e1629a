import type { z } from 'zod';
import type { sessionView } from '../../../src/http/routes/sessions.js';
import type { noteView } from '../../../src/http/routes/notes.js';

// Clinical shapes are the server's zod output types (type-only imports: no server code in the bundle).
export type SessionView = z.infer<typeof sessionView>;
export type NoteView = z.infer<typeof noteView>;
