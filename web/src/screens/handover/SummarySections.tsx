import type { ReactNode } from 'react';
import type { HandoverSummary } from '../../api/handoversApi.js';
import { formatDate } from '../../components/dateFormat.js';

const REVIEW: Record<string, string> = { current: 'Not due yet', due_soon: 'Due soon', overdue: 'Overdue' };

function changeText(change: number | null): string {
  if (change === null) return 'First score';
  if (change === 0) return 'No change';
  return change < 0 ? `Down ${-change} (fewer symptoms)` : `Up ${change} (more symptoms)`;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel handover-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`${caption} (scrolls sideways)`}>
      <table className="data-table handover-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const None = ({ children }: { children: ReactNode }) => <p className="muted">{children}</p>;

/** The snapshot, section by section, in the order a clinician taking over reads it. */
export function SummarySections({ summary: s }: { summary: HandoverSummary }) {
  const o = s.openItems;
  const openCount =
    o.notesToWrite.length +
    o.unsignedNotes.length +
    o.awaitingCosign.length +
    (o.planReview ? 1 : 0) +
    o.recordRequests.length;
  return (
    <>
      <Section id="ho-risk" title="Risk flags">
        {s.risk.openAlerts.length === 0 ? (
          <None>No open risk alerts at hand-over.</None>
        ) : (
          <ul className="handover-risk">
            {s.risk.openAlerts.map((a, i) => (
              <li key={i}>
                <strong>Raised {formatDate(a.raisedOn)}:</strong> {a.description}
              </li>
            ))}
          </ul>
        )}
        {s.risk.annotations.length > 0 ? (
          <>
            <h3>Recent chart annotations</h3>
            <ul className="plain">
              {s.risk.annotations.map((a, i) => (
                <li key={i}>
                  {formatDate(a.date)}: {a.text}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>

      <Section id="ho-dx" title="Diagnoses">
        {s.diagnoses.length === 0 ? (
          <None>No active diagnoses.</None>
        ) : (
          <Table
            caption="Active diagnoses"
            head={['Rank', 'Code', 'Description', 'Onset']}
            rows={s.diagnoses.map((d) => [
              d.rank,
              <code key="c">{d.code}</code>,
              d.description,
              d.onsetDate ? formatDate(d.onsetDate) : '',
            ])}
          />
        )}
      </Section>

      <Section id="ho-plan" title="Treatment plan">
        {!s.plan ? (
          <None>No signed treatment plan{s.draftPlanPending ? ' (a draft is in progress)' : ''}.</None>
        ) : (
          <>
            <p>
              Version {s.plan.versionNo}, {s.plan.signed.charAt(0).toLowerCase() + s.plan.signed.slice(1)}
              {s.plan.reviewDueDate
                ? `; review due ${formatDate(s.plan.reviewDueDate)} (${REVIEW[s.plan.reviewState ?? 'current'] ?? ''})`
                : ''}
              {s.draftPlanPending ? '; a new draft is in progress' : ''}.
            </p>
            <Table
              caption="Goals of the signed plan"
              head={['Goal', 'Status', 'Latest rating']}
              rows={s.plan.goals.map((g) => [
                `${g.number}. ${g.statement}`,
                g.status,
                g.latestRating
                  ? `${g.latestRating.rating} (${formatDate(g.latestRating.date)})`
                  : 'Not rated yet',
              ])}
            />
          </>
        )}
      </Section>

      <Section id="ho-measures" title="Latest measures">
        {s.measures.length === 0 ? (
          <None>No outcome measures recorded.</None>
        ) : (
          <Table
            caption="Latest score per questionnaire"
            head={['Questionnaire', 'Latest score', 'Band', 'Date', 'Change from previous']}
            rows={s.measures.map((m) => [
              m.name,
              `${m.total} of ${m.maxTotal}`,
              m.band,
              formatDate(m.date),
              m.previous
                ? `${changeText(m.change)}; previous ${m.previous.total} on ${formatDate(m.previous.date)}`
                : changeText(null),
            ])}
          />
        )}
      </Section>

      <Section id="ho-recent" title="Recent sessions">
        {s.recentSessions.length === 0 ? (
          <None>No sessions yet.</None>
        ) : (
          <Table
            caption="The most recent sessions, newest first"
            head={['Date', 'Time', 'Service', 'Clinician', 'Attendance', 'Note']}
            rows={s.recentSessions.map((r) => [
              formatDate(r.date),
              r.time,
              r.service,
              r.clinician,
              r.attendance,
              r.note,
            ])}
          />
        )}
      </Section>

      <Section id="ho-open" title={`Open items (${openCount})`}>
        {openCount === 0 ? <None>No open documentation, reviews or requests.</None> : null}
        {o.notesToWrite.length > 0 ? (
          <>
            <h3>Sessions without a signed note</h3>
            <Table
              caption="Sessions without a signed note"
              head={['Session', 'Clinician', 'Note', 'Due']}
              rows={o.notesToWrite.map((n) => [
                formatDate(n.date),
                n.clinician,
                n.state,
                n.dueOn ? (
                  <span className={n.overdue ? 'handover-overdue' : undefined}>
                    {formatDate(n.dueOn)}
                    {n.overdue ? ' (overdue)' : ''}
                  </span>
                ) : (
                  ''
                ),
              ])}
            />
          </>
        ) : null}
        {o.unsignedNotes.length > 0 ? (
          <>
            <h3>Other unsigned notes</h3>
            <ul className="plain">
              {o.unsignedNotes.map((n, i) => (
                <li key={i}>
                  {formatDate(n.date)}: {n.status}, by {n.author}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {o.awaitingCosign.length > 0 ? (
          <>
            <h3>Waiting for co-signature</h3>
            <ul className="plain">
              {o.awaitingCosign.map((n, i) => (
                <li key={i}>
                  {formatDate(n.date)}: by {n.author}
                  {n.cosigner ? `, with ${n.cosigner}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {o.planReview ? (
          <p>
            <strong>
              Treatment plan review {o.planReview.state === 'overdue' ? 'overdue' : 'due soon'}:
            </strong>{' '}
            due {formatDate(o.planReview.dueDate)}.
          </p>
        ) : null}
        {o.recordRequests.length > 0 ? (
          <>
            <h3>Open record requests</h3>
            <ul className="plain">
              {o.recordRequests.map((r, i) => (
                <li key={i}>
                  {r.kind}: received {formatDate(r.receivedOn)}, due {formatDate(r.dueOn)}
                  {r.overdue ? ' (overdue)' : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h3>Upcoming sessions</h3>
        {o.upcomingSessions.length === 0 ? (
          <None>None scheduled.</None>
        ) : (
          <Table
            caption="Upcoming sessions"
            head={['Date', 'Time', 'Service', 'Clinician']}
            rows={o.upcomingSessions.map((r) => [formatDate(r.date), r.time, r.service, r.clinician])}
          />
        )}
      </Section>
    </>
  );
}
