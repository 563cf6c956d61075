import * as z from 'zod';
import { HIDDEN_CHARACTERS_MESSAGE, hasHiddenCharacters } from './human-text.ts';

/**
 * Alerts: webhook endpoints that receive a JSON event, signed with HMAC-SHA256, when a connector goes from passing to
 * failing or back, and when its temporary credentials enter their warning window or expire. `text` is what Slack and
 * Microsoft Teams incoming webhooks display; the rest is for programs.
 */
export const WEBHOOK_EVENTS = ['check.failing', 'check.passing', 'credentials.expiring', 'credentials.expired'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number] | 'test';

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'check.failing': 'A connector starts failing its check',
  'check.passing': 'A failing connector passes again',
  'credentials.expiring': 'Temporary credentials enter their warning window',
  'credentials.expired': 'Temporary credentials expire',
  test: 'Test event',
};

export const WEBHOOK_NAME_MAX = 100;

/** Why a webhook URL cannot be used (in words, for the field), or null. Addresses are judged again when sending. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter the full address of the receiver, like https://hooks.slack.com/services/…';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Webhook URLs start with https:// (or http:// inside your network)';
  if (!url.hostname) return 'The webhook URL needs a host name';
  if (url.username || url.password) return 'Remove the user name and password from the URL: the signing secret proves who sends';
  if (url.hash) return "Webhook URLs can't have a fragment (#…)";
  return null;
}

export const WebhookCreateSchema = z.object({
  name: z
    .string({ error: 'Enter a name, like “Data team Slack”' })
    .trim()
    .min(1, 'Enter a name, like “Data team Slack”')
    .max(WEBHOOK_NAME_MAX, `Use at most ${WEBHOOK_NAME_MAX} characters`)
    .refine((name) => !hasHiddenCharacters(name), HIDDEN_CHARACTERS_MESSAGE),
  url: z
    .string({ error: 'Enter the webhook URL' })
    .trim()
    .min(1, 'Enter the webhook URL')
    .max(2048, 'Webhook URLs can be at most 2048 characters')
    .superRefine((value, ctx) => {
      const problem = webhookUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { error: `events are among ${WEBHOOK_EVENTS.join(', ')}` }))
    .min(1, 'Choose at least one event')
    .max(WEBHOOK_EVENTS.length)
    .default([...WEBHOOK_EVENTS]),
});
export type WebhookCreate = z.input<typeof WebhookCreateSchema>;

export const WEBHOOK_STATES = ['active', 'failing', 'disabled'] as const;

export const WebhookSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** The receiver as the list shows it: scheme and host only (Slack and Teams URLs carry a token in their path). */
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    created_at: z.string(),
    /** active; failing (its last delivery gave up); disabled (it kept failing: no more deliveries until turned on). */
    state: z.enum(WEBHOOK_STATES),
    failing_since: z.string().nullable(),
    /** Why it was turned off or is failing: the last answer, in words. */
    reason: z.string().nullable(),
    last_delivery_at: z.string().nullable(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof WebhookSchema>;

/** The answer to a create: the signing secret, shown this once. */
export const CreatedWebhookSchema = WebhookSchema.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const WebhookDeliverySchema = z
  .object({
    id: z.uuid(),
    event_id: z.uuid(),
    type: z.enum([...WEBHOOK_EVENTS, 'test']),
    /** pending (to be sent, or retried at next_attempt_at); delivered (2xx); failed (gave up after its attempts). */
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    next_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    /** What the event said (its text), for people reading the log. */
    text: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookParamsSchema = z.object({ id: z.uuid({ error: 'Webhook ids are UUIDs' }) });

/** The JSON body a receiver gets. */
export type WebhookEvent = {
  id: string;
  type: WebhookEventType;
  created_at: string;
  /** One line for people (Slack's and Teams' incoming webhooks show `text`). */
  text: string;
  destination: { id: string; name: string; url: string } | null;
  check: { id: string; status: string; reason: string | null } | null;
  credentials: { state: string; expires_at: string | null } | null;
  /**
   * Every event this message carries, the first one's fields being those above: events of one type within a minute of
   * each other go to a receiver as one message (a channel is not a log), and programs read each one here.
   */
  events?: Omit<WebhookEvent, 'events'>[];
};
