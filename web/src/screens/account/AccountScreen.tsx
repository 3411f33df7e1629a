import { useState } from 'react';
import { Alert } from '../../components/Alert.js';
import { roleLabel } from '../../components/AppShell.js';
import { PageHeader } from '../../components/PageHeader.js';
import { hasRole, useSession } from '../../session.js';
import { CalendarFeedSection } from '../calendar/CalendarFeedSection.js';
import { ApiTokensSection } from './ApiTokensSection.js';
import { ChangePasswordSection } from './ChangePasswordSection.js';
import { TwoStepSection } from './TwoStepSection.js';

/** The signed-in user's own account: two-step sign-in, password, API tokens, sign out everywhere. */
export function AccountScreen() {
  const { me, signOut } = useSession();
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);
  return (
    <>
      <PageHeader title="My account" />
      <section className="panel" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl className="dl">
          <div className="dl-row">
            <dt>Name</dt>
            <dd>
              {me.user.fullName}
              {me.user.credentials ? `, ${me.user.credentials}` : ''}
            </dd>
          </div>
          <div className="dl-row">
            <dt>Email</dt>
            <dd>{me.user.email}</dd>
          </div>
          <div className="dl-row">
            <dt>Roles</dt>
            <dd>{me.user.roles.map(roleLabel).join(', ')}</dd>
          </div>
          {me.user.licenseNumber ? (
            <div className="dl-row">
              <dt>License number</dt>
              <dd>{me.user.licenseNumber}</dd>
            </div>
          ) : null}
        </dl>
        <p className="hint">To change your name, roles or credentials, ask a practice owner or admin.</p>
      </section>
      <TwoStepSection />
      <ChangePasswordSection />
      <ApiTokensSection />
      {hasRole(me, 'clinician', 'supervisor') ? <CalendarFeedSection /> : null}
      <section className="panel" aria-labelledby="everywhere-title">
        <h2 id="everywhere-title">Sign out everywhere</h2>
        <p>
          Ends every session of your account, on this and every other device. Use it if you signed in on a
          shared computer or lost a device.
        </p>
        {confirmEverywhere ? (
          <Alert kind="warning" title="Sign out on every device?">
            <div className="button-row">
              <button type="button" className="button danger" onClick={() => void signOut(true)}>
                Yes, sign out everywhere
              </button>
              <button type="button" className="button secondary" onClick={() => setConfirmEverywhere(false)}>
                Cancel
              </button>
            </div>
          </Alert>
        ) : (
          <button type="button" className="button secondary" onClick={() => setConfirmEverywhere(true)}>
            Sign out everywhere
          </button>
        )}
      </section>
    </>
  );
}
