import * as tokens from '../db/apiTokensRepo.js';
import { newId } from '../security/ids.js';
import { hashSecret, randomSecret } from '../security/secrets.js';
import { NotFound } from '../domain/errors.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  scope: 'read' | 'read-write';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function view(t: tokens.ApiTokenRow): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.token_prefix,
    scope: t.scope,
    createdAt: t.created_at.toISOString(),
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    revokedAt: t.revoked_at?.toISOString() ?? null,
  };
}

function requireBrowser(ctx: Ctx, action: string): void {
  // A token cannot mint or revoke tokens: that needs a signed-in person.
  if (ctx.actor.tokenId)
    throw new AccessDenied('Manage API tokens from the web app', { action, category: 'api_token' });
}

export async function listApiTokens(ctx: Ctx): Promise<ApiTokenView[]> {
  return inPractice(ctx, async (tx) => (await tokens.listApiTokens(tx, ctx.actor.userId)).map(view));
}

/** Returns the secret once; only its SHA-256 is stored. */
export async function createApiToken(ctx: Ctx, name: string, scope: 'read' | 'read-write') {
  return inPractice(ctx, async (tx) => {
    requireBrowser(ctx, 'api_token.create');
    const secret = `cb_${randomSecret()}`;
    const row = await tokens.insertApiToken(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      userId: ctx.actor.userId,
      name,
      hash: hashSecret(secret),
      prefix: secret.slice(0, 9),
      scope,
    });
    await auditAs(tx, ctx, {
      action: 'api_token.create',
      category: 'api_token',
      entityType: 'api_token',
      entityId: row.id,
      details: { scope },
    });
    return { token: view(row), secret };
  });
}

export async function revokeApiToken(ctx: Ctx, id: string): Promise<void> {
  await inPractice(ctx, async (tx) => {
    requireBrowser(ctx, 'api_token.revoke');
    if (!(await tokens.revokeApiToken(tx, id, ctx.actor.userId))) throw new NotFound('API token');
    await auditAs(tx, ctx, {
      action: 'api_token.revoke',
      category: 'api_token',
      entityType: 'api_token',
      entityId: id,
    });
  });
}
