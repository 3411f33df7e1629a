import * as consentsRepo from '../db/consentsRepo.js';
import * as repo from '../db/disclosuresRepo.js';
import * as pnRepo from '../db/psychotherapyNotesRepo.js';
import type { Tx } from '../db/database.js';
import { withTransaction } from '../db/database.js';
import { encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { isAccountable, part2Notice, type DisclosureFormat, type LegalBasis } from '../domain/consents.js';
import type { Recipient } from '../domain/consentInput.js';
import { DomainError, Invalid } from '../domain/errors.js';
import { decideRelease, type Refusal, type ReleaseGround } from '../domain/releaseAuthorization.js';
import type { ExportScope, ReleaseCategory } from '../domain/releaseScope.js';
import { auditAs, type AuditFacts, type Ctx } from './context.js';
import { clientDataKey } from './clientKeys.js';
import { consentFacts, consentRecipient, consentView } from './consentViews.js';
import { practiceToday } from './consentService.js';

/**
 * The release gate (issue 5 §2–§3): nothing of a client's record leaves the practice unless a
 * valid authorization (or a legal basis) allows exactly what is released, and every release is
 * one row in the append-only disclosure log.
 *
 * Callers check the actor may act on the client first (authorizeClientFor), then, in ONE
 * transaction: authorizeRelease → read the data (loadChartForExport with approved.scope) →
 * recordDisclosure → their own audit row. A refusal throws ReleaseRefused (422, machine-readable
 * `reasons`); run the transaction through inReleaseTx (or call auditRefusal) so the refusal is
 * audited as denied while nothing else is written.
 */

export interface ReleaseRequest {
  /** A release of information or psychotherapy-note authorization on file for this client. */
  authorizationId?: string | undefined;
  /** Or the legal basis of a release without an authorization. */
  legalBasis?: Exclude<LegalBasis, 'authorization'> | undefined;
  /** Required with a legal basis; taken from the authorization otherwise. */
  recipient?: Recipient | undefined;
  categories: ReleaseCategory[];
  from?: string | undefined;
  to?: string | undefined;
  /** Required with a legal basis; ignored under an authorization (its own purpose is logged). */
  purpose?: string | undefined;
  /** The day of the release (practice-local); default today. For releases recorded afterwards. */
  on?: string | undefined;
  /** What the export is for (ExportScope.purpose); default 'release'. */
  exportPurpose?: ExportScope['purpose'] | undefined;
}

export interface ApprovedRelease {
  clientId: string;
  on: string;
  basis: LegalBasis;
  consentId: string | null;
  categories: ReleaseCategory[];
  from: string | null;
  to: string | null;
  accountable: boolean;
  part2: boolean;
  /** The redisclosure notice to print/carry when part2 (practice setting or default). */
  part2Notice: string | null;
  recipient: Recipient;
  purpose: string;
  /** What loadChartForExport reads: exactly the approved categories and period. */
  scope: ExportScope;
}

/** 422 with the reasons a release was refused; carries the audit facts of the denial. */
export class ReleaseRefused extends DomainError {
  constructor(
    readonly reasons: Refusal[],
    readonly facts: AuditFacts,
  ) {
    super(`This release is not allowed: ${reasons.map((r) => r.message).join(' ')}`, 422, 'Release refused', {
      reasons,
    });
  }
}

/** Records a refused release as a denied audit row, in its own transaction (the refused one rolled back). */
export async function auditRefusal(ctx: Ctx, err: ReleaseRefused): Promise<void> {
  await withTransaction(ctx.db, ctx.actor.practiceId, (tx) =>
    auditAs(tx, ctx, { ...err.facts, outcome: 'denied' }),
  );
}

/** Runs `fn` (which writes nothing until the gate allows) and audits a ReleaseRefused it throws. */
export async function withRefusalAudit<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ReleaseRefused) await auditRefusal(ctx, err);
    throw err;
  }
}

const refuse = (clientId: string, reasons: Refusal[], extra: Record<string, string> = {}) =>
  new ReleaseRefused(reasons, {
    action: 'release.refused',
    category: 'disclosure',
    clientId,
    entityType: 'client',
    entityId: clientId,
    details: { reasons: reasons.map((r) => r.code).join(','), ...extra },
  });

