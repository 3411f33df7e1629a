import { useEffect, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import {
  measuresApi,
  type ChartAnnotation,
  type InstrumentDefinition,
  type MeasureDetail,
  type MeasureSeries,
  type RiskAlert,
} from '../../api/measuresApi.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { GiveMeasureForm } from './GiveMeasureForm.js';
import { RiskAlertBanner } from './RiskAlertBanner.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import { SendLinkDialog } from './SendLinkDialog.js';
import { TrendChart } from './TrendChart.js';
import './measures.css';

/** A client's outcome measures: open risk alerts, giving a questionnaire, the schedule and trend charts. */
export function MeasuresScreen({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const timeZone = me.practice.timeZone;
  const clinical = hasRole(me, 'clinician', 'supervisor');
  const [clientName, setClientName] = useState<string | null>(null);
  const [instruments, setInstruments] = useState<InstrumentDefinition[] | null>(null);
  const [series, setSeries] = useState<MeasureSeries[] | null>(null);
  const [alerts, setAlerts] = useState<RiskAlert[]>([]);
  const [annotations, setAnnotations] = useState<ChartAnnotation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [giving, setGiving] = useState<InstrumentDefinition | null>(null);
  const [result, setResult] = useState<MeasureDetail | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    let live = true;
    api
      .client(clientId)
      .then((c) => live && setClientName(`${c.preferredName ?? c.legalFirstName} ${c.legalLastName}`))
      .catch(() => undefined);
    measuresApi
      .instruments()
      .then((r) => live && setInstruments(r.items))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId]);

  useEffect(() => {
    let live = true;
    measuresApi
      .series(clientId)
      .then((r) => live && setSeries(r.series))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    measuresApi
      .riskAlerts(clientId)
      .then((r) => live && setAlerts(r.items))
      .catch(() => undefined);
    // Annotations are optional decoration: the charts stand without them.
    measuresApi
      .annotations(clientId)
      .then((r) => live && setAnnotations(r.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [clientId, refresh]);

  const given = (d: MeasureDetail) => {
    setGiving(null);
    setResult(d);
    setAcknowledged(false);
    setRefresh((n) => n + 1);
  };
  const resultName = result ? (instruments?.find((i) => i.id === result.instrument)?.shortName ?? '') : '';

  return (
    <div className="measures-area">
      <PageHeader title={clientName ? `Outcome measures: ${clientName}` : 'Outcome measures'}>
        {clinical ? <SendLinkDialog clientId={clientId} /> : null}
      </PageHeader>
      <p className="record-meta">
        <Link to={`/clients/${clientId}`}>Back to the client record</Link>
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <RiskAlertBanner
        clientId={clientId}
        alerts={alerts}
        timeZone={timeZone}
        canAcknowledge={clinical}
        onChange={(a) => {
          setAlerts((prev) => prev.map((x) => (x.id === a.id ? a : x)));
          setAcknowledged(true);
        }}
      />
      {acknowledged ? (
        <Alert kind="success">Risk alert acknowledged. Your note is in the chart.</Alert>
      ) : null}
      {result ? (
        <Alert kind={result.item9Positive ? 'warning' : 'success'} title={`${resultName} saved`}>
          <p>
            Total {result.total} — {result.band.label}.
            {result.pcl5
              ? ` Provisional DSM-5 criteria ${result.pcl5.provisionalDiagnosisCriteriaMet ? 'met' : 'not met'}.`
              : ''}
            {result.item9Positive ? ' Item 9 was answered above zero: a risk alert was raised.' : ''}
          </p>
        </Alert>
      ) : null}

      {clinical ? (
        <section className="panel" aria-labelledby="give-panel-title">
          <h2 id="give-panel-title">Give a questionnaire in session</h2>
          {giving ? (
            <GiveMeasureForm
              key={giving.id}
              clientId={clientId}
              instrument={giving}
              onGiven={given}
              onCancel={() => setGiving(null)}
            />
          ) : (
            <div className="button-row">
              {(instruments ?? []).map((i) => (
                <button
                  key={i.id}
                  type="button"
                  className="button secondary"
                  onClick={() => {
                    setResult(null);
                    setGiving(i);
                  }}
                >
                  Give {i.shortName}
                </button>
              ))}
            </div>
          )}
        </section>
      ) : null}

      {instruments ? (
        <ScheduleEditor
          clientId={clientId}
          instruments={instruments}
          timeZone={timeZone}
          canEdit={clinical}
          refreshKey={refresh}
        />
      ) : null}

      {series === null && !error ? <p role="status">Loading scores…</p> : null}
      {series?.map((s) => (
        <section key={s.instrument} className="panel" aria-labelledby={`trend-${s.instrument}`}>
          <h2 id={`trend-${s.instrument}`}>{s.name}</h2>
          {s.points.length === 0 ? (
            <p className="muted">No {s.name} scores yet.</p>
          ) : (
            <TrendChart series={s} annotations={annotations} timeZone={timeZone} />
          )}
        </section>
      ))}
    </div>
  );
}
