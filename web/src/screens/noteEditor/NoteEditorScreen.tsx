import { useEffect, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { notesApi, type NoteOptions, type NoteView } from '../../api/notesApi.js';
import { toApiError, type ApiError } from '../../api/http.js';
import type { ClientRecord } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useStaff } from '../../components/useStaff.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { DraftEditor } from './DraftEditor.js';
import { NoteReadView } from './NoteReadView.js';
import { LateEntryBadge, NoteStatusBadge } from './SignatureBlock.js';
import './noteEditor.css';

const NO_OPTIONS: NoteOptions = {
  interventions: [],
  mseDomains: [],
  riskLevels: [],
  riskItems: [],
  serviceTypes: [],
  modalities: [],
};

/** One note: the editor while it is its author's draft, the signed record afterwards. */
export function NoteEditorScreen({ noteId }: { noteId: string }) {
  const { me } = useSession();
  const timeZone = me.practice.timeZone;
  const [note, setNote] = useState<NoteView | null>(null);
  // Bumped when another version of the note replaces the one on screen, so the editor starts afresh.
  const [generation, setGeneration] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const [options, setOptions] = useState<NoteOptions | null>(null);
  const [optionsError, setOptionsError] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [client, setClient] = useState<ClientRecord | null>(null);
  const { staff } = useStaff();

  useEffect(() => {
    let live = true;
    notesApi
      .note(noteId)
      .then((n) => live && setNote(n))
      .catch((err: unknown) => live && setError(toApiError(err)));
    notesApi
      .noteOptions()
      .then((o) => live && setOptions(o))
      .catch((err: unknown) => {
        if (!live) return;
        setOptions(NO_OPTIONS);
        setOptionsError(toApiError(err).detail);
      });
    return () => {
      live = false;
    };
  }, [noteId]);

  const clientId = note?.clientId;
  useEffect(() => {
    if (!clientId) return undefined;
    let live = true;
    api
      .client(clientId)
      .then((c) => live && setClient(c))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [clientId]);

  if (error) {
    return (
      <>
        <PageHeader title="Note" />
        <Alert kind="error">
          {error.status === 404
            ? 'There is no note at this address, or it was discarded.'
            : error.status === 403
              ? `You cannot open this note. ${error.detail}`
              : error.detail}
        </Alert>
        <Link to="/clients">Back to clients</Link>
      </>
    );
  }
  if (!note || !options) return <p role="status">Loading note…</p>;

  const clientName = client
    ? `${client.preferredName ?? client.legalFirstName} ${client.legalLastName}`
    : null;
  const nameOf = (id: string | null) => staff.find((s) => s.id === id)?.fullName ?? null;
  const supervisorId = staff.find((s) => s.id === me.user.id)?.supervisorId ?? null;
  const replace = (next: NoteView, message: string | null) => {
    setNote(next);
    setFlash(message);
    setGeneration((g) => g + 1);
    window.scrollTo({ top: 0 });
  };

  return (
    <div className="note-screen">
      <PageHeader title={note.template.name} />
      <p className="record-meta note-meta">
        {clientName ? (
          <Link to={`/clients/${note.clientId}`}>{clientName}</Link>
        ) : (
          <Link to={`/clients/${note.clientId}`}>Client record</Link>
        )}
        {' · '}Date of service {formatDate(note.dateOfService)}
        {' · '}By {note.authorName}
        {note.dueAt && (note.status === 'draft' || note.status === 'returned')
          ? ` · Due by ${formatDateTime(note.dueAt, timeZone)}`
          : null}{' '}
        <NoteStatusBadge status={note.status} />
        <LateEntryBadge note={note} timeZone={timeZone} />
      </p>
      {optionsError ? (
        <Alert kind="error" title="The pick lists could not be loaded">
          {optionsError} Interventions, mental status suggestions and risk levels are missing until the page
          is reloaded.
        </Alert>
      ) : null}
      {note.can.edit ? (
        <>
          {flash ? <Alert kind="info">{flash}</Alert> : null}
          <DraftEditor
            key={generation}
            initial={note}
            options={options}
            timeZone={timeZone}
            clinical={me.practice.kind === 'clinical'}
            mfaEnabled={me.user.mfaEnabled}
            supervisorName={supervisorId ? (nameOf(supervisorId) ?? 'Your supervisor') : null}
            onReplace={replace}
          />
        </>
      ) : (
        <NoteReadView
          key={generation}
          note={note}
          options={options}
          timeZone={timeZone}
          cosignerName={
            note.cosignerId === me.user.id ? me.user.fullName : (nameOf(note.cosignerId) ?? 'the supervisor')
          }
          mfaEnabled={me.user.mfaEnabled}
          flash={flash}
          onChanged={replace}
        />
      )}
    </div>
  );
}
