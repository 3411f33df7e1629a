import type { z } from 'zod';
import type { GoalProgressSaveInput, RatingScale } from '../../../src/domain/goalProgress.js';
import type { clientGoalProgressView, noteGoalProgressView } from '../../../src/http/routes/goalProgress.js';
import { request } from './http.js';

// The server's zod output types (type-only imports: no server code in the bundle).
export type NoteGoalProgress = z.infer<typeof noteGoalProgressView>;
export type NoteGoal = NoteGoalProgress['goals'][number];
export type GoalRating = NonNullable<NoteGoal['rating']>;
export type ClientGoalProgress = z.infer<typeof clientGoalProgressView>;
export type GoalTrendData = ClientGoalProgress['goals'][number];
/** What a draft save carries in `goalProgress` (PUT /api/v1/notes/:id/draft). */
export type GoalProgressSave = GoalProgressSaveInput;
export type { RatingScale };

/** The five-point scale, stored 1..5 (the server's FIVE_POINT_LEVELS). */
export const FIVE_POINT_LEVELS: readonly { value: number; label: string }[] = [
  { value: 1, label: 'Regressed' },
  { value: 2, label: 'No change' },
  { value: 3, label: 'Some progress' },
  { value: 4, label: 'Significant progress' },
  { value: 5, label: 'Met' },
];

export const goalProgressApi = {
  ofNote: (noteId: string) => request<NoteGoalProgress>('GET', `/api/v1/notes/${noteId}/goal-progress`),
  ofClient: (clientId: string) =>
    request<ClientGoalProgress>('GET', `/api/v1/clients/${clientId}/goal-progress`),
};
