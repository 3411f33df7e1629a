import * as links from '../db/measureLinksRepo.js';
import type { MeasureLinkRow } from '../db/measureLinksRepo.js';
import { getClientKey } from '../db/clientBackgroundRepo.js';
import { getUser } from '../db/usersRepo.js';
import { scopeToPractice, withTransaction, type Tx } from '../db/database.js';
import { newId } from '../security/ids.js';
import { hashSecret, randomSecret } from '../security/secrets.js';
import { unwrapDataKey } from '../security/fieldEncryption.js';
import { Conflict, DomainError } from '../domain/errors.js';
import {
  checkMeasureAnswers,
  INSTRUMENTS,
  IncompleteMeasure,
  type InstrumentId,
} from '../domain/measures.js';
import {
  linkExpiry,
  linkStatus,
  looksLikeLinkToken,
  LINK_EXPIRY_DEFAULT_HOURS,
  type LinkStatus,
} from '../domain/measureLinks.js';
import { recordAdministration } from './measureRecording.js';
import { authorizeClientFor } from './clientService.js';
import {
  AccessDenied,
  audit,
  auditAs,
  inPractice,
  type AppDeps,
  type Ctx,
  type RequestMeta,
} from './context.js';

// One-time links through which a client answers one questionnaire without signing in. The
// token in the link is the only credential: it opens that one form, for that one client, once.

const CATEGORY = 'outcome_measure';
const ENTITY = 'measure_link';
const LIST_LIMIT = 100;
/** Who the audit trail names for what arrives through a link: the client, not a staff member. */
const LINK_ACTOR = 'Client (questionnaire link)';

/** Every refusal of a public link looks the same, so a guess learns nothing. */
export class LinkNotValid extends DomainError {
  constructor() {
    super('This link is no longer valid', 404, 'Not Found');
  }
}

export interface MeasureLinkView {
  id: string;
  clientId: string;
  instrument: InstrumentId;
  instrumentName: string;
  status: LinkStatus;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  createdBy: string;
}

/** What the public page may show: the form and when the link ends. No names, no ids. */
export interface PublicQuestionnaire {
  title: string;
  shortName: string;
  instructions: string;
  items: { id: string; number: number; text: string }[];
  options: { value: number; label: string }[];
  difficulty: { id: string; text: string; options: { value: number; label: string }[] } | null;
  copyright: string;
  expiresAt: string;
}

function view(row: MeasureLinkRow, now: Date): MeasureLinkView {
  const instrument = row.instrument as InstrumentId;
  return {
    id: row.id,
    clientId: row.client_id,
    instrument,
    instrumentName: INSTRUMENTS[instrument].shortName,
    status: linkStatus({ expiresAt: row.expires_at, usedAt: row.used_at, revokedAt: row.revoked_at }, now),
    expiresAt: row.expires_at.toISOString(),
    usedAt: row.used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

/** Makes a link for one client and one questionnaire; the URL (with the token) is returned this once. */
export async function createMeasureLink(
  ctx: Ctx,
  baseUrl: string,
  input: { clientId: string; instrument: InstrumentId; expiresInHours?: number | undefined },
): Promise<{ link: MeasureLinkView; url: string }> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure_link.create';
    await authorizeClientFor(tx, ctx, input.clientId, 'client.writeNotes', { action, category: CATEGORY });
    const now = ctx.clock();
    const hours = input.expiresInHours ?? LINK_EXPIRY_DEFAULT_HOURS;
    const token = randomSecret(32);
    const row = await links.insertMeasureLink(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      clientId: input.clientId,
      instrument: input.instrument,
      hash: hashSecret(token),
      expiresAt: linkExpiry(now, hours),
      createdBy: ctx.actor.userId,
      createdAt: now,
    });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: input.clientId,
      entityType: ENTITY,
      entityId: row.id,
      details: { instrument: input.instrument, expiresInHours: hours },
    });
    // In the fragment: browsers never send it to a server, so it stays out of logs and Referer.
    return { link: view(row, now), url: `${baseUrl.replace(/\/+$/, '')}/questionnaire#${token}` };
  });
}

