import { useState } from 'react';
import { toApiError, type ApiError } from '../api/http.js';
import type { FieldErrors } from './fields.js';

/** Field errors and a general message for one form, filled from client checks or a problem response. */
export function useFormErrors() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  return {
    errors,
    message,
    clear() {
      setErrors({});
      setMessage(null);
    },
    /** Client-side checks; returns true when there were none. */
    check(found: FieldErrors): boolean {
      setErrors(found);
      setMessage(null);
      return Object.keys(found).length === 0;
    },
    fromError(err: unknown, rename: Record<string, string> = {}): ApiError {
      const e = toApiError(err);
      const next: FieldErrors = {};
      for (const f of e.fieldErrors) {
        const key = rename[f.path] ?? f.path;
        if (!next[key]) next[key] = f.message;
      }
      setErrors(next);
      setMessage(Object.keys(next).length && e.status === 400 ? null : e.detail);
      return e;
    },
    setMessage,
  };
}
