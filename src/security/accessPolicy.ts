import type { Role } from '../domain/roles.js';
import { hasAnyRole } from '../domain/roles.js';

/** Who is acting: a signed-in user, or a user's personal API token with a scope. */
export interface Actor {
  userId: string;
  practiceId: string;
  roles: readonly Role[];
  tokenId?: string;
  tokenScope?: 'read' | 'read-write';
}

export type ClientAction =
  | 'client.create'
  | 'client.readDemographics'
  | 'client.updateDemographics'
  | 'client.readBackground'
  | 'client.updateBackground'
  | 'client.changeStatus'
  | 'client.manageCareTeam'
  | 'client.breakGlass'
  | 'client.readSchedule'
  | 'client.schedule'
  | 'client.readNotes'
  | 'client.readDiagnoses'
  | 'client.writeNotes'
  | 'client.writePsychotherapyNotes'
  /** Record a client's request for a copy of their record (164.524); the front desk may. */
  | 'client.logCopyRequest'
  /** See a client's copy and amendment requests; produce, extend, decide them. */
  | 'client.readRecordRequests'
  | 'client.manageRecordRequests'
  /** Consents and authorizations: read; record or revoke (front desk: consents to care only). */
  | 'client.readConsents'
  | 'client.recordConsent'
  /** Release records to an outside party, or record a release made outside Casebook. */
  | 'client.release'
  /** The disclosure log and the accounting of disclosures (auditors too). */
  | 'client.readDisclosures';

export type PracticeAction =
  | 'clients.list'
  | 'users.read'
  | 'users.manage'
  | 'settings.read'
  | 'settings.manage'
  | 'audit.read'
  | 'breakGlass.review'
  | 'calendar.readPractice'
  | 'templates.manage'
  | 'documentation.compliance'
  | 'recordRequests.due'
  | 'practice.export'
  | 'imports.clientList'
  | 'imports.record';

/** How the actor stands to one client, as loaded from the database. */
export interface ClientRelation {
  onCareTeam: boolean;
  isPrimary: boolean;
  supervisesCareTeamMember: boolean;
  breakGlassActive: boolean;
}

export interface PolicySettings {
  adminsSeeAllClients: boolean;
}

export type Grounds =
  'care_team' | 'primary' | 'supervision' | 'break_glass' | 'practice_setting' | 'front_office';
export type Decision = { allowed: true; grounds: Grounds } | { allowed: false; reason: string };

const WRITE_ACTIONS: ReadonlySet<string> = new Set<ClientAction | PracticeAction>([
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
  'users.manage',
  'templates.manage',
  'settings.manage',
  'breakGlass.review',
  'practice.export',
  'imports.clientList',
  'imports.record',
]);

const CLINICAL: readonly Role[] = ['clinician', 'supervisor'];
const MANAGERS: readonly Role[] = ['owner', 'admin'];
const FRONT_OFFICE: readonly Role[] = ['biller', 'scheduler'];

function allow(grounds: Grounds): Decision {
  return { allowed: true, grounds };
}
function deny(reason: string): Decision {
  return { allowed: false, reason };
}

