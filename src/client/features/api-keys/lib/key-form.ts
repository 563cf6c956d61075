import * as z from 'zod';
import { ApiKeyCreateSchema, apiKeyExpiryProblem, type ApiKeyCreate } from '#shared/api-key-schemas';

/** How long a new key lives: a number of days, never, or until the end of a chosen day. */
export const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'date', label: 'Until a date…' },
  { value: 'never', label: 'Never' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

const DAY_MS = 86_400_000;

/** When a key made at `now` with this choice expires: RFC 3339, null for never, undefined for a date not (yet) valid. */
export function expiresAtOf(choice: ExpiryChoice, date: string, now: number): string | null | undefined {
  if (choice === 'never') return null;
  if (choice !== 'date') return new Date(now + Number(choice) * DAY_MS).toISOString();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  // The end of that day where the admin is: "until 31 March" includes 31 March.
  const end = new Date(year, month - 1, day, 23, 59, 59);
  return end.getMonth() === month - 1 ? end.toISOString() : undefined;
}

/** The form, checked with the server's own rules for the name and role, and the expiry's on the field it concerns. */
export const createKeyFormSchema = (now: () => number) =>
  z
    .object({
      name: ApiKeyCreateSchema.shape.name,
      role: ApiKeyCreateSchema.shape.role,
      expiry: z.enum(EXPIRY_CHOICES.map((c) => c.value) as [ExpiryChoice, ...ExpiryChoice[]]),
      date: z.string(),
    })
    .superRefine((values, context) => {
      if (values.expiry !== 'date') return;
      const at = expiresAtOf('date', values.date, now());
      const problem = at === undefined ? 'Choose the last day the key works' : apiKeyExpiryProblem(at, now());
      if (problem) context.addIssue({ code: 'custom', path: ['date'], message: problem });
    });
export type KeyFormValues = z.input<ReturnType<typeof createKeyFormSchema>>;

export const toCreateRequest = (values: KeyFormValues, now: number): ApiKeyCreate => ({
  name: values.name.trim(),
  role: values.role,
  expires_at: expiresAtOf(values.expiry, values.date, now) ?? null,
});
