import { describe, expect, it } from 'vitest';
import type { Role } from '../domain/roles.js';
import {
  clientVisibility,
  decideClientAction,
  decidePracticeAction,
  type Actor,
  type ClientAction,
  type ClientRelation,
  type PracticeAction,
} from './accessPolicy.js';

/**
 * The whole decision table for client records, written out by hand from the design (not
 * derived from the code under test). Relation columns, in order:
 *   T = on the care team (not primary)   P = primary clinician (and on the team)
 *   S = supervises a care-team member     G = break-glass access active   N = no relation
 * Each cell is 5 characters, one per relation: y = allowed, . = refused. Two cells per action:
 * adminsSeeAllClients off, then on.
 */
const RELATIONS: Record<'T' | 'P' | 'S' | 'G' | 'N', ClientRelation> = {
  T: { onCareTeam: true, isPrimary: false, supervisesCareTeamMember: false, breakGlassActive: false },
  P: { onCareTeam: true, isPrimary: true, supervisesCareTeamMember: false, breakGlassActive: false },
  S: { onCareTeam: false, isPrimary: false, supervisesCareTeamMember: true, breakGlassActive: false },
  G: { onCareTeam: false, isPrimary: false, supervisesCareTeamMember: false, breakGlassActive: true },
  N: { onCareTeam: false, isPrimary: false, supervisesCareTeamMember: false, breakGlassActive: false },
};
const REL_ORDER = ['T', 'P', 'S', 'G', 'N'] as const;

// Record<ClientAction, ...> makes the type checker refuse a table that misses an action.
type Row = Record<ClientAction, [off: string, on: string]>;