/** A client's links, newest first, with each one's state now. */
export async function listMeasureLinks(ctx: Ctx, clientId: string): Promise<MeasureLinkView[]> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure_link.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: CATEGORY });
    const rows = await links.listClientMeasureLinks(tx, clientId, LIST_LIMIT);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { links: rows.length },
    });
    const now = ctx.clock();
    return rows.map((r) => view(r, now));
  });
}

/** Stops an unused link from working; a used one cannot be revoked (409). */
export async function revokeMeasureLink(ctx: Ctx, linkId: string): Promise<MeasureLinkView> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure_link.revoke';
    const found = await links.getMeasureLink(tx, linkId);
    if (!found)
      throw new AccessDenied(
        'No such questionnaire link',
        { action, category: CATEGORY, entityType: ENTITY, entityId: linkId },
        404,
      );
    await authorizeClientFor(tx, ctx, found.client_id, 'client.writeNotes', { action, category: CATEGORY });
    const now = ctx.clock();
    const row = await links.revokeMeasureLink(tx, linkId, now);
    if (!row)
      throw new Conflict(
        found.used_at
          ? 'This link was already used, so it cannot be revoked'
          : 'This link was already revoked',
      );
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: ENTITY,
      entityId: row.id,
      details: { instrument: row.instrument, wasExpired: row.expires_at.getTime() <= now.getTime() },
    });
    return view(row, now);
  });
}

type Refusal = { refused: true };
const REFUSED: Refusal = { refused: true };

/**
 * The link behind a token, scoped to its practice, or undefined for a token that matches no link
 * (forged or malformed: nothing to audit, since no practice or client is known).
 */
async function linkForToken(tx: Tx, token: string): Promise<MeasureLinkRow | undefined> {
  if (!looksLikeLinkToken(token)) return undefined;
  const hit = await links.findMeasureLink(tx, hashSecret(token));
  if (!hit) return undefined;
  await scopeToPractice(tx, hit.practice_id);
  return links.getMeasureLink(tx, hit.id);
}

function auditLink(
  tx: Tx,
  meta: RequestMeta,
  row: MeasureLinkRow,
  action: string,
  outcome: 'success' | 'denied' | 'failure',
  details: Record<string, string | number | boolean | null>,
): Promise<void> {
  return audit(
    tx,
    meta,
    { practiceId: row.practice_id, userId: null, label: LINK_ACTOR },
    {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: ENTITY,
      entityId: row.id,
      outcome,
      details: { instrument: row.instrument, ...details },
    },
  );
}

/** Why a link cannot be used now, or null when it can. */
async function refusalReason(tx: Tx, row: MeasureLinkRow, now: Date): Promise<string | null> {
  const status = linkStatus(
    { expiresAt: row.expires_at, usedAt: row.used_at, revokedAt: row.revoked_at },
    now,
  );
  if (status !== 'open') return status;
  // A link stops when whoever sent it has left the practice, or the record was erased.
  const creator = await getUser(tx, row.created_by);
  if (!creator?.active) return 'sender_inactive';
  if (!(await getClientKey(tx, row.client_id))) return 'record_erased';
  return null;
}

function publicForm(row: MeasureLinkRow): PublicQuestionnaire {
  const def = INSTRUMENTS[row.instrument as InstrumentId];
  const options = (o: { value: number; label: string }[]) => o.map(({ value, label }) => ({ value, label }));
  return {
    title: def.name,
    shortName: def.shortName,
    instructions: def.instructions,
    items: def.items.map(({ id, number, text }) => ({ id, number, text })),
    options: options(def.options),
    difficulty: def.difficulty
      ? { id: def.difficulty.id, text: def.difficulty.text, options: options(def.difficulty.options) }
      : null,
    copyright: def.copyright,
    expiresAt: row.expires_at.toISOString(),
  };
}

