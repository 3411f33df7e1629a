import { useEffect, useState } from 'react';
import { recordRequestsApi, type AmendmentView } from '../../api/recordRequestsApi.js';
import { localDateOf } from '../../components/practiceTime.js';
import { useSession } from '../../session.js';
import { AmendmentDetails } from './AmendmentDetails.js';
import './recordRequests.css';

/**
 * The amendment requests about a note, shown with it (45 CFR 164.526: the request, denial,
 * statement of disagreement and rebuttal stay linked to the disputed record). Nothing when none.
 */
export function NoteAmendments({ noteId }: { noteId: string }) {
  const { me } = useSession();
  const [items, setItems] = useState<AmendmentView[]>([]);
  useEffect(() => {
    let live = true;
    recordRequestsApi
      .ofNote(noteId)
      .then((r) => live && setItems(r.items))
      // A note the reader may open always answers; on any other failure show the note without the panel.
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [noteId]);
  if (items.length === 0) return null;
  const today = localDateOf(new Date(), me.practice.timeZone);
  return (
    <section className="panel" aria-labelledby="note-amendments-title">
      <h2 id="note-amendments-title">Amendment requests</h2>
      {items.map((a) => (
        <AmendmentDetails key={a.id} amendment={a} today={today} headingLevel={3} />
      ))}
    </section>
  );
}
