import { useEffect } from 'react';
import { matchPath, navigate } from './router.js';
import { useSession } from './session.js';
import { NAV } from './components/AppShell.js';
import { PageHeader } from './components/PageHeader.js';
import { ClientListScreen } from './screens/clientList/ClientListScreen.js';
import { NewClientScreen } from './screens/newClient/NewClientScreen.js';
import { ClientImportScreen } from './screens/clientImport/ClientImportScreen.js';
import { FhirImportScreen } from './screens/clientImport/FhirImportScreen.js';
import { ClientProfileScreen } from './screens/clientProfile/ClientProfileScreen.js';
import { ClientEditScreen } from './screens/clientEdit/ClientEditScreen.js';
import { StaffScreen } from './screens/staff/StaffScreen.js';
import { SettingsScreen } from './screens/settings/SettingsScreen.js';
import { AccountScreen } from './screens/account/AccountScreen.js';
import { AuditScreen } from './screens/audit/AuditScreen.js';
import { BreakGlassReviewScreen } from './screens/breakGlassReview/BreakGlassReviewScreen.js';
import { NoteSearchScreen } from './screens/noteSearch/NoteSearchScreen.js';
import { PsychotherapyNoteScreen } from './screens/psychotherapyNotes/PsychotherapyNoteScreen.js';
import { PsychotherapyNotesScreen } from './screens/psychotherapyNotes/PsychotherapyNotesScreen.js';
import { BuiltInTemplateScreen } from './screens/templates/BuiltInTemplateScreen.js';
import { TemplateBuilderScreen } from './screens/templates/TemplateBuilderScreen.js';
import { TemplateListScreen } from './screens/templates/TemplateListScreen.js';
import { CalendarScreen } from './screens/calendar/CalendarScreen.js';
import { NewSessionScreen } from './screens/newSession/NewSessionScreen.js';
import { SessionDetailScreen } from './screens/sessionDetail/SessionDetailScreen.js';
import { NoteEditorScreen } from './screens/noteEditor/NoteEditorScreen.js';
import { DocumentationScreen } from './screens/documentation/DocumentationScreen.js';
import { CosignQueueScreen } from './screens/cosignQueue/CosignQueueScreen.js';
import { ComplianceScreen } from './screens/compliance/ComplianceScreen.js';
import { TreatmentPlanScreen } from './screens/treatmentPlan/TreatmentPlanScreen.js';
import { PlanHistoryScreen } from './screens/treatmentPlan/PlanHistoryScreen.js';
import { MeasuresScreen } from './screens/measures/MeasuresScreen.js';
import { RecordRequestsScreen } from './screens/recordRequests/RecordRequestsScreen.js';
import { ConsentsScreen } from './screens/consents/ConsentsScreen.js';
import { RequestsDueScreen } from './screens/recordRequests/RequestsDueScreen.js';
import { PracticeExportScreen } from './screens/practiceExport/PracticeExportScreen.js';
import { HandoverScreen } from './screens/handover/HandoverScreen.js';

function Home() {
  const { me } = useSession();
  const first = NAV.find((n) => n.show(me))?.to ?? '/account';
  useEffect(() => navigate(first, { replace: true }), [first]);
  return null;
}

function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>There is no page at this address. Use the navigation to continue.</p>
    </>
  );
}

export function Routes({ path }: { path: string }) {
  if (path === '/' || path === '') return <Home />;
  if (path === '/clients') return <ClientListScreen />;
  if (path === '/clients/new') return <NewClientScreen />;
  if (path === '/clients/import') return <ClientImportScreen />;
  if (path === '/clients/import/fhir') return <FhirImportScreen />;
  let m = matchPath('/clients/:id/edit', path);
  if (m?.id) return <ClientEditScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id', path);
  if (m?.id) return <ClientProfileScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id/plan', path);
  if (m?.id) return <TreatmentPlanScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id/plan/history', path);
  if (m?.id) return <PlanHistoryScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id/requests', path);
  if (m?.id) return <RecordRequestsScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id/consents', path);
  if (m?.id) return <ConsentsScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id/measures', path);
  if (m?.id) return <MeasuresScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id/psychotherapy-notes', path);
  if (m?.id) return <PsychotherapyNotesScreen key={m.id} clientId={m.id} />;
  m = matchPath('/psychotherapy-notes/:id', path);
  if (m?.id) return <PsychotherapyNoteScreen key={m.id} noteId={m.id} />;
  // Before /notes/:id, which would otherwise take "search" for a note id.
  if (path === '/notes/search') return <NoteSearchScreen />;
  if (path === '/templates') return <TemplateListScreen />;
  if (path === '/templates/new') return <TemplateBuilderScreen templateId={null} />;
  m = matchPath('/templates/:id', path);
  if (m?.id)
    return m.id.startsWith('builtin.') ? (
      <BuiltInTemplateScreen key={m.id} templateKey={m.id} />
    ) : (
      <TemplateBuilderScreen key={m.id} templateId={m.id} />
    );
  m = matchPath('/notes/:id', path);
  // Only a note id: other pages live under /notes/ too (e.g. /notes/search).
  if (m?.id && /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(m.id))
    return <NoteEditorScreen key={m.id} noteId={m.id} />;
  if (path === '/users') return <StaffScreen />;
  if (path === '/settings') return <SettingsScreen />;
  if (path === '/practice/export') return <PracticeExportScreen />;
  if (path === '/account') return <AccountScreen />;
  if (path === '/audit') return <AuditScreen />;
  if (path === '/break-glass') return <BreakGlassReviewScreen />;
  if (path === '/calendar') return <CalendarScreen />;
  if (path === '/sessions/new') return <NewSessionScreen />;
  m = matchPath('/sessions/:id', path);
  if (m?.id) return <SessionDetailScreen key={m.id} sessionId={m.id} />;
  if (path === '/documentation') return <DocumentationScreen />;
  m = matchPath('/documentation/:clinicianId', path);
  if (m?.clinicianId) return <DocumentationScreen key={m.clinicianId} clinicianId={m.clinicianId} />;
  if (path === '/cosign') return <CosignQueueScreen />;
  m = matchPath('/handovers/:id', path);
  if (m?.id) return <HandoverScreen key={m.id} handoverId={m.id} />;
  if (path === '/requests') return <RequestsDueScreen />;
  if (path === '/compliance') return <ComplianceScreen />;
  return <NotFound />;
}
