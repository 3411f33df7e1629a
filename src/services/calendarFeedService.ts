import * as feeds from '../db/calendarFeedsRepo.js';
import type { FeedSessionRow } from '../db/calendarFeedsRepo.js';
import { getUser } from '../db/usersRepo.js';
import { getPractice } from '../db/practicesRepo.js';
import { scopeToPractice, withTransaction } from '../db/database.js';
import { newId } from '../security/ids.js';
import { hashSecret, randomSecret } from '../security/secrets.js';
import { NotFound } from '../domain/errors.js';
import { isClinical } from '../domain/roles.js';
import { renderCalendar, type CalendarEvent } from '../domain/icalendar.js';
import { SERVICE_TYPE_LABELS } from '../domain/sessionLabels.js';
import type { ServiceType } from '../domain/cptTimeRule.js';
import {
  AccessDenied,
  audit,
  auditAs,
  inPractice,
  type AppDeps,
  type Ctx,
  type RequestMeta,
} from './context.js';

// A clinician's sessions as an iCalendar feed at a secret URL, for a phone or desktop calendar.
// The URL is the only credential, so the feed carries client codes and session kinds only.

const TOKEN_PREFIX = 'cb_cal_';
/** The feed's file name: the prefix, a 256-bit base64url secret, ".ics". */
export const FEED_FILE_PATTERN = /^(cb_cal_[A-Za-z0-9_-]{43})\.ics$/;
const DAY_MS = 86_400_000;
const WINDOW_PAST_DAYS = 30;
const WINDOW_AHEAD_DAYS = 180;
const MAX_EVENTS = 5000;

export interface CalendarFeedStatus {
  active: boolean;
  createdAt: string | null;
}

function requireClinician(ctx: Ctx, action: string): void {
  if (!isClinical(ctx.actor.roles))
    throw new AccessDenied('Only clinicians and supervisors have a session calendar', {
      action,
      category: 'calendar',
    });
  // The feed URL is a standing credential: minting one takes a signed-in person, not a script.
  if (ctx.actor.tokenId)
    throw new AccessDenied('Manage the calendar feed from the web app', { action, category: 'calendar' });
}

export async function calendarFeedStatus(ctx: Ctx): Promise<CalendarFeedStatus> {
  return inPractice(ctx, async (tx) => {
    const feed = await feeds.activeCalendarFeed(tx, ctx.actor.userId);
    return { active: feed !== undefined, createdAt: feed?.created_at.toISOString() ?? null };
  });
}

/** Makes a new feed URL and revokes any earlier one, so a leaked URL is cured by making another. */
export async function createCalendarFeed(ctx: Ctx, baseUrl: string): Promise<{ url: string }> {
  return inPractice(ctx, async (tx) => {
    const action = 'calendar_feed.create';
    requireClinician(ctx, action);
    const replaced = await feeds.revokeCalendarFeeds(tx, ctx.actor.userId);
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const feed = await feeds.insertCalendarFeed(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      userId: ctx.actor.userId,
      hash: hashSecret(token),
    });
    await auditAs(tx, ctx, {
      action,
      category: 'calendar',
      entityType: 'calendar_feed',
      entityId: feed.id,
      details: { replaced },
    });
    return { url: `${baseUrl.replace(/\/+$/, '')}/calendar/${token}.ics` };
  });
}

export async function revokeCalendarFeed(ctx: Ctx): Promise<void> {
  await inPractice(ctx, async (tx) => {
    const action = 'calendar_feed.revoke';
    if (ctx.actor.tokenId)
      throw new AccessDenied('Manage the calendar feed from the web app', { action, category: 'calendar' });
    const revoked = await feeds.revokeCalendarFeeds(tx, ctx.actor.userId);
    await auditAs(tx, ctx, { action, category: 'calendar', details: { revoked } });
  });
}

/** The whole description of a session in someone's calendar: client codes and the session kind. */
function summaryOf(row: FeedSessionRow): string {
  const label = SERVICE_TYPE_LABELS[row.service_type as ServiceType] ?? 'Session';
  if (row.service_type === 'group') {
    const n = row.client_codes.length;
    return `${label} · ${n} ${n === 1 ? 'client' : 'clients'}`;
  }
  return row.client_codes.length > 0 ? `${row.client_codes.join(', ')} · ${label}` : label;
}

function eventOf(row: FeedSessionRow): CalendarEvent {
  return {
    uid: `${row.id}@casebook`,
    start: row.scheduled_start,
    end: row.scheduled_end,
    summary: summaryOf(row),
    status: row.cancelled_at ? 'CANCELLED' : 'CONFIRMED',
    sequence: row.version,
    updatedAt: row.updated_at,
  };
}

/**
 * The feed behind a secret file name, fetched without a sign-in. An unknown, revoked or
 * malformed name, or an owner who left or is no longer a clinician, is one indistinct 404.
 * Each fetch is audited with the feed's owner as the actor.
 */
export async function renderCalendarFeed(deps: AppDeps, meta: RequestMeta, file: string): Promise<string> {
  const token = FEED_FILE_PATTERN.exec(file)?.[1];
  if (!token) throw new NotFound('Calendar');
  const hash = hashSecret(token);
  const now = deps.clock();
  const body = await withTransaction(deps.db, null, async (tx) => {
    const hit = await feeds.findCalendarFeed(tx, hash);
    if (!hit) return null;
    await scopeToPractice(tx, hit.practice_id);
    const owner = await getUser(tx, hit.user_id);
    const practice = await getPractice(tx, hit.practice_id);
    if (!owner?.active || !isClinical(owner.roles) || !practice) return null;
    const rows = await feeds.feedSessions(tx, {
      clinicianId: owner.id,
      from: new Date(now.getTime() - WINDOW_PAST_DAYS * DAY_MS),
      to: new Date(now.getTime() + WINDOW_AHEAD_DAYS * DAY_MS),
      limit: MAX_EVENTS,
    });
    await audit(
      tx,
      meta,
      { practiceId: hit.practice_id, userId: owner.id, label: owner.email },
      { action: 'calendar_feed.fetch', category: 'calendar', details: { sessions: rows.length } },
    );
    // The practice's name tells calendars apart for someone who works in two practices.
    return renderCalendar({ calendarName: `Casebook · ${practice.name}`, events: rows.map(eventOf), now });
  });
  if (body === null) throw new NotFound('Calendar');
  return body;
}
