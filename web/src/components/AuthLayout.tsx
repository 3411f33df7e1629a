import type { ReactNode } from 'react';
import { PageHeader } from './PageHeader.js';

/** The frame for pages shown before sign-in completes: set-up, login, second step, set password. */
export function AuthLayout({
  title,
  children,
  wide = false,
}: {
  title: string;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <div className="auth-page">
      <header className="auth-brand">
        <span className="brand-mark" aria-hidden="true">
          C
        </span>
        <span className="brand-name">Casebook</span>
      </header>
      <main id="main" className={`auth-card${wide ? ' wide' : ''}`}>
        <PageHeader title={title} focus={false} />
        {children}
      </main>
      <footer className="auth-footer">
        <p>Casebook keeps health records. Sign out when you leave this device.</p>
      </footer>
    </div>
  );
}
