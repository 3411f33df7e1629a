/** Lets another page open the audit report filtered to one client, without putting anything in the URL. */
let pending: { clientId: string; clientCode: string } | null = null;

export function openAuditForClient(clientId: string, clientCode: string): void {
  pending = { clientId, clientCode };
}

export function takeAuditClient(): { clientId: string; clientCode: string } | null {
  const p = pending;
  pending = null;
  return p;
}
