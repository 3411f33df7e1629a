import * as repo from '../db/consentsRepo.js';
import { latestDisclosureUnder } from '../db/disclosuresRepo.js';
import type { Tx } from '../db/database.js';
import { newId } from '../security/ids.js';
import { accessFacts } from '../db/careTeamRepo.js';
import { decideClientAction, type ClientAction, type Grounds } from '../security/accessPolicy.js';
import { checkConsent, type NewConsentInput } from '../domain/consentInput.js';
import { NON_CLINICAL_KINDS, isReleaseKind, type ConsentKind } from '../domain/consents.js';
import { Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import { localDateOf } from '../domain/recurrence.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { practiceOf } from './noteService.js';
import { consentView, seal, type ConsentView } from './consentViews.js';

// Consents and authorizations (issue 5 §1). Recorded once, never edited; revoked once.
// Front-office staff (a scheduler) see and record consents to care only, never releases.

const CATEGORY = 'consent';

export async function practiceToday(tx: Tx, ctx: Ctx): Promise<string> {
  const practice = await practiceOf(tx, ctx);
  return localDateOf(ctx.clock(), practice.time_zone);
}

/** Kinds this actor may see and record for this client, given the grounds of their access. */
function kindsFor(grounds: Grounds): (kind: ConsentKind) => boolean {
  return grounds === 'front_office' ? (k) => NON_CLINICAL_KINDS.includes(k) : () => true;
}

export interface ConsentList {
  items: ConsentView[];
  /** Always false for the front desk, who may not know it. */
  holdsPart2Records: boolean;
  clientVersion: number;
  today: string;
  can: { record: ConsentKind[]; release: boolean; readDisclosures: boolean; setPart2: boolean };
}

/** A client's consents, newest first, each with its status today; audited as one view. */
export async function listConsents(ctx: Ctx, clientId: string): Promise<ConsentList> {
  return inPractice(ctx, async (tx) => {
    const action = 'consent.list';
    const auth = await authorizeClientFor(tx, ctx, clientId, 'client.readConsents', {
      action,
      category: CATEGORY,
    });
    const visible = kindsFor(auth.grounds);
    const rows = (await repo.consentsOfClient(tx, clientId)).filter((r) => visible(r.kind));
    const key = await clientDataKey(tx, ctx, clientId);
    const today = await practiceToday(tx, ctx);
    const facts = await accessFacts(tx, clientId, ctx.actor.userId);
    const can = (a: ClientAction) => decideClientAction(ctx.actor, a, facts.relation, facts.settings);
    const record = can('client.recordConsent');
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length },
    });
    return {
      items: rows.map((r) => consentView(r, key, today)),
      // That a record holds substance-use (Part 2) records is clinical: never told to the front desk.
      holdsPart2Records: auth.grounds !== 'front_office' && (await repo.clientHoldsPart2(tx, clientId)),
      clientVersion: auth.client.version,
      today,
      can: {
        record: record.allowed ? CONSENT_KIND_LIST.filter(kindsFor(record.grounds)) : [],
        release: can('client.release').allowed,
        readDisclosures: can('client.readDisclosures').allowed,
        setPart2: can('client.release').allowed,
      },
    };
  });
}

const CONSENT_KIND_LIST: ConsentKind[] = [
  'treatment',
  'telehealth',
  'financial_policy',
  'recording_ai',
  'release_of_information',
  'psychotherapy_note_authorization',
];

/** Records a signed consent or authorization; free text and the drawn signature are encrypted. */
export async function recordConsent(
  ctx: Ctx,
  clientId: string,
  input: NewConsentInput,
): Promise<ConsentView> {
  return inPractice(ctx, async (tx) => {
    const action = 'consent.create';
    const auth = await authorizeClientFor(tx, ctx, clientId, 'client.recordConsent', {
      action,
      category: CATEGORY,
    });
    if (!kindsFor(auth.grounds)(input.kind))
      throw new AccessDenied('The front desk records consents to care only; a clinician records releases', {
        action,
        category: CATEGORY,
        clientId,
        entityType: 'client',
        entityId: clientId,
        details: { kind: input.kind },
      });
    const today = await practiceToday(tx, ctx);
    const c = checkConsent(input, today);
    const key = await clientDataKey(tx, ctx, clientId);
    const id = newId();
    const opt = (field: string, text: string | undefined) =>
      text?.trim() ? seal(key, id, field, text.trim()) : null;
    await repo.insertConsent(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId,
      kind: c.kind,
      categories: c.categories,
      part2: c.part2,
      recipientEnc:
        isReleaseKind(c.kind) && c.recipient
          ? seal(key, id, 'recipient', JSON.stringify({ ...c.recipient, name: c.recipient.name.trim() }))
          : null,
      purposeEnc: isReleaseKind(c.kind) ? opt('purpose', c.purpose) : null,
      notesEnc: opt('notes', c.notes),
      recordsFrom: isReleaseKind(c.kind) ? (c.recordsFrom ?? null) : null,
      recordsTo: isReleaseKind(c.kind) ? (c.recordsTo ?? null) : null,
      effectiveOn: c.effectiveOn,
      expiresOn: c.expiresOn ?? null,
      expiryEventEnc: opt('expiry_event', c.expiryEvent),
      signedOn: c.signedOn,
      signer: c.signer,
      signerNameEnc: seal(key, id, 'signer_name', c.signerName.trim()),
      signerRelationshipEnc:
        c.signer === 'guardian' ? opt('signer_relationship', c.signerRelationship) : null,
      signatureMethod: c.signatureMethod,
      signaturePngEnc: c.signaturePngBytes
        ? seal(key, id, 'signature_png', c.signaturePngBytes.toString('base64'))
        : null,
      recordedBy: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'consent',
      entityId: id,
      details: { kind: c.kind, part2: c.part2, categories: c.categories.join(',') },
    });
    const row = await repo.getConsent(tx, id);
    if (!row) throw new Error('consent insert not visible');
    return consentView(row, key, today);
  });
}