//                                   T P S G N    T P S G N
const CLINICIAN: Row = {
  'client.create': ['yyyyy', 'yyyyy'],
  'client.readDemographics': ['yy.y.', 'yy.y.'],
  'client.updateDemographics': ['yy...', 'yy...'],
  'client.readBackground': ['yy.y.', 'yy.y.'],
  'client.updateBackground': ['yy...', 'yy...'],
  'client.changeStatus': ['.y...', '.y...'],
  'client.manageCareTeam': ['.y...', '.y...'],
  'client.breakGlass': ['..yyy', '..yyy'],
  'client.readSchedule': ['yy.y.', 'yy.y.'],
  'client.schedule': ['yy...', 'yy...'],
  'client.readNotes': ['yy.y.', 'yy.y.'],
  'client.readDiagnoses': ['yy.y.', 'yy.y.'],
  'client.writeNotes': ['yy...', 'yy...'],
  'client.writePsychotherapyNotes': ['yy...', 'yy...'],
  // Copy and amendment requests (164.524/164.526): the front desk may only log a copy request.
  'client.logCopyRequest': ['yy...', 'yy...'],
  'client.readRecordRequests': ['yy...', 'yy...'],
  'client.manageRecordRequests': ['yy...', 'yy...'],
  // Consents and releases (issue 5): the front desk records consents to care only (checked by
  // the service); releases stay with the care team; auditors read the disclosure log.
  'client.readConsents': ['yy.y.', 'yy.y.'],
  'client.recordConsent': ['yy...', 'yy...'],
  'client.release': ['yy...', 'yy...'],
  'client.readDisclosures': ['yy.y.', 'yy.y.'],
};
// A supervisor is clinical too, and also reaches the clients of their supervisees, read only.
const SUPERVISOR: Row = {
  'client.create': ['yyyyy', 'yyyyy'],
  'client.readDemographics': ['yyyy.', 'yyyy.'],
  'client.updateDemographics': ['yy...', 'yy...'],
  'client.readBackground': ['yyyy.', 'yyyy.'],
  'client.updateBackground': ['yy...', 'yy...'],
  'client.changeStatus': ['.y...', '.y...'],
  'client.manageCareTeam': ['.y...', '.y...'],
  'client.breakGlass': ['..yyy', '..yyy'],
  'client.readSchedule': ['yyyy.', 'yyyy.'],
  'client.schedule': ['yy...', 'yy...'],
  'client.readNotes': ['yyyy.', 'yyyy.'],
  'client.readDiagnoses': ['yyyy.', 'yyyy.'],
  'client.writeNotes': ['yy...', 'yy...'],
  'client.writePsychotherapyNotes': ['yy...', 'yy...'],
  'client.logCopyRequest': ['yy...', 'yy...'],
  'client.readRecordRequests': ['yy...', 'yy...'],
  'client.manageRecordRequests': ['yy...', 'yy...'],
  'client.readConsents': ['yyyy.', 'yyyy.'],
  'client.recordConsent': ['yy...', 'yy...'],
  'client.release': ['yy...', 'yy...'],
  'client.readDisclosures': ['yyyy.', 'yyyy.'],
};
// Owners and admins reach clients only when the practice setting allows; never the narrative's edit.
const MANAGER: Row = {
  'client.create': ['yyyyy', 'yyyyy'],
  'client.readDemographics': ['.....', 'yyyyy'],
  'client.updateDemographics': ['.....', 'yyyyy'],
  'client.readBackground': ['.....', 'yyyyy'],
  'client.updateBackground': ['.....', '.....'],
  'client.changeStatus': ['.....', 'yyyyy'],
  'client.manageCareTeam': ['.....', 'yyyyy'],
  'client.breakGlass': ['.....', '.....'],
  'client.readSchedule': ['.....', 'yyyyy'],
  'client.schedule': ['.....', 'yyyyy'],
  'client.readNotes': ['.....', 'yyyyy'],
  'client.readDiagnoses': ['.....', 'yyyyy'],
  'client.writeNotes': ['.....', '.....'],
  'client.writePsychotherapyNotes': ['.....', '.....'],
  'client.logCopyRequest': ['.....', 'yyyyy'],
  'client.readRecordRequests': ['.....', 'yyyyy'],
  'client.manageRecordRequests': ['.....', 'yyyyy'],
  'client.readConsents': ['.....', 'yyyyy'],
  'client.recordConsent': ['.....', 'yyyyy'],
  'client.release': ['.....', 'yyyyy'],
  'client.readDisclosures': ['.....', 'yyyyy'],
};
const BILLER: Row = {
  'client.create': ['.....', '.....'],
  'client.readDemographics': ['yyyyy', 'yyyyy'],
  'client.updateDemographics': ['.....', '.....'],
  'client.readBackground': ['.....', '.....'],
  'client.updateBackground': ['.....', '.....'],
  'client.changeStatus': ['.....', '.....'],
  'client.manageCareTeam': ['.....', '.....'],
  'client.breakGlass': ['.....', '.....'],
  'client.readSchedule': ['yyyyy', 'yyyyy'],
  'client.schedule': ['.....', '.....'],
  'client.readNotes': ['.....', '.....'],
  'client.readDiagnoses': ['yyyyy', 'yyyyy'],
  'client.writeNotes': ['.....', '.....'],
  'client.writePsychotherapyNotes': ['.....', '.....'],
  'client.logCopyRequest': ['.....', '.....'],
  'client.readRecordRequests': ['.....', '.....'],
  'client.manageRecordRequests': ['.....', '.....'],
  'client.readConsents': ['.....', '.....'],
  'client.recordConsent': ['.....', '.....'],
  'client.release': ['.....', '.....'],
  'client.readDisclosures': ['.....', '.....'],
};
const SCHEDULER: Row = {
  'client.create': ['yyyyy', 'yyyyy'],
  'client.readDemographics': ['yyyyy', 'yyyyy'],
  'client.updateDemographics': ['yyyyy', 'yyyyy'],
  'client.readBackground': ['.....', '.....'],
  'client.updateBackground': ['.....', '.....'],
  'client.changeStatus': ['.....', '.....'],
  'client.manageCareTeam': ['.....', '.....'],
  'client.breakGlass': ['.....', '.....'],
  'client.readSchedule': ['yyyyy', 'yyyyy'],
  'client.schedule': ['yyyyy', 'yyyyy'],
  'client.readNotes': ['.....', '.....'],
  'client.readDiagnoses': ['.....', '.....'],
  'client.writeNotes': ['.....', '.....'],
  'client.writePsychotherapyNotes': ['.....', '.....'],
  'client.logCopyRequest': ['yyyyy', 'yyyyy'],
  'client.readRecordRequests': ['.....', '.....'],
  'client.manageRecordRequests': ['.....', '.....'],
  'client.readConsents': ['yyyyy', 'yyyyy'],
  'client.recordConsent': ['yyyyy', 'yyyyy'],
  'client.release': ['.....', '.....'],
  'client.readDisclosures': ['.....', '.....'],
};
const AUDITOR: Row = {
  'client.create': ['.....', '.....'],
  'client.readDemographics': ['.....', '.....'],
  'client.updateDemographics': ['.....', '.....'],
  'client.readBackground': ['.....', '.....'],
  'client.updateBackground': ['.....', '.....'],
  'client.changeStatus': ['.....', '.....'],
  'client.manageCareTeam': ['.....', '.....'],
  'client.breakGlass': ['.....', '.....'],
  'client.readSchedule': ['.....', '.....'],
  'client.schedule': ['.....', '.....'],
  'client.readNotes': ['.....', '.....'],
  'client.readDiagnoses': ['.....', '.....'],
  'client.writeNotes': ['.....', '.....'],
  'client.writePsychotherapyNotes': ['.....', '.....'],
  'client.logCopyRequest': ['.....', '.....'],
  'client.readRecordRequests': ['.....', '.....'],
  'client.manageRecordRequests': ['.....', '.....'],
  'client.readConsents': ['.....', '.....'],
  'client.recordConsent': ['.....', '.....'],
  'client.release': ['.....', '.....'],
  'client.readDisclosures': ['yyyyy', 'yyyyy'],
};

