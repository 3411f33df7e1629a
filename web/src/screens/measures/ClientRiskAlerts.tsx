import { useEffect, useState } from 'react';
import { measuresApi, type RiskAlert } from '../../api/measuresApi.js';
import { Alert } from '../../components/Alert.js';
import { hasRole, useSession } from '../../session.js';
import { RiskAlertBanner } from './RiskAlertBanner.js';

/** The client page's risk-alert banner: loads the client's alerts and shows the open ones. */
export function ClientRiskAlerts({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [alerts, setAlerts] = useState<RiskAlert[]>([]);
  const [acknowledged, setAcknowledged] = useState(false);
  useEffect(() => {
    let live = true;
    measuresApi
      .riskAlerts(clientId)
      .then((r) => live && setAlerts(r.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [clientId]);
  return (
    <>
      <RiskAlertBanner
        clientId={clientId}
        alerts={alerts}
        timeZone={me.practice.timeZone}
        canAcknowledge={hasRole(me, 'clinician', 'supervisor')}
        showMeasuresLink
        onChange={(a) => {
          setAlerts((prev) => prev.map((x) => (x.id === a.id ? a : x)));
          setAcknowledged(true);
        }}
      />
      {acknowledged ? (
        <Alert kind="success">Risk alert acknowledged. Your note is in the chart.</Alert>
      ) : null}
    </>
  );
}
