import type { NoteOptions, NoteView } from '../../api/notesApi.js';
import { formatDate } from '../../components/dateFormat.js';
import { CptOverrideEditor, cptText } from './CptOverrideEditor.js';
import { FieldFrame } from './FieldFrame.js';
import type { FactsDraft } from './draftModel.js';

function labelOf(list: readonly { value: string; label: string }[], value: string | null): string {
  if (value === null) return 'Not recorded';
  return list.find((o) => o.value === value)?.label ?? value.replace(/_/g, ' ');
}

/**
 * When, how long, how and where the session happened, who took part, and the CPT code that
 * follows (suggested by the server from the minutes; the clinician may override with a reason).
 */
export function SessionFactsPanel({
  note,
  facts,
  dateOfService,
  options,
  errors,
  factsPending,
  timeZone,
  onFactsChange,
  onDateChange,
  onBlur,
}: {
  note: NoteView;
  facts: FactsDraft;
  dateOfService: string;
  options: NoteOptions;
  errors: Record<string, string>;
  factsPending: boolean;
  timeZone: string;
  onFactsChange: (patch: Partial<FactsDraft>) => void;
  onDateChange: (date: string) => void;
  onBlur: () => void;
}) {
  const server = note.sessionFacts;
  const standalone = note.sessionId === null;
  const zoneLabel = timeZone.replace(/_/g, ' ');
  return (
    <section className="panel facts-panel" aria-labelledby="facts-title">
      <h2 id="facts-title">Session</h2>
      <div className="facts-grid">
        {standalone ? (
          <FieldFrame name="dateOfService" label="Date of service" required error={errors.dateOfService}>
            {(c) => (
              <input
                type="date"
                {...c}
                value={dateOfService}
                onChange={(e) => onDateChange(e.target.value)}
                onBlur={onBlur}
              />
            )}
          </FieldFrame>
        ) : (
          <div className="fact">
            <span className="fact-label">Date of service</span>
            <span className="fact-value">{formatDate(note.dateOfService)}</span>
          </div>
        )}
        <div className="fact">
          <span className="fact-label">Service</span>
          <span className="fact-value">
            {server.serviceType === null ? 'No session' : labelOf(options.serviceTypes, server.serviceType)}
          </span>
        </div>
      </div>
      <div className="facts-grid three">
        <FieldFrame
          name="sessionFacts.start"
          label="Started"
          required={!standalone}
          help={`Practice time (${zoneLabel})`}
          error={errors['sessionFacts.start']}
        >
          {(c) => (
            <input
              type="datetime-local"
              {...c}
              value={facts.startLocal}
              onChange={(e) => onFactsChange({ startLocal: e.target.value })}
              onBlur={onBlur}
            />
          )}
        </FieldFrame>
        <FieldFrame
          name="sessionFacts.end"
          label="Ended"
          required={!standalone}
          help={`Practice time (${zoneLabel})`}
          error={errors['sessionFacts.end']}
        >
          {(c) => (
            <input
              type="datetime-local"
              {...c}
              value={facts.endLocal}
              onChange={(e) => onFactsChange({ endLocal: e.target.value })}
              onBlur={onBlur}
            />
          )}
        </FieldFrame>
        <div className="fact minutes" aria-live="polite">
          <span className="fact-label">Minutes</span>
          <span className="hint">From the start and end</span>
          <span className="fact-value">
            {server.minutes === null ? '—' : `${server.minutes} min`}
            {factsPending ? <span className="muted"> (updates when saved)</span> : null}
          </span>
        </div>
      </div>
      <div className="facts-grid three">
        <FieldFrame
          name="sessionFacts.modality"
          label="Modality"
          required={false}
          error={errors['sessionFacts.modality']}
        >
          {(c) => (
            <select
              {...c}
              value={facts.modality}
              onChange={(e) => onFactsChange({ modality: e.target.value as FactsDraft['modality'] })}
              onBlur={onBlur}
            >
              <option value="">Not recorded</option>
              {options.modalities.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <FieldFrame
          name="sessionFacts.location"
          label="Location"
          required={false}
          error={errors['sessionFacts.location']}
        >
          {(c) => (
            <input
              type="text"
              {...c}
              maxLength={200}
              value={facts.location}
              onChange={(e) => onFactsChange({ location: e.target.value })}
              onBlur={onBlur}
            />
          )}
        </FieldFrame>
        <div className="field checkbox fact-check">
          <input
            type="checkbox"
            id="f-sessionFacts-clientAtHome"
            checked={facts.clientAtHome}
            onChange={(e) => onFactsChange({ clientAtHome: e.target.checked })}
            onBlur={onBlur}
          />
          <label htmlFor="f-sessionFacts-clientAtHome">Client was at home (telehealth)</label>
        </div>
      </div>
      <FieldFrame
        name="sessionFacts.participants"
        label="Participants"
        required={false}
        help="Separate with commas. Name others by role (e.g. Mother), never another client's name."
        error={errors['sessionFacts.participants']}
      >
        {(c) => (
          <input
            type="text"
            {...c}
            value={facts.participantsText}
            onChange={(e) => onFactsChange({ participantsText: e.target.value })}
            onBlur={onBlur}
          />
        )}
      </FieldFrame>
      <div className="field checkbox">
        <input
          type="checkbox"
          id="f-sessionFacts-interactiveComplexity"
          aria-describedby="f-sessionFacts-interactiveComplexity-hint"
          checked={facts.interactiveComplexity}
          onChange={(e) => onFactsChange({ interactiveComplexity: e.target.checked })}
          onBlur={onBlur}
        />
        <label htmlFor="f-sessionFacts-interactiveComplexity">Interactive complexity</label>
        <p className="hint" id="f-sessionFacts-interactiveComplexity-hint">
          Communication factors that complicated the session (adds 90785 where allowed).
        </p>
      </div>

      {/* A note without a session is not billed on its own: no code unless one was set already. */}
      {standalone && server.cpt.length === 0 && facts.override === null ? null : (
        <>
          <div className="cpt-box" aria-live="polite">
            <h3>Billing code</h3>
            <p className="cpt-codes">
              <span className="cpt-value">{cptText(server.cpt)}</span>
              {server.cptOverrideReason !== null ? (
                <span className="badge badge-override">Overridden</span>
              ) : server.cpt.length > 0 ? (
                <span className="badge badge-primary">Suggested</span>
              ) : null}
              {factsPending ? <span className="muted"> (updates when saved)</span> : null}
            </p>
            <p className="hint cpt-reason">
              {server.cptOverrideReason !== null
                ? `Override reason: ${server.cptOverrideReason}`
                : server.cptReason}
              {server.placeOfService ? ` · Place of service ${server.placeOfService}` : ''}
            </p>
          </div>
          {facts.override === null ? (
            <button
              type="button"
              className="button secondary small"
              onClick={() =>
                onFactsChange({
                  override: {
                    codes:
                      server.cpt.length > 0
                        ? server.cpt.map((c) => ({
                            code: c.code,
                            units: String(c.units),
                            modifiers: c.modifiers.join(', '),
                          }))
                        : [{ code: '', units: '1', modifiers: '' }],
                    reason: '',
                  },
                })
              }
            >
              Override code
            </button>
          ) : (
            <CptOverrideEditor
              override={facts.override}
              suggested={server.cptSuggested}
              errors={errors}
              onChange={(override) => onFactsChange({ override })}
              onBlur={onBlur}
            />
          )}
        </>
      )}
    </section>
  );
}
