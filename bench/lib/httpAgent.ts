import type { App } from '../../src/http/app.js';
import type { BenchDatabase } from './benchDatabase.js';
import { round, runConcurrent, summarize } from './stats.js';

// A signed-in browser for the in-process app (Fastify inject: no socket, so process CPU is the server's work).

export interface Agent {
  cookie: string;
  csrf: string;
}

export async function login(app: App, email: string, password: string): Promise<Agent> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'cb_session');
  if (!c) throw new Error('no session cookie');
  return { cookie: `cb_session=${c.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
}

export async function call(
  app: App,
  a: Agent,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
  expect = 200,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await app.inject({
    method,
    url,
    headers: {
      cookie: a.cookie,
      'x-csrf-token': a.csrf,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  if (res.statusCode !== expect)
    throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.body;
}

/** Latency, throughput and CPU per operation (this process = the server; the database's own processes when embedded). */
export async function measure(
  bdb: BenchDatabase,
  total: number,
  concurrency: number,
  fn: (worker: number, i: number) => Promise<void>,
) {
  const cpu0 = process.cpuUsage();
  const db0 = await bdb.serverCpuSeconds();
  const { latencies, wallMs } = await runConcurrent(total, concurrency, fn);
  const cpu = process.cpuUsage(cpu0);
  const db1 = await bdb.serverCpuSeconds();
  return {
    concurrency,
    requests: total,
    perSecond: round((total / wallMs) * 1000, 1),
    latency: summarize(latencies),
    serverCpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / total),
    dbCpuMsPerRequest: db0 !== null && db1 !== null ? round(((db1 - db0) * 1000) / total) : null,
  };
}
