import type { Queryable } from './database.js';
import type { DisclosureFormat, LegalBasis } from '../domain/consents.js';
import type { ReleaseCategory } from '../domain/releaseScope.js';

// The disclosure log (0009): append-only, one row per release to anyone outside the practice.

export interface DisclosureRow {
  id: string;
  client_id: string;
  disclosed_on: string;
  recipient_enc: Buffer;
  categories: ReleaseCategory[];
  description_enc: Buffer;
  purpose_enc: Buffer;
  basis: LegalBasis;
  consent_id: string | null;
  accountable: boolean;
  format: DisclosureFormat;
  channel: 'casebook' | 'outside';
  records_from: string | null;
  records_to: string | null;
  part2: boolean;
  content_sha256: string | null;
  released_by: string;
  released_by_name: string;
  recorded_at: Date;
}

const SELECT = `SELECT d.id, d.client_id, d.disclosed_on::text AS disclosed_on, d.recipient_enc, d.categories,
       d.description_enc, d.purpose_enc, d.basis, d.consent_id, d.accountable, d.format, d.channel,
       d.records_from::text AS records_from, d.records_to::text AS records_to, d.part2, d.content_sha256,
       d.released_by, u.full_name AS released_by_name, d.recorded_at
  FROM disclosures d JOIN users u ON u.id = d.released_by`;

export interface NewDisclosure {
  id: string;
  practiceId: string;
  clientId: string;
  disclosedOn: string;
  recipientEnc: Buffer;
  categories: ReleaseCategory[];
  descriptionEnc: Buffer;
  purposeEnc: Buffer;
  basis: LegalBasis;
  consentId: string | null;
  accountable: boolean;
  format: DisclosureFormat;
  channel: 'casebook' | 'outside';
  recordsFrom: string | null;
  recordsTo: string | null;
  part2: boolean;
  contentSha256: string | null;
  releasedBy: string;
  recordedBy: string;
  at: Date;
}

export async function insertDisclosure(tx: Queryable, d: NewDisclosure): Promise<void> {
  await tx.query(
    `INSERT INTO disclosures (id, practice_id, client_id, disclosed_on, recipient_enc, categories, description_enc,
       purpose_enc, basis, consent_id, accountable, format, channel, records_from, records_to, part2, content_sha256,
       released_by, recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)`,
    [
      d.id,
      d.practiceId,
      d.clientId,
      d.disclosedOn,
      d.recipientEnc,
      d.categories,
      d.descriptionEnc,
      d.purposeEnc,
      d.basis,
      d.consentId,
      d.accountable,
      d.format,
      d.channel,
      d.recordsFrom,
      d.recordsTo,
      d.part2,
      d.contentSha256,
      d.releasedBy,
      d.recordedBy,
      d.at,
    ],
  );
}

/** One page of a client's disclosure log, newest first, after the keyset position (disclosures_client_idx). */
export async function disclosuresOfClient(
  tx: Queryable,
  clientId: string,
  limit: number,
  after: { on: string; id: string } | null,
): Promise<DisclosureRow[]> {
  const r = await tx.query<DisclosureRow>(
    `${SELECT}
      WHERE d.practice_id = current_practice_id() AND d.client_id = $1
        AND ($2::date IS NULL OR (d.disclosed_on, d.id) < ($2::date, $3::uuid))
      ORDER BY d.disclosed_on DESC, d.id DESC
      LIMIT $4`,
    [clientId, after?.on ?? null, after?.id ?? null, limit],
  );
  return r.rows;
}

/** The accountable disclosures of a client in a period, oldest first (disclosures_accounting_idx). */
export async function accountableDisclosures(
  tx: Queryable,
  clientId: string,
  from: string,
  to: string,
): Promise<DisclosureRow[]> {
  const r = await tx.query<DisclosureRow>(
    `${SELECT}
      WHERE d.practice_id = current_practice_id() AND d.client_id = $1 AND d.accountable
        AND d.disclosed_on BETWEEN $2::date AND $3::date
      ORDER BY d.disclosed_on, d.id`,
    [clientId, from, to],
  );
  return r.rows;
}

export async function getDisclosure(tx: Queryable, id: string): Promise<DisclosureRow | undefined> {
  const r = await tx.query<DisclosureRow>(
    `${SELECT} WHERE d.practice_id = current_practice_id() AND d.id = $1`,
    [id],
  );
  return r.rows[0];
}

/** The day of the latest disclosure made under this consent (authorization), or null if none. */
export async function latestDisclosureUnder(tx: Queryable, consentId: string): Promise<string | null> {
  const r = await tx.query<{ latest: string | null }>(
    `SELECT max(disclosed_on)::text AS latest FROM disclosures
      WHERE practice_id = current_practice_id() AND consent_id = $1`,
    [consentId],
  );
  return r.rows[0]?.latest ?? null;
}
