import { z } from 'zod';
import * as repo from '../db/disclosuresRepo.js';
import type { DisclosureRow } from '../db/disclosuresRepo.js';
import { getClient } from '../db/clientsRepo.js';
import { getUser } from '../db/usersRepo.js';
import { decryptField } from '../security/fieldEncryption.js';
import { renderAccountingPdf } from '../documents/accountingPdf.js';
import { accountingCsv } from '../interop/csv/accountingCsv.js';
import { LEGAL_BASIS_LABELS, type DisclosureFormat, type LegalBasis } from '../domain/consents.js';
import type { Recipient } from '../domain/consentInput.js';
import { NotFound } from '../domain/errors.js';
import { accountingPeriod } from '../domain/accountingPeriod.js';
import { decodeCursor, encodeCursor } from '../domain/keysetCursor.js';
import { RELEASE_CATEGORY_LABELS, type ReleaseCategory } from '../domain/releaseScope.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { formClient } from './consentDocuments.js';
import { practiceToday } from './consentService.js';
import { practiceOf } from './noteService.js';
import { printedTime } from './notePrintService.js';
import { authorizeRelease, recordDisclosure, withRefusalAudit, type ReleaseRequest } from './releaseGate.js';

// The disclosure log, releases recorded after the fact, and the accounting of disclosures.

const CATEGORY = 'disclosure';
const TABLE = 'disclosures';

export interface DisclosureView {
  id: string;
  disclosedOn: string;
  recipient: Recipient;
  categories: ReleaseCategory[];
  description: string;
  purpose: string;
  basis: LegalBasis;
  basisLabel: string;
  consentId: string | null;
  accountable: boolean;
  format: DisclosureFormat;
  channel: 'casebook' | 'outside';
  recordsFrom: string | null;
  recordsTo: string | null;
  part2: boolean;
  contentSha256: string | null;
  releasedBy: string;
  recordedAt: string;
}

function view(row: DisclosureRow, key: Buffer): DisclosureView {
  const open = (field: string, blob: Buffer) => decryptField(key, TABLE, row.id, field, blob);
  return {
    id: row.id,
    disclosedOn: row.disclosed_on,
    recipient: JSON.parse(open('recipient', row.recipient_enc)) as Recipient,
    categories: row.categories,
    description: open('description', row.description_enc),
    purpose: open('purpose', row.purpose_enc),
    basis: row.basis,
    basisLabel: LEGAL_BASIS_LABELS[row.basis],
    consentId: row.consent_id,
    accountable: row.accountable,
    format: row.format,
    channel: row.channel,
    recordsFrom: row.records_from,
    recordsTo: row.records_to,
    part2: row.part2,
    contentSha256: row.content_sha256,
    releasedBy: row.released_by_name,
    recordedAt: row.recorded_at.toISOString(),
  };
}

const cursorShape = z.tuple([z.iso.date(), z.uuid()]);

/** One page of a client's disclosure log, newest first; audited as one view. */
export async function listDisclosures(
  ctx: Ctx,
  clientId: string,
  opts: { cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: DisclosureView[]; nextCursor: string | null }> {
  const limit = opts.limit ?? 50;
  const after = opts.cursor ? decodeCursor(opts.cursor, cursorShape) : null;
  return inPractice(ctx, async (tx) => {
    const action = 'disclosure.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readDisclosures', { action, category: CATEGORY });
    const rows = await repo.disclosuresOfClient(
      tx,
      clientId,
      limit + 1,
      after ? { on: after[0], id: after[1] } : null,
    );
    const page = rows.slice(0, limit);
    const key = await clientDataKey(tx, ctx, clientId);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: page.length },
    });
    const last = page.at(-1);
    return {
      items: page.map((r) => view(r, key)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.disclosed_on, last.id]) : null,
    };
  });
}

export interface OutsideDisclosureInput extends ReleaseRequest {
  on: string;
  format: Exclude<DisclosureFormat, 'fhir'>;
  description: string;
}

