import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { problemHandler } from './problem.js';

function appThrowing(code: string) {
  const app = Fastify({ logger: false });
  app.setErrorHandler(problemHandler);
  app.get('/x', () => {
    throw Object.assign(new Error('database said no, with a value: secret'), { code });
  });
  return app;
}

describe('problemHandler', () => {
  it.each(['40P01', '40001'])(
    'maps PostgreSQL %s (two requests collided) to 409 "try again"',
    async (code) => {
      const app = appThrowing(code);
      const res = await app.inject({ method: 'GET', url: '/x' });
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json<{ status: number; detail: string; retry: boolean }>();
      expect(body).toMatchObject({ status: 409, retry: true });
      expect(body.detail).toMatch(/try again/);
      expect(res.body).not.toContain('secret');
      await app.close();
    },
  );

  it('still answers an unknown database error with a safe 500', async () => {
    const app = appThrowing('XX000');
    const res = await app.inject({ method: 'GET', url: '/x' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    await app.close();
  });
});
