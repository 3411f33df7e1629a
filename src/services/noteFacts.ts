import type { SessionRow } from '../db/sessionsRepo.js';
import type { PracticeRow } from '../db/practicesRepo.js';
import { suggestCpt, type Modality, type ServiceType } from '../domain/cptTimeRule.js';
import { documentedMinutes, placeOfService, type CptCode } from './sessionService.js';

/**
 * The session facts a note carries itself, so nobody retypes them and the signed note stands
 * alone: when, how long, how, where, who (by role, never another client's name), which code.
 */
export interface SessionFacts {
  serviceType: ServiceType | null;
  start: string | null;
  end: string | null;
  minutes: number | null;
  modality: Modality | null;
  location: string | null;
  clientAtHome: boolean;
  placeOfService: string | null;
  participants: string[];
  interactiveComplexity: boolean;
  cpt: CptCode[];
  cptSuggested: CptCode[];
  cptReason: string;
  cptOverrideReason: string | null;
}

export interface FactsInput {
  start?: string | null;
  end?: string | null;
  modality?: Modality | null;
  location?: string | null;
  clientAtHome?: boolean;
  participants?: string[];
  interactiveComplexity?: boolean;
  cptOverride?: { codes: CptCode[]; reason: string } | null;
}

/**
 * Participants as a note may name them: the client, the session's other participants by role,
 * and for a group only the number of members, so no member's identity reaches another's note.
 */
export function participantsFor(session: SessionRow, memberCount: number): string[] {
  const lead = session.service_type === 'group' ? [`Group session: ${memberCount} members`] : ['Client'];
  return [...lead, ...session.other_participants];
}

/** Kinds of note that document a billable service; a contact note (e.g. a no-show) bills no code. */
export const BILLABLE_KINDS: ReadonlySet<string> = new Set(['progress', 'intake', 'crisis']);

export function factsFromSession(
  session: SessionRow,
  memberCount: number,
  practice: PracticeRow,
  billable: boolean,
): SessionFacts {
  return computeFacts(
    {
      serviceType: session.service_type as ServiceType,
      start: (session.actual_start ?? session.scheduled_start).toISOString(),
      end: (session.actual_end ?? session.scheduled_end).toISOString(),
      modality: session.modality as Modality,
      location: session.location,
      clientAtHome: session.client_at_home,
      participants: participantsFor(session, memberCount),
      interactiveComplexity: session.interactive_complexity,
      cptOverride: session.cpt_override
        ? { codes: session.cpt_override, reason: session.cpt_override_reason ?? '' }
        : null,
    },
    practice,
    billable,
  );
}

/** Derives minutes, place of service and the CPT suggestion from what the clinician documented. */
export function computeFacts(
  f: Required<Omit<FactsInput, 'cptOverride'>> & {
    serviceType: ServiceType | null;
    cptOverride: FactsInput['cptOverride'];
  },
  practice: PracticeRow,
  billable: boolean,
): SessionFacts {
  const start = f.start ? new Date(f.start) : null;
  const end = f.end ? new Date(f.end) : null;
  const minutes = documentedMinutes(start, end);
  const modality = f.modality;
  const suggestion = !billable
    ? {
        codes: [],
        placeOfService: practice.office_place_of_service,
        reason: 'This kind of note is not billed',
      }
    : f.serviceType && modality
      ? suggestCpt({
          serviceType: f.serviceType,
          minutes,
          modality,
          clientAtHome: f.clientAtHome,
          interactiveComplexity: f.interactiveComplexity,
          officePos: practice.office_place_of_service,
        })
      : {
          codes: [],
          placeOfService: practice.office_place_of_service,
          reason: 'No session: no code suggested',
        };
  return {
    serviceType: f.serviceType,
    start: start?.toISOString() ?? null,
    end: end?.toISOString() ?? null,
    minutes,
    modality,
    location: f.location,
    clientAtHome: f.clientAtHome,
    placeOfService: modality ? placeOfService(modality, f.clientAtHome, practice) : null,
    participants: f.participants,
    interactiveComplexity: f.interactiveComplexity,
    cpt: f.cptOverride && billable ? f.cptOverride.codes : suggestion.codes,
    cptSuggested: suggestion.codes,
    cptReason: suggestion.reason,
    cptOverrideReason: billable ? (f.cptOverride?.reason ?? null) : null,
  };
}

/** Applies the clinician's edits to the facts already on a draft and recomputes what follows. */
export function editFacts(
  current: SessionFacts,
  edit: FactsInput,
  practice: PracticeRow,
  billable: boolean,
): SessionFacts {
  const overrideNow: FactsInput['cptOverride'] =
    current.cptOverrideReason !== null ? { codes: current.cpt, reason: current.cptOverrideReason } : null;
  return computeFacts(
    {
      serviceType: current.serviceType,
      start: edit.start !== undefined ? edit.start : current.start,
      end: edit.end !== undefined ? edit.end : current.end,
      modality: edit.modality !== undefined ? edit.modality : current.modality,
      location: edit.location !== undefined ? edit.location : current.location,
      clientAtHome: edit.clientAtHome ?? current.clientAtHome,
      participants: edit.participants ?? current.participants,
      interactiveComplexity: edit.interactiveComplexity ?? current.interactiveComplexity,
      cptOverride: edit.cptOverride !== undefined ? edit.cptOverride : overrideNow,
    },
    practice,
    billable,
  );
}
