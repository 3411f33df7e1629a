import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { meSchema } from '../../../src/http/routes/auth.js';
import type { clientView } from '../../../src/http/routes/clients.js';
import type { ClientRecord, Me } from './types.js';

// Compile-time checks (run by `tsc` in `npm test`): the web client's shapes are the server's zod output shapes.
describe('web API types match the server schemas', () => {
  it('GET /api/v1/auth/me', () => {
    expectTypeOf<Me>().toEqualTypeOf<z.infer<typeof meSchema>>();
  });
  it('GET /api/v1/clients/:id', () => {
    expectTypeOf<ClientRecord>().toEqualTypeOf<z.infer<typeof clientView>>();
  });
});