/** Practice-wide actions: lists, user management, settings, audit. */
export function decidePracticeAction(actor: Actor, action: PracticeAction): Decision {
  if (actor.tokenScope === 'read' && WRITE_ACTIONS.has(action)) return deny('This API token is read-only');
  const r = actor.roles;
  switch (action) {
    case 'clients.list':
      // Which rows a list shows is narrowed per role by clientVisibility().
      return hasAnyRole(r, [...CLINICAL, ...MANAGERS, ...FRONT_OFFICE])
        ? allow('front_office')
        : deny('Your role has no client list');
    case 'users.read':
      return hasAnyRole(r, [...MANAGERS, 'supervisor', 'clinician', 'auditor', 'scheduler', 'biller'])
        ? allow('practice_setting')
        : deny('Your role cannot see staff');
    case 'users.manage':
    case 'settings.manage':
    case 'breakGlass.review':
      return hasAnyRole(r, MANAGERS) ? allow('practice_setting') : deny('Only an owner or admin can do this');
    case 'settings.read':
      return allow('practice_setting');
    case 'calendar.readPractice':
      return hasAnyRole(r, [...MANAGERS, 'supervisor', 'scheduler'])
        ? allow('practice_setting')
        : deny('Only owners, admins, supervisors and schedulers see the practice calendar');
    case 'templates.manage':
      return hasAnyRole(r, [...MANAGERS, 'supervisor'])
        ? allow('practice_setting')
        : deny('Only an owner, admin or supervisor can change practice templates');
    case 'documentation.compliance':
      return hasAnyRole(r, ['owner', 'supervisor'])
        ? allow('practice_setting')
        : deny('Only owners and supervisors see documentation compliance');
    case 'recordRequests.due':
      // Which clients' requests show is narrowed by clientVisibility() (clinicians: their own).
      return hasAnyRole(r, [...MANAGERS, ...CLINICAL])
        ? allow('practice_setting')
        : deny('Only owners, admins and clinicians track record requests');
    case 'practice.export':
      // Every client's record at once, whatever the care team: the owner's decision alone.
      return hasAnyRole(r, ['owner'])
        ? allow('practice_setting')
        : deny('Only the practice owner can export all practice data');
    case 'imports.clientList':
      // Front desk often keys in client lists; a CSV holds demographics only, which schedulers see anyway.
      return hasAnyRole(r, [...MANAGERS, 'scheduler'])
        ? allow('practice_setting')
        : deny('Only an owner, admin or scheduler can import a client list');
    case 'imports.record':
      // A clinician imports a record they will be primary for; an owner or admin names the primary clinician.
      return hasAnyRole(r, [...MANAGERS, ...CLINICAL])
        ? allow('practice_setting')
        : deny('Only a clinician, owner or admin can import a client record');
    case 'audit.read':
      return hasAnyRole(r, ['auditor', 'owner'])
        ? allow('practice_setting')
        : deny('Only an auditor or owner can read the audit trail');
  }
}

/**
 * The one place that decides an action on a client record. Clinicians reach clients through
 * the care team; supervisors also through their supervisees; billers and schedulers see
 * demographics but never narrative; owners and admins see clients only when the practice
 * allows it; auditors see no client records.
 */
