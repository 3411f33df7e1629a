import type pg from 'pg';

/**
 * Bulk seeding for the benchmarks, in SQL so that a million rows take seconds, not minutes.
 * These helpers run as the schema owner on a throw-away bench database only.
 */

export const LAST_NAMES = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'hernandez',
  'lopez',
  'gonzalez',
  'wilson',
  'anderson',
  'thomas',
  'taylor',
  'moore',
  'jackson',
  'martin',
  'lee',
  'perez',
  'thompson',
  'white',
  'harris',
  'sanchez',
  'clark',
  'ramirez',
  'lewis',
  'robinson',
  'walker',
  'young',
  'allen',
  'king',
  'wright',
  'scott',
  'torres',
  'nguyen',
  'hill',
  'flores',
  'green',
  'adams',
  'nelson',
  'baker',
  'hall',
  'rivera',
  'campbell',
  'mitchell',
  'carter',
  'roberts',
  'gomez',
  'phillips',
  'evans',
  'turner',
  'diaz',
  'parker',
  'cruz',
  'edwards',
  'collins',
  'reyes',
  'stewart',
  'morris',
  'morales',
  'murphy',
  'cook',
  'rogers',
  'gutierrez',
  'ortiz',
  'morgan',
  'cooper',
  'peterson',
  'bailey',
  'reed',
  'kelly',
  'howard',
  'ramos',
  'kim',
  'cox',
  'ward',
  'richardson',
  'watson',
  'brooks',
  'chavez',
  'wood',
  'james',
  'bennett',
  'gray',
  'mendoza',
  'ruiz',
  'hughes',
  'price',
  'alvarez',
  'castillo',
  'sanders',
  'patel',
  'myers',
  'long',
  'ross',
  'foster',
  'jimenez',
];
export const FIRST_NAMES = [
  'james',
  'mary',
  'robert',
  'patricia',
  'john',
  'jennifer',
  'michael',
  'linda',
  'david',
  'elizabeth',
  'william',
  'barbara',
  'richard',
  'susan',
  'joseph',
  'jessica',
  'thomas',
  'sarah',
  'charles',
  'karen',
  'christopher',
  'lisa',
  'daniel',
  'nancy',
  'matthew',
  'betty',
  'anthony',
  'sandra',
  'mark',
  'margaret',
  'donald',
  'ashley',
  'steven',
  'kimberly',
  'andrew',
  'emily',
  'paul',
  'donna',
  'joshua',
  'michelle',
  'kenneth',
  'carol',
  'kevin',
  'amanda',
  'brian',
  'melissa',
  'george',
  'deborah',
  'timothy',
  'stephanie',
  'jordan',
  'taylor',
  'alex',
  'casey',
  'riley',
  'morgan',
  'jamie',
  'avery',
  'quinn',
  'rowan',
];

/** SQL helpers installed into the bench database (never into a real one). */
export const SEED_FUNCTIONS = `
CREATE OR REPLACE FUNCTION bench_uuid7(ts timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7'
          || substr(md5(random()::text), 1, 3) || to_hex(8 + floor(random() * 4)::int)
          || substr(md5(random()::text), 1, 15))::uuid
$$;

-- Client code C-XXXXXX from a number: unique for n < 31^6.
CREATE OR REPLACE FUNCTION bench_client_code(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE a text := '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; s text := ''; x bigint := (n * 387420489 + 12345) % 887503681;
BEGIN
  FOR i IN 1..6 LOOP s := substr(a, (x % 31)::int + 1, 1) || s; x := x / 31; END LOOP;
  RETURN 'C-' || s;
END $$;

-- Appends p_n chained audit rows for one practice, with times spread evenly over [p_t0, p_t1).
-- The hash chain is computed exactly as the audit_chain_append trigger does (same audit_canonical),
-- only with historical times; call with session_replication_role = replica so the trigger stays out.
CREATE OR REPLACE FUNCTION bench_audit_chunk(
  p_practice uuid, p_n int, p_t0 timestamptz, p_t1 timestamptz,
  p_users uuid[], p_labels text[], p_user_lut int[], p_clients uuid[],
  p_actions text[], p_categories text[], p_has_client boolean[], p_action_lut int[]
) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  head audit_chain_heads%ROWTYPE;
  e audit_events%ROWTYPE;
  step double precision := extract(epoch FROM (p_t1 - p_t0)) / p_n;
  t0 double precision := extract(epoch FROM p_t0);
  nclients int := coalesce(array_length(p_clients, 1), 0);
  a int; u int; r double precision;
  agents text[] := ARRAY['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
                         'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15',
                         'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'];
BEGIN
  INSERT INTO audit_chain_heads VALUES (p_practice, 0, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
    ON CONFLICT (practice_id) DO NOTHING;
  SELECT * INTO head FROM audit_chain_heads WHERE practice_id = p_practice FOR UPDATE;
  e.practice_id := p_practice;
  e.actor_token_id := NULL;
  FOR i IN 0 .. p_n - 1 LOOP
    e.seq := head.last_seq + 1 + i;
    e.occurred_at := to_timestamp(t0 + step * (i + random() * 0.9));
    e.id := bench_uuid7(e.occurred_at);
    u := p_user_lut[1 + floor(random() * array_length(p_user_lut, 1))::int];
    a := p_action_lut[1 + floor(random() * array_length(p_action_lut, 1))::int];
    e.actor_user_id := p_users[u];
    e.actor_label := p_labels[u];
    e.action := p_actions[a];
    e.category := p_categories[a];
    IF p_has_client[a] AND nclients > 0 THEN
      e.client_id := p_clients[1 + floor(random() * nclients)::int];
      e.entity_type := 'client';
      e.entity_id := e.client_id::text;
    ELSE
      e.client_id := NULL;
      e.entity_type := NULL;
      e.entity_id := NULL;
    END IF;
    r := random();
    e.outcome := CASE WHEN e.action = 'auth.login_failed' THEN 'failure'
                      WHEN r < 0.015 THEN 'denied' WHEN r < 0.02 THEN 'failure' ELSE 'success' END;
    e.ip := '10.' || (u % 7) || '.' || (u % 250) || '.' || (1 + (i % 200));
    e.user_agent := agents[1 + (u % 3)];
    e.request_id := e.id::text;
    e.details := CASE WHEN e.client_id IS NOT NULL THEN '{"grounds":"care_team"}'::jsonb ELSE '{}'::jsonb END;
    e.prev_hash := head.last_hash;
    e.hash := sha256(e.prev_hash || convert_to(audit_canonical(e), 'UTF8'));
    head.last_hash := e.hash;
    INSERT INTO audit_events (id, practice_id, seq, occurred_at, actor_user_id, actor_token_id, actor_label, action,
        category, client_id, entity_type, entity_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
      VALUES (e.id, e.practice_id, e.seq, e.occurred_at, e.actor_user_id, e.actor_token_id, e.actor_label, e.action,
        e.category, e.client_id, e.entity_type, e.entity_id, e.outcome, e.ip, e.user_agent, e.request_id, e.details,
        e.prev_hash, e.hash);
  END LOOP;
  UPDATE audit_chain_heads SET last_seq = head.last_seq + p_n, last_hash = head.last_hash WHERE practice_id = p_practice;
  RETURN head.last_seq + p_n;
END $fn$;
`;