const TABLE: { name: string; roles: Role[]; row: Row }[] = [
  { name: 'owner', roles: ['owner'], row: MANAGER },
  { name: 'admin', roles: ['admin'], row: MANAGER },
  { name: 'clinician', roles: ['clinician'], row: CLINICIAN },
  { name: 'supervisor', roles: ['supervisor'], row: SUPERVISOR },
  { name: 'supervisor+clinician', roles: ['supervisor', 'clinician'], row: SUPERVISOR },
  { name: 'biller', roles: ['biller'], row: BILLER },
  { name: 'scheduler', roles: ['scheduler'], row: SCHEDULER },
  { name: 'auditor', roles: ['auditor'], row: AUDITOR },
];

const CLIENT_ACTIONS = Object.keys(CLINICIAN) as ClientAction[];
const CLIENT_WRITES: ClientAction[] = [
  'client.create',
  'client.updateDemographics',
  'client.updateBackground',
  'client.changeStatus',
  'client.manageCareTeam',
  'client.breakGlass',
  'client.schedule',
  'client.writeNotes',
  'client.writePsychotherapyNotes',
  'client.logCopyRequest',
  'client.manageRecordRequests',
  'client.recordConsent',
  'client.release',
];

function actor(roles: Role[], tokenScope?: Actor['tokenScope']): Actor {
  return {
    userId: 'u1',
    practiceId: 'p1',
    roles,
    ...(tokenScope ? { tokenId: 't1', tokenScope } : {}),
  };
}

/** Decisions for one role as the same 5-character cells as the table. */
function decisions(
  roles: Role[],
  action: ClientAction,
  adminsSeeAllClients: boolean,
  tokenScope?: Actor['tokenScope'],
) {
  return REL_ORDER.map((r) =>
    decideClientAction(actor(roles, tokenScope), action, RELATIONS[r], { adminsSeeAllClients }).allowed
      ? 'y'
      : '.',
  ).join('');
}

