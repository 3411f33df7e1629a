import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { questionnaireApi, type PublicQuestionnaire } from '../../api/questionnaireApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import type { FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { QuestionItem } from './QuestionItem.js';
import './questionnaire.css';

// The page a client opens from a one-time link: no sign-in, no navigation, no names. The token
// lives in the URL fragment (never sent to a server) and, once read, only in this page's memory.

type Phase =
  | { kind: 'loading' }
  | { kind: 'invalid' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'form'; form: PublicQuestionnaire }
  | { kind: 'thanks' };

function tokenFromHash(): string {
  return window.location.hash.replace(/^#/, '');
}

function Frame({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Casebook`;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <div className="q-page">
      <header className="auth-brand">
        <span className="brand-mark" aria-hidden="true">
          C
        </span>
        <span className="brand-name">Casebook</span>
      </header>
      <main id="main" className="q-card">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {children}
      </main>
      <footer className="q-footer">
        {footer}
        <p>
          If you are thinking about harming yourself or are in crisis, call or text 988 (Suicide &amp; Crisis
          Lifeline) or call 911 now. Answers sent here are not read straight away.
        </p>
      </footer>
    </div>
  );
}

function InvalidLink() {
  return (
    <Frame title="This link is no longer valid">
      <p>
        The link may have expired, been used already, or been cancelled. Please ask the person who sent it to
        you for a new one.
      </p>
    </Frame>
  );
}

function formatUntil(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

function QuestionnaireForm({
  token,
  form,
  onDone,
  onInvalid,
}: {
  token: string;
  form: PublicQuestionnaire;
  onDone: () => void;
  onInvalid: () => void;
}) {
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();
  const answered = form.items.filter((i) => answers[i.id] !== undefined).length;
  const total = form.items.length;

  const choose = (id: string, value: number) => {
    setAnswers((a) => ({ ...a, [id]: value }));
    if (errors.errors[`answers.${id}`]) {
      const rest: FieldErrors = { ...errors.errors };
      delete rest[`answers.${id}`];
      errors.check(rest);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: FieldErrors = {};
    for (const item of form.items)
      if (answers[item.id] === undefined) missing[`answers.${item.id}`] = `Answer question ${item.number}`;
    if (!errors.check(missing)) return;
    setBusy(true);
    try {
      await questionnaireApi.submit(token, answers);
      onDone();
    } catch (err) {
      const problem = toApiError(err);
      if (problem.status === 404) onInvalid();
      else if (problem.status === 429)
        errors.setMessage(
          'Too many attempts from this connection. Wait a minute, then send your answers again.',
        );
      else errors.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  const labels = Object.fromEntries(form.items.map((i) => [`answers.${i.id}`, `Question ${i.number}`]));
  return (
    <Frame title={form.title} footer={<p>{form.copyright}</p>}>
      <p className="q-meta">
        {total} questions · this link works until {formatUntil(form.expiresAt)} and can be sent once.
      </p>
      <ErrorSummary message={errors.message} errors={errors.errors} labels={labels} />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="q-instructions" id="q-instructions">
          {form.instructions}
        </p>
        {form.items.map((item) => (
          <QuestionItem
            key={item.id}
            name={item.id}
            number={item.number}
            text={item.text}
            options={form.options}
            value={answers[item.id]}
            onChange={(v) => choose(item.id, v)}
            error={errors.errors[`answers.${item.id}`]}
          />
        ))}
        {form.difficulty ? (
          <QuestionItem
            name={form.difficulty.id}
            number={null}
            text={`${form.difficulty.text} (optional)`}
            options={form.difficulty.options}
            value={answers[form.difficulty.id]}
            onChange={(v) => choose(form.difficulty?.id ?? 'difficulty', v)}
            error={errors.errors[`answers.${form.difficulty.id}`]}
          />
        ) : null}
        <div className="q-progress">
          <progress max={total} value={answered} aria-labelledby="q-progress-text" />
          <span id="q-progress-text" aria-live="polite">
            {answered} of {total} answered
          </span>
          <div className="button-row">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Sending…' : 'Send answers'}
            </button>
          </div>
        </div>
      </form>
    </Frame>
  );
}

/** The public questionnaire at /questionnaire#<token>. */
export function QuestionnaireScreen() {
  const [token] = useState(tokenFromHash);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    // Out of the address bar (and so out of history, bookmarks and screenshots) at once.
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);

  useEffect(() => {
    if (!token) {
      setPhase({ kind: 'invalid' });
      return undefined;
    }
    let live = true;
    questionnaireApi.open(token).then(
      (form) => live && setPhase({ kind: 'form', form }),
      (err: unknown) => {
        if (!live) return;
        const e = toApiError(err);
        if (e.status === 404 || e.status === 400) setPhase({ kind: 'invalid' });
        else
          setPhase({
            kind: 'unreachable',
            message:
              e.status === 429
                ? 'Too many attempts from this connection. Wait a minute and try again.'
                : e.detail,
          });
      },
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);

  switch (phase.kind) {
    case 'loading':
      return (
        <Frame title="Questionnaire">
          <p role="status">Loading…</p>
        </Frame>
      );
    case 'invalid':
      return <InvalidLink />;
    case 'unreachable':
      return (
        <Frame title="The questionnaire could not be loaded">
          <Alert kind="error">{phase.message}</Alert>
          <p>Your link has not been used up.</p>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setPhase({ kind: 'loading' });
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </Frame>
      );
    case 'form':
      return (
        <QuestionnaireForm
          token={token}
          form={phase.form}
          onDone={() => setPhase({ kind: 'thanks' })}
          onInvalid={() => setPhase({ kind: 'invalid' })}
        />
      );
    case 'thanks':
      return (
        <Frame title="Thank you">
          <Alert kind="success">Your answers have been sent.</Alert>
          <p>Your clinician will go over them with you. You can close this page now.</p>
        </Frame>
      );
  }
}