export function decideClientAction(
  actor: Actor,
  action: ClientAction,
  rel: ClientRelation,
  settings: PolicySettings,
): Decision {
  if (actor.tokenScope === 'read' && WRITE_ACTIONS.has(action)) return deny('This API token is read-only');
  const r = actor.roles;
  const clinical = hasAnyRole(r, CLINICAL);
  const manager = hasAnyRole(r, MANAGERS);
  const managerSeesAll = manager && settings.adminsSeeAllClients;
  const frontOffice = hasAnyRole(r, FRONT_OFFICE);
  const supervisor = hasAnyRole(r, ['supervisor']);

  switch (action) {
    case 'client.create':
      return clinical || manager || hasAnyRole(r, ['scheduler'])
        ? allow('front_office')
        : deny('Your role cannot create clients');
    case 'client.readDemographics':
    case 'client.readSchedule':
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (supervisor && rel.supervisesCareTeamMember) return allow('supervision');
      if (clinical && rel.breakGlassActive) return allow('break_glass');
      if (managerSeesAll) return allow('practice_setting');
      if (frontOffice) return allow('front_office');
      return deny('This client is not on your care team');
    case 'client.updateDemographics':
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (managerSeesAll) return allow('practice_setting');
      if (hasAnyRole(r, ['scheduler'])) return allow('front_office');
      return deny('You cannot edit this client');
    case 'client.readBackground':
    case 'client.readNotes':
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (supervisor && rel.supervisesCareTeamMember) return allow('supervision');
      if (clinical && rel.breakGlassActive) return allow('break_glass');
      if (managerSeesAll) return allow('practice_setting');
      return deny('Clinical background is visible to the care team only');
    case 'client.readDiagnoses':
      // Diagnosis codes go on claims, so billers read them too; never the narrative around them.
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (supervisor && rel.supervisesCareTeamMember) return allow('supervision');
      if (clinical && rel.breakGlassActive) return allow('break_glass');
      if (managerSeesAll) return allow('practice_setting');
      if (hasAnyRole(r, ['biller'])) return allow('front_office');
      return deny('Diagnoses are visible to the care team and billing only');
    case 'client.updateBackground':
      if (clinical && rel.onCareTeam) return allow('care_team');
      return deny('Only the care team can change the clinical background');
    case 'client.writeNotes':
    case 'client.writePsychotherapyNotes':
      if (clinical && rel.onCareTeam) return allow('care_team');
      return deny('Only clinicians on the care team can write notes for this client');
    case 'client.logCopyRequest':
      // The front desk often takes the request; producing the copy stays with the care team.
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (managerSeesAll) return allow('practice_setting');
      if (hasAnyRole(r, ['scheduler'])) return allow('front_office');
      return deny('You cannot record requests for this client');
    case 'client.readRecordRequests':
    case 'client.manageRecordRequests':
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (managerSeesAll) return allow('practice_setting');
      return deny('Record requests are handled by the care team and owners/admins');
    case 'client.readConsents':
      // The front desk sees consents to care; the service hides releases from it.
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (supervisor && rel.supervisesCareTeamMember) return allow('supervision');
      if (clinical && rel.breakGlassActive) return allow('break_glass');
      if (managerSeesAll) return allow('practice_setting');
      if (hasAnyRole(r, ['scheduler'])) return allow('front_office');
      return deny('Consents are visible to the care team and the front desk only');
    case 'client.recordConsent':
      // The front desk may record consents to care only (the service checks the kind).
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (managerSeesAll) return allow('practice_setting');
      if (hasAnyRole(r, ['scheduler'])) return allow('front_office');
      return deny('You cannot record consents for this client');
    case 'client.release':
      // Never under emergency access or supervision alone: a release is a decision of the care team.
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (managerSeesAll) return allow('practice_setting');
      return deny(
        'Only clinicians on the care team (or an owner/admin who sees all clients) release records',
      );
    case 'client.readDisclosures':
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (supervisor && rel.supervisesCareTeamMember) return allow('supervision');
      if (clinical && rel.breakGlassActive) return allow('break_glass');
      if (managerSeesAll) return allow('practice_setting');
      // Compliance reads every client's disclosure log (never the record itself).
      if (hasAnyRole(r, ['auditor'])) return allow('practice_setting');
      return deny('The disclosure log is visible to the care team and auditors only');
    case 'client.schedule':
      if (clinical && rel.onCareTeam) return allow('care_team');
      if (managerSeesAll) return allow('practice_setting');
      if (hasAnyRole(r, ['scheduler'])) return allow('front_office');
      return deny('You cannot schedule sessions for this client');
    case 'client.changeStatus':
    case 'client.manageCareTeam':
      if (clinical && rel.isPrimary) return allow('primary');
      if (managerSeesAll) return allow('practice_setting');
      return deny('Only the primary clinician or an owner/admin can do this');
    case 'client.breakGlass':
      if (!clinical) return deny('Only clinicians and supervisors can use emergency access');
      if (rel.onCareTeam) return deny('You already have access to this client');
      return allow('break_glass');
  }
}

/** How a client list is narrowed for this actor (same rules as decideClientAction). */
export type ClientVisibility =
  { kind: 'all' } | { kind: 'careTeam'; includeSupervisees: boolean } | { kind: 'none' };

export function clientVisibility(actor: Actor, settings: PolicySettings): ClientVisibility {
  const r = actor.roles;
  if (hasAnyRole(r, FRONT_OFFICE) || (hasAnyRole(r, MANAGERS) && settings.adminsSeeAllClients))
    return { kind: 'all' };
  if (hasAnyRole(r, CLINICAL)) return { kind: 'careTeam', includeSupervisees: hasAnyRole(r, ['supervisor']) };
  return { kind: 'none' };
}
