import { useEffect } from 'react';
import { matchPath, navigate } from './router.js';
import { useSession } from './session.js';
import { NAV } from './components/AppShell.js';
import { PageHeader } from './components/PageHeader.js';
import { ClientListScreen } from './screens/clientList/ClientListScreen.js';
import { NewClientScreen } from './screens/newClient/NewClientScreen.js';
import { ClientProfileScreen } from './screens/clientProfile/ClientProfileScreen.js';
import { ClientEditScreen } from './screens/clientEdit/ClientEditScreen.js';
import { StaffScreen } from './screens/staff/StaffScreen.js';
import { SettingsScreen } from './screens/settings/SettingsScreen.js';
import { AccountScreen } from './screens/account/AccountScreen.js';
import { AuditScreen } from './screens/audit/AuditScreen.js';
import { BreakGlassReviewScreen } from './screens/breakGlassReview/BreakGlassReviewScreen.js';

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
  let m = matchPath('/clients/:id/edit', path);
  if (m?.id) return <ClientEditScreen key={m.id} clientId={m.id} />;
  m = matchPath('/clients/:id', path);
  if (m?.id) return <ClientProfileScreen key={m.id} clientId={m.id} />;
  if (path === '/users') return <StaffScreen />;
  if (path === '/settings') return <SettingsScreen />;
  if (path === '/account') return <AccountScreen />;
  if (path === '/audit') return <AuditScreen />;
  if (path === '/break-glass') return <BreakGlassReviewScreen />;
  return <NotFound />;
}
