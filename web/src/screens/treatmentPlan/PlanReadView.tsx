import { useEffect, useState, type ReactNode } from 'react';
import type { PlanContent } from '../../../../src/domain/treatmentPlan.js';
import {
  treatmentPlanApi,
  type AcknowledgementView,
  type DiagnosisOption,
  type PlanClinician,
  type PlanVersionView,
} from '../../api/treatmentPlanApi.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { pngDataUrl } from './acknowledgementForm.js';
import { ACK_METHOD_LABEL, GOAL_STATUS_LABEL, INSTRUMENT_LABEL, MODALITY_LABEL } from './planLabels.js';

function Text({ value }: { value: string | null | undefined }) {
  return value && value.trim() ? <>{value}</> : <span className="tp-empty">Not given</span>;
}

/** The plan's content as a document: problems, goals with objectives and interventions, service plan. */
export function PlanContentView({
  content,
  clinicians,
  diagnoses,
  serviceTypeLabel,
  goalExtra,
}: {
  content: PlanContent;
  clinicians: PlanClinician[];
  diagnoses: DiagnosisOption[];
  serviceTypeLabel: (v: string) => string;
  /** Shown under each goal's facts (the goal's progress trend on the signed plan). */
  goalExtra?: (goalId: string, index: number) => ReactNode;
}) {
  const diagnosisName = (id: string) => {
    const d = diagnoses.find((x) => x.id === id);
    return d ? `${d.code} ${d.description}` : 'A diagnosis no longer on the list';
  };
  const clinicianName = (id: string | null) =>
    id === null ? 'Not assigned' : (clinicians.find((c) => c.id === id)?.name ?? 'A former clinician');
  const problemNo = (id: string) => content.problems.findIndex((p) => p.id === id) + 1;
  const sp = content.servicePlan;
  return (
    <div className="tp-read">
      <section aria-labelledby="tp-read-problems">
        <h3 id="tp-read-problems">Problems</h3>
        {content.problems.length === 0 ? <p className="tp-empty">None</p> : null}
        <ol>
          {content.problems.map((p) => (
            <li key={p.id}>
              <Text value={p.statement} />
              {p.diagnosisIds.length > 0 ? (
                <span className="muted"> — {p.diagnosisIds.map(diagnosisName).join('; ')}</span>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="tp-read-goals">
        <h3 id="tp-read-goals">Goals</h3>
        {content.goals.length === 0 ? <p className="tp-empty">None</p> : null}
        {content.goals.map((g, i) => (
          <div className="tp-read-goal" key={g.id}>
            <h4>
              Goal {i + 1}: <Text value={g.statement} />{' '}
              <span className="badge badge-primary">{GOAL_STATUS_LABEL[g.status]}</span>
            </h4>
            <dl>
              <dt>Problems</dt>
              <dd>
                {g.problemIds.length
                  ? g.problemIds.map((id) => `Problem ${problemNo(id)}`).join(', ')
                  : 'None'}
              </dd>
              <dt>How measured</dt>
              <dd>
                <Text value={g.measuredBy} />
              </dd>
              <dt>Baseline</dt>
              <dd>
                <Text value={g.baseline} />
              </dd>
              <dt>Target</dt>
              <dd>
                <Text value={g.target} />
              </dd>
              {g.measure ? (
                <>
                  <dt>Score target</dt>
                  <dd>
                    {INSTRUMENT_LABEL[g.measure.instrument]} below {g.measure.below}
                  </dd>
                </>
              ) : null}
              <dt>Target date</dt>
              <dd>{g.targetDate ? formatDate(g.targetDate) : <span className="tp-empty">Not given</span>}</dd>
            </dl>
            {goalExtra?.(g.id, i)}
            {g.objectives.length > 0 ? (
              <>
                <p className="tb-subhead">Objectives</p>
                <ol>
                  {g.objectives.map((o) => (
                    <li key={o.id}>
                      <Text value={o.statement} />{' '}
                      <span className="muted">— measured by {o.measure || 'not given'}</span>
                      {o.targetDate ? (
                        <span className="muted">, by {formatDate(o.targetDate)}</span>
                      ) : null}{' '}
                      <span className="badge badge-primary">{GOAL_STATUS_LABEL[o.status]}</span>
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
            {g.interventions.length > 0 ? (
              <>
                <p className="tb-subhead">Interventions</p>
                <ul>
                  {g.interventions.map((v) => (
                    <li key={v.id}>
                      <strong>{MODALITY_LABEL[v.modality]}</strong>
                      {v.description ? `: ${v.description}` : ''}
                      <span className="muted">
                        {' '}
                        — {v.frequency || 'frequency not given'}; {clinicianName(v.responsibleClinicianId)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        ))}
      </section>
      <section aria-labelledby="tp-read-service">
        <h3 id="tp-read-service">Service plan</h3>
        <dl>
          <dt>Session type</dt>
          <dd>
            {sp.sessionType ? serviceTypeLabel(sp.sessionType) : <span className="tp-empty">Not given</span>}
          </dd>
          <dt>Length</dt>
          <dd>{sp.minutes ? `${sp.minutes} minutes` : <span className="tp-empty">Not given</span>}</dd>
          <dt>How often</dt>
          <dd>
            <Text value={sp.frequency} />
          </dd>
          <dt>Expected duration</dt>
          <dd>
            <Text value={sp.expectedDuration} />
          </dd>
        </dl>
      </section>
      <section aria-labelledby="tp-read-context">
        <h3 id="tp-read-context">Strengths, barriers and discharge</h3>
        <dl>
          <dt>Strengths</dt>
          <dd>
            <Text value={content.strengths} />
          </dd>
          <dt>Barriers</dt>
          <dd>
            <Text value={content.barriers} />
          </dd>
          <dt>Discharge criteria</dt>
          <dd>
            <Text value={content.dischargeCriteria} />
          </dd>
        </dl>
      </section>
    </div>
  );
}

/** The clinician's signature and every acknowledgement the client gave for this version. */
export function PlanSignatureBlock({ version, timeZone }: { version: PlanVersionView; timeZone: string }) {
  const s = version.signature;
  return (
    <div className="tp-signature-block" data-testid="plan-signature">
      {s ? (
        <p>
          <strong>Signed</strong> by {s.name}
          {s.credentials ? `, ${s.credentials}` : ''}
          {s.licenseNumber ? ` (license ${s.licenseNumber})` : ''} on {formatDateTime(s.signedAt, timeZone)}
        </p>
      ) : null}
      <h3>Client acknowledgement</h3>
      {version.acknowledgements.length === 0 ? (
        <p className="tp-empty">The client has not acknowledged this version yet.</p>
      ) : (
        version.acknowledgements.map((a) => <AcknowledgementLine key={a.id} ack={a} timeZone={timeZone} />)
      )}
    </div>
  );
}

function AcknowledgementLine({ ack, timeZone }: { ack: AcknowledgementView; timeZone: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!ack.hasDrawnSignature) return undefined;
    let live = true;
    treatmentPlanApi
      .acknowledgementSignature(ack.id)
      .then((r) => live && setSrc(pngDataUrl(r.png)))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [ack.id, ack.hasDrawnSignature]);
  return (
    <div className="tp-ack" data-testid="plan-acknowledgement">
      <p>
        Acknowledged by <strong>{ack.typedName}</strong> on {formatDate(ack.acknowledgedOn)} (
        {ACK_METHOD_LABEL[ack.method].toLowerCase()}). Recorded by {ack.recordedByName},{' '}
        {formatDateTime(ack.recordedAt, timeZone)}.
      </p>
      {ack.hasDrawnSignature ? (
        src ? (
          <img className="tp-signature-image" src={src} alt={`Drawn signature of ${ack.typedName}`} />
        ) : failed ? (
          <p className="muted">The drawn signature could not be loaded.</p>
        ) : (
          <p className="muted">Loading the drawn signature…</p>
        )
      ) : (
        <p className="muted">No drawn signature; the typed name is the acknowledgement.</p>
      )}
    </div>
  );
}
