import pg from 'pg';

export const APP_LOGIN_ROLE = 'casebook_app_login';

/**
 * Makes sure the application's own login role exists with this password and returns a URL
 * that connects as it. The role is no superuser and owns nothing; it inherits casebook_app's
 * grants, so even a `RESET ROLE` leaves it bound by row-level security and the audit triggers.
 */
export async function ensureAppLogin(ownerUrl: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'casebook-setup' });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_LOGIN_ROLE]);
    const options = `LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT PASSWORD ${client.escapeLiteral(password)}`;
    await client.query(
      exists.rowCount
        ? `ALTER ROLE ${APP_LOGIN_ROLE} ${options}`
        : `CREATE ROLE ${APP_LOGIN_ROLE} ${options}`,
    );
    await client.query(`GRANT casebook_app TO ${APP_LOGIN_ROLE}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = APP_LOGIN_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}