export async function installSeedFunctions(c: pg.ClientBase): Promise<void> {
  await c.query(SEED_FUNCTIONS);
}

/** A practice row (clinical) straight into the table. */
export async function insertPracticeRow(
  c: pg.ClientBase,
  id: string,
  name: string,
  adminsSeeAll = false,
): Promise<void> {
  await c.query('INSERT INTO practices (id, name, admins_see_all_clients) VALUES ($1, $2, $3)', [
    id,
    name,
    adminsSeeAll,
  ]);
}

/** n staff users; returns ids and emails (the audit actor label is the email). */
export async function insertStaff(
  c: pg.ClientBase,
  practiceId: string,
  n: number,
  label: string,
  passwordHash: string | null,
): Promise<{ id: string; email: string }[]> {
  const r = await c.query<{ id: string; email: string }>(
    `INSERT INTO users (id, practice_id, email, full_name, roles, credentials, password_hash)
     SELECT bench_uuid7(now()), $1, format('staff%s-%s@bench.test', g, $3::text),
            initcap(($4::text[])[1 + g % 60]) || ' ' || initcap(($5::text[])[1 + (g * 7) % 100]) || ' ' || g,
            CASE WHEN g % 10 = 0 THEN ARRAY['supervisor','clinician'] WHEN g % 25 = 1 THEN ARRAY['biller'] ELSE ARRAY['clinician'] END,
            'LCSW', $6
       FROM generate_series(1, $2::int) g
     RETURNING id, email`,
    [practiceId, n, label, FIRST_NAMES, LAST_NAMES, passwordHash],
  );
  return r.rows;
}

/**
 * n clients with realistic names, dates of birth and phones, each with a primary clinician (round
 * robin over `clinicians`) who is also on the care team. Returns the ids.
 */
export async function insertClients(
  c: pg.ClientBase,
  practiceId: string,
  n: number,
  clinicians: string[],
  codeOffset: number,
): Promise<string[]> {
  const r = await c.query<{ id: string }>(
    `WITH src AS (
       SELECT g, now() - make_interval(days => (random() * 1000)::int) AS created,
              ($3::text[])[1 + floor(random() * 60)::int] AS first_name,
              ($4::text[])[1 + floor(random() * 100)::int] AS last_name,
              lpad((5550000000 + (random() * 9999999)::bigint)::text, 10, '0') AS digits
         FROM generate_series(1, $2::int) g
     ), ins AS (
       INSERT INTO clients (id, practice_id, client_code, legal_first_name, legal_last_name, preferred_name, date_of_birth,
                            phones, phone_digits, status, primary_clinician_id, created_at, updated_at)
       SELECT bench_uuid7(created), $1, bench_client_code(g + $6), initcap(first_name), initcap(last_name),
              CASE WHEN g % 9 = 0 THEN initcap(($3::text[])[1 + (g % 60)]) END,
              date '1950-01-01' + (random() * 25000)::int,
              jsonb_build_array(jsonb_build_object('kind', 'mobile', 'number', digits, 'mayLeaveMessage', true)),
              ARRAY[digits], CASE WHEN g % 10 = 0 THEN 'discharged' WHEN g % 17 = 0 THEN 'inactive' ELSE 'active' END,
              ($5::uuid[])[1 + g % array_length($5::uuid[], 1)], created, created
         FROM src
       RETURNING id, practice_id, primary_clinician_id
     ), team AS (
       INSERT INTO care_team_members (practice_id, client_id, user_id) SELECT practice_id, id, primary_clinician_id FROM ins
     )
     SELECT id FROM ins`,
    [practiceId, n, FIRST_NAMES, LAST_NAMES, clinicians, codeOffset],
  );
  return r.rows.map((x) => x.id);
}