/** Decides a release for this client; throws ReleaseRefused with every reason that applies. */
export async function authorizeRelease(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  request: ReleaseRequest,
): Promise<ApprovedRelease> {
  const today = await practiceToday(tx, ctx);
  const on = request.on ?? today;
  if (on > today)
    throw new Invalid('A release cannot be dated in the future', [
      { path: 'on', message: 'Use today or an earlier date' },
    ]);
  if (request.from && request.to && request.from > request.to)
    throw new Invalid('The records period must start on or before its end', [
      { path: 'to', message: `Use ${request.from} or later` },
    ]);
  let ground: ReleaseGround;
  let recipient = request.recipient;
  // Under an authorization the purpose is the one the client signed: a purpose in the request is
  // ignored, so the log can never say the records went out for something the client did not allow.
  let purpose = request.authorizationId ? '' : (request.purpose?.trim() ?? '');
  if (request.authorizationId) {
    const row = await consentsRepo.getConsent(tx, request.authorizationId);
    if (!row || row.client_id !== clientId)
      throw refuse(clientId, [
        { code: 'authorization_required', message: 'That authorization is not on file for this client.' },
      ]);
    const key = await clientDataKey(tx, ctx, clientId);
    ground = { kind: 'authorization', consent: consentFacts(row) };
    recipient = consentRecipient(row, key) ?? recipient;
    purpose = consentView(row, key, today).purpose ?? '';
  } else if (request.legalBasis) {
    ground = { kind: 'legal_basis', basis: request.legalBasis };
    const errors: { path: string; message: string }[] = [];
    if (!recipient?.name.trim())
      errors.push({ path: 'recipient.name', message: 'Name who receives the records' });
    if (!purpose) errors.push({ path: 'purpose', message: 'State the purpose of the release' });
    if (errors.length > 0) throw new Invalid('Some fields need attention.', errors);
  } else {
    throw refuse(clientId, [
      {
        code: 'authorization_required',
        message: 'Choose the signed authorization behind this release, or the legal basis that allows it.',
      },
    ]);
  }
  const clientPart2 = await consentsRepo.clientHoldsPart2(tx, clientId);
  const decision = decideRelease(ground, request, { today: on, clientPart2 });
  if (!decision.allowed)
    throw refuse(
      clientId,
      decision.reasons,
      request.authorizationId ? { authorizationId: request.authorizationId } : {},
    );
  const notice = decision.part2 ? part2Notice((await consentsRepo.practicePart2Notice(tx)).notice) : null;
  const finalRecipient = recipient ?? { type: 'person' as const, name: '', contact: '' };
  return {
    clientId,
    on,
    basis: decision.basis,
    consentId: decision.consentId,
    categories: decision.categories,
    from: decision.from,
    to: decision.to,
    accountable: decision.accountable,
    part2: decision.part2,
    part2Notice: notice,
    recipient: finalRecipient,
    purpose,
    scope: {
      categories: new Set(decision.categories),
      ...(decision.from ? { from: decision.from } : {}),
      ...(decision.to ? { to: decision.to } : {}),
      ...(notice ? { part2Notice: notice } : {}),
      purpose: request.exportPurpose ?? 'release',
      recipient: finalRecipient.name,
    },
  };
}

/**
 * Psychotherapy notes are readable only by their author, so a release of them sends the actor's
 * own notes. Refuses (ReleaseRefused) a release covering them when the actor has none about this
 * client in the approved period: the log would say notes were released while none were sent.
 */
export async function requireOwnPsychotherapyNotes(
  tx: Tx,
  ctx: Ctx,
  approved: ApprovedRelease,
): Promise<void> {
  if (!approved.categories.includes('psychotherapy_notes')) return;
  await pnRepo.actAsUser(tx, ctx.actor.userId);
  const found = await pnRepo.hasOwnPsychotherapyNotes(tx, {
    clientId: approved.clientId,
    authorId: ctx.actor.userId,
    from: approved.from,
    to: approved.to,
  });
  if (!found)
    throw refuse(
      approved.clientId,
      [
        {
          code: 'psychotherapy_notes_not_author',
          message:
            'You have no psychotherapy notes of your own about this client for this period. Psychotherapy notes are released only by the clinician who wrote them.',
          categories: ['psychotherapy_notes'],
        },
      ],
      approved.consentId ? { authorizationId: approved.consentId } : {},
    );
}

export interface DisclosureDetails {
  clientId: string;
  /** Practice-local day of the release; default today. */
  disclosedOn?: string | undefined;
  recipient: Recipient;
  categories: ReleaseCategory[];
  /** Short description of what was released ("Progress notes 2026-01-01 to 2026-06-30, PDF"). */
  description: string;
  purpose: string;
  basis: LegalBasis;
  /** Required when basis is 'authorization'. */
  consentId?: string | null | undefined;
  format: DisclosureFormat;
  /** 'casebook' when Casebook made the file (default); 'outside' for one recorded afterwards. */
  channel?: 'casebook' | 'outside' | undefined;
  recordsFrom?: string | null | undefined;
  recordsTo?: string | null | undefined;
  part2?: boolean | undefined;
  contentSha256?: string | null | undefined;
  /** Who released it; default the actor. */
  releasedBy?: string | undefined;
}

const TABLE = 'disclosures';

/**
 * Appends one disclosure to the log (recipient, description and purpose encrypted with the
 * client's key) and writes its 'disclosure' audit row, in the caller's transaction. Whether it
 * belongs in the HIPAA accounting follows from the basis. The caller has authorized it.
 */
export async function recordDisclosure(
  tx: Tx,
  ctx: Ctx,
  details: DisclosureDetails,
): Promise<{ id: string }> {
  const key = await clientDataKey(tx, ctx, details.clientId);
  const id = newId();
  const enc = (field: string, text: string) => encryptField(key, TABLE, id, field, text);
  const accountable = isAccountable(details.basis);
  const disclosedOn = details.disclosedOn ?? (await practiceToday(tx, ctx));
  await repo.insertDisclosure(tx, {
    id,
    practiceId: ctx.actor.practiceId,
    clientId: details.clientId,
    disclosedOn,
    recipientEnc: enc('recipient', JSON.stringify(details.recipient)),
    categories: details.categories,
    descriptionEnc: enc('description', details.description),
    purposeEnc: enc('purpose', details.purpose),
    basis: details.basis,
    consentId: details.consentId ?? null,
    accountable,
    format: details.format,
    channel: details.channel ?? 'casebook',
    recordsFrom: details.recordsFrom ?? null,
    recordsTo: details.recordsTo ?? null,
    part2: details.part2 ?? false,
    contentSha256: details.contentSha256 ?? null,
    releasedBy: details.releasedBy ?? ctx.actor.userId,
    recordedBy: ctx.actor.userId,
    at: ctx.clock(),
  });
  await auditAs(tx, ctx, {
    action: 'disclosure.record',
    category: 'disclosure',
    clientId: details.clientId,
    entityType: 'disclosure',
    entityId: id,
    details: {
      basis: details.basis,
      accountable,
      format: details.format,
      channel: details.channel ?? 'casebook',
      categories: details.categories.join(','),
      part2: details.part2 ?? false,
      consentId: details.consentId ?? null,
    },
  });
  return { id };
}
