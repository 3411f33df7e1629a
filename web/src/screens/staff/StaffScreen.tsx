import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { SetPasswordLink, StaffMember } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { roleLabel } from '../../components/AppShell.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useSession } from '../../session.js';
import { OneTimeLink } from './OneTimeLink.js';
import { StaffForm } from './StaffForm.js';

/** Owner/admin: add staff (with a one-time set-password link), edit roles and profile, deactivate. */
export function StaffScreen() {
  const { me } = useSession();
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<{ kind: 'list' } | { kind: 'add' } | { kind: 'edit'; user: StaffMember }>({
    kind: 'list',
  });
  const [link, setLink] = useState<{ name: string; link: SetPasswordLink } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStaff((await api.listStaff()).items);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const toggleActive = async (u: StaffMember) => {
    setNotice(null);
    setError(null);
    try {
      await api.updateStaff(u.id, u.version, { active: !u.active });
      setNotice(
        `${u.fullName} is now ${u.active ? 'deactivated and signed out everywhere' : 'active again'}.`,
      );
      await load();
    } catch (err) {
      const e = toApiError(err);
      setError(
        e.isStale
          ? 'Someone else changed this user just now. The list has been refreshed; try again.'
          : e.detail,
      );
      await load();
    }
  };

  const newLink = async (u: StaffMember) => {
    setNotice(null);
    try {
      const r = await api.newPasswordLink(u.id);
      setLink({ name: u.fullName, link: r.setPasswordLink });
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };

  const supervisorName = (id: string | null) => staff?.find((s) => s.id === id)?.fullName ?? null;

  if (mode.kind !== 'list') {
    return (
      <>
        <PageHeader title={mode.kind === 'add' ? 'Add a user' : `Edit ${mode.user.fullName}`} />
        <StaffForm
          user={mode.kind === 'edit' ? mode.user : null}
          staff={staff ?? []}
          canMakeOwner={me.user.roles.includes('owner')}
          onCancel={() => setMode({ kind: 'list' })}
          onCreated={(user, l) => {
            setLink({ name: user.fullName, link: l });
            setMode({ kind: 'list' });
            void load();
          }}
          onSaved={(user) => {
            setNotice(`Saved changes to ${user.fullName}.`);
            setMode({ kind: 'list' });
            void load();
          }}
        />
      </>
    );
  }

  return (
    <>
      <PageHeader title="Staff">
        <button type="button" className="button primary" onClick={() => setMode({ kind: 'add' })}>
          Add a user
        </button>
      </PageHeader>
      {link ? <OneTimeLink name={link.name} link={link.link} onDismiss={() => setLink(null)} /> : null}
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!staff ? (
        <p role="status">Loading staff…</p>
      ) : (
        <div
          className="table-wrap"
          tabIndex={0}
          role="region"
          aria-label="Staff (scrolls sideways on narrow screens)"
        >
          <table className="data-table">
            <caption className="visually-hidden">Staff of the practice</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Credentials</th>
                <th scope="col">Supervisor</th>
                <th scope="col">Sign-in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.map((u) => (
                <tr key={u.id} className={u.active ? undefined : 'inactive-row'}>
                  <th scope="row">
                    {u.fullName}
                    <span className="sub">{u.email}</span>
                  </th>
                  <td>{u.roles.map(roleLabel).join(', ')}</td>
                  <td>
                    {u.credentials ?? <span className="muted">—</span>}
                    {u.licenseNumber ? <span className="sub">License {u.licenseNumber}</span> : null}
                  </td>
                  <td>{supervisorName(u.supervisorId) ?? <span className="muted">—</span>}</td>
                  <td>
                    {!u.active ? (
                      <span className="badge badge-discharged">Deactivated</span>
                    ) : !u.hasPassword ? (
                      <span className="badge badge-inactive">Link not used yet</span>
                    ) : u.lockedUntil ? (
                      <span className="badge badge-emergency">Locked</span>
                    ) : (
                      <span className="badge badge-active">Active</span>
                    )}
                    {u.active ? (
                      <span className="sub">{u.mfaEnabled ? 'Two-step on' : 'Two-step off'}</span>
                    ) : null}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button link"
                      onClick={() => setMode({ kind: 'edit', user: u })}
                      aria-label={`Edit ${u.fullName}`}
                    >
                      Edit
                    </button>
                    {u.id !== me.user.id ? (
                      <>
                        <button
                          type="button"
                          className="button link"
                          onClick={() => void newLink(u)}
                          aria-label={`New set-password link for ${u.fullName}`}
                        >
                          New link
                        </button>
                        <button
                          type="button"
                          className="button link danger"
                          onClick={() => void toggleActive(u)}
                          aria-label={`${u.active ? 'Deactivate' : 'Reactivate'} ${u.fullName}`}
                        >
                          {u.active ? 'Deactivate' : 'Reactivate'}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