describe('decideClientAction: every role × action × relation × adminsSeeAllClients', () => {
  for (const { name, roles, row } of TABLE) {
    for (const action of CLIENT_ACTIONS) {
      const [off, on] = row[action];
      it(`${name} ${action}: off ${off} on ${on}`, () => {
        expect(decisions(roles, action, false)).toBe(off);
        expect(decisions(roles, action, true)).toBe(on);
        // A read-write token acts exactly as the person.
        expect(decisions(roles, action, false, 'read-write')).toBe(off);
        expect(decisions(roles, action, true, 'read-write')).toBe(on);
      });
    }
  }

  it('a read-only token refuses every write and keeps every read', () => {
    for (const { roles, row } of TABLE) {
      for (const action of CLIENT_ACTIONS) {
        for (const setting of [false, true]) {
          const got = decisions(roles, action, setting, 'read');
          const expected = CLIENT_WRITES.includes(action) ? '.....' : row[action][setting ? 1 : 0];
          expect(got, `${roles.join('+')} ${action} ${setting}`).toBe(expected);
        }
      }
    }
    const d = decideClientAction(actor(['clinician'], 'read'), 'client.updateBackground', RELATIONS.P, {
      adminsSeeAllClients: false,
    });
    expect(d).toEqual({ allowed: false, reason: 'This API token is read-only' });
  });

  it('names the grounds of each kind of access', () => {
    const s = { adminsSeeAllClients: false };
    const on = { adminsSeeAllClients: true };
    const grounds = (roles: Role[], a: ClientAction, rel: ClientRelation, settings = s) => {
      const d = decideClientAction(actor(roles), a, rel, settings);
      return d.allowed ? d.grounds : d.reason;
    };
    expect(grounds(['clinician'], 'client.readDemographics', RELATIONS.T)).toBe('care_team');
    expect(grounds(['clinician'], 'client.changeStatus', RELATIONS.P)).toBe('primary');
    expect(grounds(['supervisor'], 'client.readBackground', RELATIONS.S)).toBe('supervision');
    expect(grounds(['clinician'], 'client.readBackground', RELATIONS.G)).toBe('break_glass');
    expect(grounds(['clinician'], 'client.breakGlass', RELATIONS.N)).toBe('break_glass');
    expect(grounds(['admin'], 'client.readBackground', RELATIONS.N, on)).toBe('practice_setting');
    expect(grounds(['biller'], 'client.readDemographics', RELATIONS.N)).toBe('front_office');
    expect(grounds(['clinician'], 'client.breakGlass', RELATIONS.T)).toBe(
      'You already have access to this client',
    );
  });
});

/** Practice-wide actions: roles (columns) per action. */
const PRACTICE_ROLES: Role[] = [
  'owner',
  'admin',
  'clinician',
  'supervisor',
  'biller',
  'scheduler',
  'auditor',
];
//                                                    own adm cli sup bil sch aud
const PRACTICE_TABLE: Record<PracticeAction, string> = {
  'clients.list': 'yyyyyy.',
  'users.read': 'yyyyyyy',
  'users.manage': 'yy.....',
  'settings.read': 'yyyyyyy',
  'settings.manage': 'yy.....',
  'audit.read': 'y.....y',
  'breakGlass.review': 'yy.....',
  'calendar.readPractice': 'yy.y.y.',
  'templates.manage': 'yy.y...',
  'documentation.compliance': 'y..y...',
  'recordRequests.due': 'yyyy...',
  'practice.export': 'y......',
  'imports.clientList': 'yy...y.',
  'imports.record': 'yyyy...',
};
const PRACTICE_WRITES: PracticeAction[] = [
  'users.manage',
  'settings.manage',
  'breakGlass.review',
  'templates.manage',
  'practice.export',
  'imports.clientList',
  'imports.record',
];

describe('decidePracticeAction', () => {
  for (const [action, cells] of Object.entries(PRACTICE_TABLE) as [PracticeAction, string][]) {
    it(`${action}: ${cells}`, () => {
      const got = PRACTICE_ROLES.map((r) =>
        decidePracticeAction(actor([r]), action).allowed ? 'y' : '.',
      ).join('');
      expect(got).toBe(cells);
      const readToken = PRACTICE_ROLES.map((r) =>
        decidePracticeAction(actor([r], 'read'), action).allowed ? 'y' : '.',
      ).join('');
      expect(readToken).toBe(PRACTICE_WRITES.includes(action) ? '.......' : cells);
    });
  }
});

describe('clientVisibility (which rows a list shows)', () => {
  it('matches the read rule of each role', () => {
    const off = { adminsSeeAllClients: false };
    const on = { adminsSeeAllClients: true };
    expect(clientVisibility(actor(['owner']), off)).toEqual({ kind: 'none' });
    expect(clientVisibility(actor(['admin']), on)).toEqual({ kind: 'all' });
    expect(clientVisibility(actor(['clinician']), on)).toEqual({
      kind: 'careTeam',
      includeSupervisees: false,
    });
    expect(clientVisibility(actor(['supervisor', 'clinician']), off)).toEqual({
      kind: 'careTeam',
      includeSupervisees: true,
    });
    expect(clientVisibility(actor(['biller']), off)).toEqual({ kind: 'all' });
    expect(clientVisibility(actor(['scheduler']), off)).toEqual({ kind: 'all' });
    expect(clientVisibility(actor(['auditor']), on)).toEqual({ kind: 'none' });
    // An owner who is also a clinician sees their own care team when the setting is off.
    expect(clientVisibility(actor(['owner', 'clinician']), off)).toEqual({
      kind: 'careTeam',
      includeSupervisees: false,
    });
  });
});
