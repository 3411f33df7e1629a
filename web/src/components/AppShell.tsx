import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/casebookApi.js';
import { Link, usePath } from '../router.js';
import { hasRole, useSession } from '../session.js';
import type { Me } from '../api/types.js';
import { IdleGuard } from './IdleGuard.js';
import { DocumentationBadge, useDocumentationCounts } from './DocumentationBadge.js';

interface NavItem {
  to: string;
  label: string;
  show: (me: Me) => boolean;
}

export const NAV: NavItem[] = [
  {
    to: '/calendar',
    label: 'Calendar',
    show: (me) => hasRole(me, 'clinician', 'supervisor', 'scheduler', 'owner', 'admin'),
  },
  {
    to: '/clients',
    label: 'Clients',
    show: (me) => hasRole(me, 'clinician', 'supervisor', 'owner', 'admin', 'biller', 'scheduler'),
  },
  { to: '/documentation', label: 'Documentation', show: (me) => hasRole(me, 'clinician', 'supervisor') },
  { to: '/cosign', label: 'Co-sign queue', show: (me) => hasRole(me, 'supervisor') },
  { to: '/compliance', label: 'Compliance', show: (me) => hasRole(me, 'owner', 'supervisor') },
  {
    to: '/requests',
    label: 'Requests due',
    show: (me) => hasRole(me, 'clinician', 'supervisor', 'owner', 'admin'),
  },
  { to: '/notes/search', label: 'Search notes', show: (me) => hasRole(me, 'clinician', 'supervisor') },
  { to: '/templates', label: 'Templates', show: (me) => hasRole(me, 'owner', 'admin', 'supervisor') },
  { to: '/users', label: 'Staff', show: (me) => hasRole(me, 'owner', 'admin') },
  { to: '/settings', label: 'Practice settings', show: (me) => hasRole(me, 'owner', 'admin') },
  { to: '/practice/export', label: 'Export all data', show: (me) => hasRole(me, 'owner') },
  { to: '/break-glass', label: 'Emergency access', show: (me) => hasRole(me, 'owner', 'admin') },
  { to: '/audit', label: 'Audit report', show: (me) => hasRole(me, 'auditor', 'owner') },
  { to: '/account', label: 'My account', show: () => true },
];

const ROLE_LABELS: Record<string, string> = {
  owner: 'Owner',
  admin: 'Admin',
  clinician: 'Clinician',
  supervisor: 'Supervisor',
  biller: 'Biller',
  scheduler: 'Scheduler',
  auditor: 'Auditor',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

export function AppShell({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const path = usePath();
  const items = NAV.filter((n) => n.show(me));
  const reviewer = hasRole(me, 'owner', 'admin');
  const [toReview, setToReview] = useState(0);
  const docCounts = useDocumentationCounts(hasRole(me, 'clinician', 'supervisor'), path);
  useEffect(() => {
    if (!reviewer) return;
    api
      .unreviewedBreakGlassCount()
      .then((r) => setToReview(r.count))
      .catch(() => setToReview(0));
  }, [reviewer, path]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <span className="brand-name">Casebook</span>
          <span className="practice-name">{me.practice.name}</span>
        </div>
        <div className="topbar-user">
          <span className="user-name">
            {me.user.fullName}
            <span className="user-roles"> · {me.user.roles.map(roleLabel).join(', ')}</span>
          </span>
          <button type="button" className="button secondary small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {items.map((n) => {
            const current = path === n.to || path.startsWith(`${n.to}/`);
            return (
              <li key={n.to}>
                <Link
                  to={n.to}
                  aria-current={current ? 'page' : undefined}
                  className={current ? 'current' : undefined}
                >
                  {n.label}
                  {n.to === '/break-glass' && toReview > 0 ? (
                    <span className="nav-badge" aria-label={`, ${toReview} to review`}>
                      {toReview}
                    </span>
                  ) : null}
                  <DocumentationBadge to={n.to} counts={docCounts} />
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {reviewer && toReview > 0 && path !== '/break-glass' ? (
          <p className="alert alert-warning" role="status">
            {toReview === 1
              ? 'An emergency access to a client waits'
              : `${toReview} emergency accesses to clients wait`}{' '}
            for your review. <Link to="/break-glass">Review emergency access</Link>
          </p>
        ) : null}
        {children}
      </main>
      <IdleGuard />
    </div>
  );
}