/** Opens the form behind a token, without a sign-in. Any link that cannot be used is one 404. */
export async function openQuestionnaire(
  deps: AppDeps,
  meta: RequestMeta,
  token: string,
): Promise<PublicQuestionnaire> {
  const result = await withTransaction(deps.db, null, async (tx): Promise<PublicQuestionnaire | Refusal> => {
    const row = await linkForToken(tx, token);
    if (!row) return REFUSED;
    const reason = await refusalReason(tx, row, deps.clock());
    if (reason) {
      await auditLink(tx, meta, row, 'measure_link.open', 'denied', { reason });
      return REFUSED;
    }
    await auditLink(tx, meta, row, 'measure_link.open', 'success', {});
    return publicForm(row);
  });
  if ('refused' in result) throw new LinkNotValid();
  return result;
}

/**
 * Saves the client's answers through the link and uses the link up, in one transaction. An
 * incomplete form is refused (422) and leaves the link usable; of two submits only one wins.
 */
export async function submitQuestionnaire(
  deps: AppDeps,
  meta: RequestMeta,
  token: string,
  answers: Record<string, number>,
): Promise<void> {
  const action = 'measure_link.submit';
  const result = await withTransaction(
    deps.db,
    null,
    async (tx): Promise<'saved' | Refusal | IncompleteMeasure> => {
      const row = await linkForToken(tx, token);
      if (!row) return REFUSED;
      const now = deps.clock();
      const reason = await refusalReason(tx, row, now);
      if (reason) {
        await auditLink(tx, meta, row, action, 'denied', { reason });
        return REFUSED;
      }
      const instrument = row.instrument as InstrumentId;
      const problems = checkMeasureAnswers(INSTRUMENTS[instrument], answers);
      if (problems.length > 0) {
        await auditLink(tx, meta, row, action, 'failure', {
          reason: 'incomplete',
          problems: problems.length,
        });
        return new IncompleteMeasure(instrument, problems);
      }
      // The check above can race with another submit or a revocation: this statement decides.
      const used = await links.useMeasureLink(tx, row.id, now);
      if (!used) {
        await auditLink(tx, meta, row, action, 'denied', { reason: 'used_concurrently' });
        return REFUSED;
      }
      const wrapped = await getClientKey(tx, row.client_id);
      if (!wrapped) throw new Error('client key vanished inside the transaction');
      const saved = await recordAdministration(tx, {
        practiceId: row.practice_id,
        clientId: row.client_id,
        instrument,
        answers,
        administeredAt: now,
        source: 'client_link',
        linkId: row.id,
        sessionId: null,
        recordedBy: null,
        key: unwrapDataKey(deps.keys.practiceKey(row.practice_id), row.client_id, wrapped),
      });
      await auditLink(tx, meta, row, action, 'success', { administrationId: saved.id });
      if (saved.riskAlertId)
        await audit(
          tx,
          meta,
          { practiceId: row.practice_id, userId: null, label: LINK_ACTOR },
          {
            action: 'risk_alert.raise',
            category: 'risk_alert',
            clientId: row.client_id,
            entityType: 'risk_alert',
            entityId: saved.riskAlertId,
            outcome: 'success',
            details: { kind: 'phq9_item9', source: 'client_link' },
          },
        );
      return 'saved';
    },
  );
  if (result instanceof IncompleteMeasure) throw result;
  if (result !== 'saved') throw new LinkNotValid();
}

/**
 * Records a request refused before it reached a use case (a body with fields it may not carry,
 * e.g. a clientId) when its token names a link, so attempts to steer a link elsewhere are visible.
 */
export async function auditRefusedRequest(
  deps: AppDeps,
  meta: RequestMeta,
  token: string,
  step: 'open' | 'submit',
): Promise<void> {
  await withTransaction(deps.db, null, async (tx) => {
    const row = await linkForToken(tx, token);
    if (row) await auditLink(tx, meta, row, `measure_link.${step}`, 'denied', { reason: 'bad_request' });
  });
}
