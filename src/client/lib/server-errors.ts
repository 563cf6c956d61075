import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from './api-client.ts';

/**
 * Puts what the server refused on the fields it concerns: a 409 on `conflict` (a name or e-mail in use), a 422's
 * issues on the fields `fields` maps their body names to. True when a field got the server's words; otherwise the
 * caller shows the message itself, so nothing refused goes unsaid.
 */
export function placeServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: Partial<Record<string, Path<T>>>,
  conflict?: Path<T>,
): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 409 && conflict !== undefined && typeof error.detail === 'string') {
    setError(conflict, { message: error.detail }, { shouldFocus: true });
    return true;
  }
  if (!Array.isArray(error.detail)) return false;
  let placed = false;
  for (const item of error.detail) {
    const field = fields[String(item.loc[1])];
    if (field === undefined) continue;
    // Focus goes to the first field refused.
    setError(field, { message: item.msg }, { shouldFocus: !placed });
    placed = true;
  }
  return placed;
}