/**
 * Records a release made outside Casebook (paper, phone, fax), gated like a release made here:
 * the authorization must have allowed it on the day it was made. A refusal writes nothing but
 * its audit row.
 */
export async function recordOutsideDisclosure(
  ctx: Ctx,
  clientId: string,
  input: OutsideDisclosureInput,
): Promise<DisclosureView> {
  return withRefusalAudit(ctx, () =>
    inPractice(ctx, async (tx) => {
      const action = 'disclosure.record_outside';
      await authorizeClientFor(tx, ctx, clientId, 'client.release', { action, category: CATEGORY });
      const approved = await authorizeRelease(tx, ctx, clientId, input);
      const { id } = await recordDisclosure(tx, ctx, {
        clientId,
        disclosedOn: approved.on,
        recipient: approved.recipient,
        categories: approved.categories,
        description: input.description.trim(),
        purpose: approved.purpose,
        basis: approved.basis,
        consentId: approved.consentId,
        format: input.format,
        channel: 'outside',
        recordsFrom: approved.from,
        recordsTo: approved.to,
        part2: approved.part2,
      });
      const row = await repo.getDisclosure(tx, id);
      if (!row) throw new Error('disclosure insert not visible');
      return view(row, await clientDataKey(tx, ctx, clientId));
    }),
  );
}

/** The accounting of disclosures (45 CFR 164.528) for a client and period, as PDF or CSV. */
export async function accountingOfDisclosures(
  ctx: Ctx,
  clientId: string,
  opts: { from?: string | undefined; to?: string | undefined; format: 'pdf' | 'csv' },
): Promise<{ filename: string; contentType: string; body: NodeJS.ReadableStream | string }> {
  return inPractice(ctx, async (tx) => {
    const action = 'disclosure.accounting';
    await authorizeClientFor(tx, ctx, clientId, 'client.readDisclosures', { action, category: CATEGORY });
    const today = await practiceToday(tx, ctx);
    const period = accountingPeriod(today, opts.from, opts.to);
    const rows = await repo.accountableDisclosures(tx, clientId, period.from, period.to);
    const key = await clientDataKey(tx, ctx, clientId);
    const items = rows.map((r) => view(r, key));
    const client = await getClient(tx, clientId);
    if (!client) throw new NotFound('Client');
    const practice = await practiceOf(tx, ctx);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { from: period.from, to: period.to, format: opts.format, count: items.length },
    });
    const base = `accounting-of-disclosures-${client.client_code}-${period.from}-to-${period.to}`;
    // A release made here describes its categories already; one recorded afterwards gets them added.
    const describe = (d: DisclosureView) =>
      d.channel === 'casebook'
        ? d.description
        : `${d.description} (${d.categories.map((c) => RELEASE_CATEGORY_LABELS[c]).join(', ')})`;
    if (opts.format === 'csv')
      return {
        filename: `${base}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: accountingCsv(
          items.map((d) => ({
            date: d.disclosedOn,
            recipient: d.recipient.name,
            recipientContact: d.recipient.contact,
            description: d.description,
            categories: d.categories.map((c) => RELEASE_CATEGORY_LABELS[c]).join('; '),
            purpose: d.purpose,
            basis: d.basisLabel,
            format: d.format,
            releasedBy: d.releasedBy,
            disclosureId: d.id,
          })),
        ),
      };
    const me = await getUser(tx, ctx.actor.userId);
    return {
      filename: `${base}.pdf`,
      contentType: 'application/pdf',
      body: renderAccountingPdf({
        practice: { name: practice.name },
        client: formClient(client),
        period,
        entries: items.map((d) => ({
          date: d.disclosedOn,
          recipient: d.recipient.name,
          recipientContact: d.recipient.contact,
          description: describe(d),
          purpose: d.purpose,
          basis: d.basisLabel,
        })),
        generated: { at: printedTime(ctx.clock(), practice.time_zone), by: me?.full_name ?? ctx.actorLabel },
      }),
    };
  });
}