/** Loads a consent and authorizes the action on its client; a refusal is filed under `action`. */
export async function authorizeConsent(
  tx: Tx,
  ctx: Ctx,
  consentId: string,
  clientAction: 'client.readConsents' | 'client.recordConsent',
  action: string,
  forUpdate = false,
) {
  const row = await repo.getConsent(tx, consentId, forUpdate);
  if (!row)
    throw new AccessDenied(
      'Consent not found',
      { action, category: CATEGORY, entityType: 'consent', entityId: consentId },
      404,
    );
  const auth = await authorizeClientFor(tx, ctx, row.client_id, clientAction, { action, category: CATEGORY });
  if (!kindsFor(auth.grounds)(row.kind))
    throw new AccessDenied(
      'Releases of information are handled by the care team',
      { action, category: CATEGORY, clientId: row.client_id, entityType: 'consent', entityId: consentId },
      404,
    );
  const key = await clientDataKey(tx, ctx, row.client_id);
  return { row, key };
}

/** Revokes a consent from `revokedOn` on (once; If-Match version). Never a future date. */
export async function revokeConsent(
  ctx: Ctx,
  consentId: string,
  version: number,
  input: { revokedOn: string; note?: string | undefined },
): Promise<ConsentView> {
  return inPractice(ctx, async (tx) => {
    const action = 'consent.revoke';
    const { row, key } = await authorizeConsent(tx, ctx, consentId, 'client.recordConsent', action, true);
    const today = await practiceToday(tx, ctx);
    const facts = {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'consent',
      entityId: row.id,
    } as const;
    if (row.version !== version || row.revoked_on !== null)
      throw new StaleVersion(row.version, consentView(row, key, today), facts);
    if (input.revokedOn > today)
      throw new Invalid('A revocation takes effect when it is received: not in the future', [
        { path: 'revokedOn', message: 'Use today or an earlier date' },
      ]);
    if (input.revokedOn < row.signed_on)
      throw new Invalid('A consent cannot be revoked before it was signed', [
        { path: 'revokedOn', message: `Use ${row.signed_on} or later` },
      ]);
    // Backdating past a release already made under the consent would make that release look unlawful.
    const lastRelease = await latestDisclosureUnder(tx, row.id);
    if (lastRelease !== null && input.revokedOn < lastRelease)
      throw new Invalid('A revocation cannot predate a release already made under this consent', [
        {
          path: 'revokedOn',
          message: `Records were released under this consent on ${lastRelease}: use ${lastRelease} or later`,
        },
      ]);
    const note = input.note?.trim();
    const ok = await repo.revokeConsent(tx, {
      id: row.id,
      version,
      revokedOn: input.revokedOn,
      by: ctx.actor.userId,
      at: ctx.clock(),
      noteEnc: note ? seal(key, row.id, 'revocation_note', note) : null,
    });
    if (!ok) throw new StaleVersion(row.version, consentView(row, key, today), facts);
    await auditAs(tx, ctx, { ...facts, details: { kind: row.kind, revokedOn: input.revokedOn } });
    const after = await repo.getConsent(tx, row.id);
    if (!after) throw new NotFound('Consent');
    return consentView(after, key, today);
  });
}

/** Marks (or unmarks) the client's record as holding 42 CFR Part 2 records (If-Match client version). */
export async function setPart2Flag(
  ctx: Ctx,
  clientId: string,
  version: number,
  value: boolean,
): Promise<{ holdsPart2Records: boolean; clientVersion: number }> {
  return inPractice(ctx, async (tx) => {
    const action = 'client.part2_flag';
    const auth = await authorizeClientFor(tx, ctx, clientId, 'client.release', {
      action,
      category: CATEGORY,
    });
    const next = await repo.setClientPart2(tx, clientId, version, value);
    if (next === undefined)
      throw new StaleVersion(auth.client.version, {
        holdsPart2Records: await repo.clientHoldsPart2(tx, clientId),
      });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { holdsPart2Records: value },
    });
    return { holdsPart2Records: value, clientVersion: next };
  });
}
