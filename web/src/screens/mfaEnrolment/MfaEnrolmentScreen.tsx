import { AuthLayout } from '../../components/AuthLayout.js';
import { MfaEnrolment } from '../../components/MfaEnrolment.js';

/** Forced enrolment: the practice requires two-step sign-in and this account has none yet. */
export function MfaEnrolmentScreen({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  return (
    <AuthLayout title="Set up two-step sign-in" wide>
      <p className="lead">Your practice requires two-step sign-in. Set it up now to continue.</p>
      <MfaEnrolment onDone={onDone} />
      <p>
        <button type="button" className="button link" onClick={onCancel}>
          Sign out instead
        </button>
      </p>
    </AuthLayout>
  );
}
