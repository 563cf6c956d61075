import { randomUUID } from 'node:crypto';
import type { Webhook, WebhookDelivery, WebhookEvent, WebhookEventType } from '#shared/webhook-schemas';
import type { SecretCipher } from '../security/crypto.ts';
import { UniqueViolationError, type Sql, type SqlDatabase } from './sql.ts';
import { writingSeal } from './writing-key.ts';

type WebhookRow = {
  id: string;
  name: string;
  url_enc: string;
  url_hint: string;
  secret_enc: string;
  events: string;
  created_at: string;
  consecutive_failures: number;
  failing_since: string | null;
  disabled_at: string | null;
  reason: string | null;
  last_delivery_at: string | null;
};

type DeliveryRow = {
  id: string;
  webhook_id: string;
  event_id: string;
  type: WebhookEventType;
  payload: string;
  status: WebhookDelivery['status'];
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
};

/** A delivery claimed to be sent now, with what sending needs (decrypted only here). */
export type ClaimedDelivery = {
  id: string;
  webhookId: string;
  eventId: string;
  type: WebhookEventType;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
};

/** How one attempt went: delivered, to be tried again at `retryAt`, or given up. */
export type DeliveryOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry'; retryAt: Date; statusCode: number | null; error: string }
  | { kind: 'failed'; statusCode: number | null; error: string };

export class DuplicateWebhookNameError extends Error {}

/** Events of one type to one webhook within this long of each other become one message (the first goes at once). */
export const GROUP_WINDOW_MS = 60_000;
/** Lines a grouped message's text lists; the rest are counted. */
const GROUP_LINES = 10;
/** Events one message carries at most: a sweep of thousands of connectors makes several messages, not one of megabytes. */
export const GROUP_MAX = 100;

/** One message for several events: the first's fields, a text naming them all, and each event in `events`. */
export function groupedEvent(events: Omit<WebhookEvent, 'events'>[]): WebhookEvent {
  const [first] = events as [Omit<WebhookEvent, 'events'>, ...Omit<WebhookEvent, 'events'>[]];
  if (events.length === 1) return { ...first, events };
  const lines = events.slice(0, GROUP_LINES).map((event) => `• ${event.text}`);
  const more = events.length > GROUP_LINES ? [`…and ${events.length - GROUP_LINES} more.`] : [];
  return { ...first, text: [`${events.length} alerts of the same kind within a minute:`, ...lines, ...more].join('\n'), events };
}

/** Deliveries kept per webhook: the log the Notifications screen shows. */
const KEPT = 50;
/** Deliveries given up in a row before the webhook is turned off. */
export const DISABLE_AFTER = 3;

const LISTED = `w.*, (SELECT MAX(d.created_at) FROM webhook_deliveries d WHERE d.webhook_id = w.id) AS last_delivery_at`;

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url_hint,
    events: JSON.parse(row.events) as Webhook['events'],
    created_at: row.created_at,
    state: row.disabled_at !== null ? 'disabled' : row.failing_since !== null ? 'failing' : 'active',
    failing_since: row.failing_since,
    reason: row.reason,
    last_delivery_at: row.last_delivery_at,
  };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    event_id: row.event_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: row.created_at,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    delivered_at: row.delivered_at,
    text: (JSON.parse(row.payload) as WebhookEvent).text,
  };
}

export function createWebhooksRepository(db: SqlDatabase, cipher: SecretCipher) {
  const aad = (id: string, field: 'url' | 'secret') => `webhooks:${id}:${field}`;

  const insertDelivery = (tx: Sql, webhookId: string, event: WebhookEvent, now: string, due = now) =>
    tx.run(
      `INSERT INTO webhook_deliveries (id, webhook_id, event_id, type, payload, status, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', 0, $7, $6)`,
      [randomUUID(), webhookId, event.id, event.type, JSON.stringify(event), now, due],
    );

  return {
    async create(input: {
      name: string;
      url: string;
      urlHint: string;
      secret: string;
      events: string[];
      createdBy: string | null;
    }): Promise<Webhook> {
      const id = randomUUID();
      try {
        await db.transaction(async (tx) => {
          const seal = await writingSeal(tx, cipher);
          await tx.run(
            `INSERT INTO webhooks (id, name, url_enc, url_hint, secret_enc, events, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [
              id,
              input.name,
              seal(input.url, aad(id, 'url')),
              input.urlHint,
              seal(input.secret, aad(id, 'secret')),
              JSON.stringify(input.events),
              new Date().toISOString(),
              input.createdBy,
            ],
          );
        });
      } catch (error) {
        if (error instanceof UniqueViolationError) throw new DuplicateWebhookNameError(input.name);
        throw error;
      }
      return (await this.findById(id)) as Webhook;
    },

    async list(): Promise<Webhook[]> {
      return (await db.all<WebhookRow>(`SELECT ${LISTED} FROM webhooks w ORDER BY w.created_at, w.id`)).map(toWebhook);
    },

    async findById(id: string): Promise<Webhook | null> {
      const row = await db.get<WebhookRow>(`SELECT ${LISTED} FROM webhooks w WHERE w.id = $1`, [id]);
      return row ? toWebhook(row) : null;
    },

    async remove(id: string): Promise<boolean> {
      return (await db.run('DELETE FROM webhooks WHERE id = $1', [id])) === 1;
    },

    /** On again after it was turned off (or marked failing): its failures are forgotten. */
    async enable(id: string): Promise<Webhook | null> {
      await db.run('UPDATE webhooks SET disabled_at = NULL, failing_since = NULL, reason = NULL, consecutive_failures = 0 WHERE id = $1', [id]);
      return this.findById(id);
    },

    /**
     * Queues `event` for every webhook on and subscribed to its type, in the caller's transaction. Grouped: an event
     * joins a message of its type to that webhook not yet sent (one no attempt has claimed); else, when a message of
     * its type went to that webhook within GROUP_WINDOW_MS, it waits for the window's end, where the events after it
     * join it; else it goes at once. Fifteen credentials expiring in one sweep are one message, not fifteen.
     */
    async enqueue(tx: Sql, event: WebhookEvent): Promise<number> {
      const hooks = await tx.all<{ id: string; events: string }>('SELECT id, events FROM webhooks WHERE disabled_at IS NULL');
      const subscribed = hooks.filter((hook) => (JSON.parse(hook.events) as string[]).includes(event.type));
      const single: Omit<WebhookEvent, 'events'> = { ...event };
      delete (single as WebhookEvent).events;
      for (const hook of subscribed) {
        // Messages of its type not yet sent (a few at most: a full one, GROUP_MAX events, has a sibling for the rest).
        const unsent = await tx.all<{ id: string; payload: string; next_attempt_at: string }>(
          `SELECT id, payload, next_attempt_at FROM webhook_deliveries
            WHERE webhook_id = $1 AND type = $2 AND status = 'pending' AND attempts = 0 AND claimed_by IS NULL
            ORDER BY created_at DESC LIMIT 10`,
          [hook.id, event.type],
        );
        const carried = unsent.map((row) => ({ row, events: (JSON.parse(row.payload) as WebhookEvent).events ?? [] }));
        const open = carried.find((message) => message.events.length < GROUP_MAX);
        if (open) {
          const joined = await tx.run(
            "UPDATE webhook_deliveries SET payload = $2 WHERE id = $1 AND status = 'pending' AND attempts = 0 AND claimed_by IS NULL",
            [open.row.id, JSON.stringify(groupedEvent([...open.events, single]))],
          );
          if (joined === 1) continue;
        }
        const full = carried[0];
        if (!open && full) {
          // All full: the next message goes with them, not a minute later (a sweep of a thousand connectors is ten messages now).
          await insertDelivery(tx, hook.id, groupedEvent([single]), event.created_at, full.row.next_attempt_at);
          continue;
        }
        // When the last message of its type went (or is to go): within the window, this one waits for the window's end.
        const last = await tx.get<{ at: string }>(
          'SELECT COALESCE(delivered_at, next_attempt_at, created_at) AS at FROM webhook_deliveries WHERE webhook_id = $1 AND type = $2 ORDER BY created_at DESC LIMIT 1',
          [hook.id, event.type],
        );
        const windowEnds = last ? Date.parse(last.at) + GROUP_WINDOW_MS : 0;
        const due = windowEnds > Date.parse(event.created_at) ? new Date(windowEnds).toISOString() : event.created_at;
        await insertDelivery(tx, hook.id, groupedEvent([single]), event.created_at, due);
      }
      return subscribed.length;
    },

    /** A test event to one webhook (on or off: testing is how one finds out whether it works again). */
    async enqueueTest(webhookId: string, event: WebhookEvent): Promise<WebhookDelivery | null> {
      return db.transaction(async (tx) => {
        if (!(await tx.get('SELECT 1 AS found FROM webhooks WHERE id = $1', [webhookId]))) return null;
        await insertDelivery(tx, webhookId, event, event.created_at);
        const row = await tx.get<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE event_id = $1 AND webhook_id = $2', [event.id, webhookId]);
        return row ? toDelivery(row) : null;
      });
    },

    async deliveries(webhookId: string): Promise<WebhookDelivery[]> {
      const rows = await db.all<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [
        webhookId,
        KEPT,
      ]);
      return rows.map(toDelivery);
    },

    /** Due deliveries (pending, their time come, unclaimed or their claim run out), claimed by `workerId` until `leaseUntil`. */
    async claimDue(workerId: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
      // Most ticks find nothing: a plain read decides that, so an idle second takes no write lock (SQLite's BEGIN
      // IMMEDIATE would queue it behind, and ahead of, the checks' writes).
      const anyDue = await db.get(
        `SELECT 1 AS due FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) LIMIT 1`,
        [now.toISOString()],
      );
      if (!anyDue) return [];
      return db.transaction(async (tx) => {
        const lock = tx.dialect === 'postgres' ? 'FOR UPDATE OF d SKIP LOCKED' : '';
        const due = await tx.all<DeliveryRow & { url_enc: string; secret_enc: string }>(
          `SELECT d.*, w.url_enc, w.secret_enc FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
            ORDER BY d.next_attempt_at, d.id LIMIT $2 ${lock}`,
          [now.toISOString(), limit],
        );
        const claimed: ClaimedDelivery[] = [];
        for (const row of due) {
          // Compare-and-set on the lease read: one instance sends it.
          const taken = await tx.run(
            `UPDATE webhook_deliveries SET claimed_by = $2, lease_until = $3
              WHERE id = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $4)`,
            [row.id, workerId, leaseUntil.toISOString(), now.toISOString()],
          );
          if (taken !== 1) continue;
          claimed.push({
            id: row.id,
            webhookId: row.webhook_id,
            eventId: row.event_id,
            type: row.type,
            payload: row.payload,
            attempts: row.attempts,
            url: cipher.decrypt(row.url_enc, aad(row.webhook_id, 'url')),
            secret: cipher.decrypt(row.secret_enc, aad(row.webhook_id, 'secret')),
          });
        }
        return claimed;
      });
    },

    /** What one attempt gave, and the webhook's health with it: a give-up counts, DISABLE_AFTER in a row turn it off. */
    async record(deliveryId: string, outcome: DeliveryOutcome, now: Date): Promise<void> {
      const at = now.toISOString();
      await db.transaction(async (tx) => {
        const row = await tx.get<{ webhook_id: string }>('SELECT webhook_id FROM webhook_deliveries WHERE id = $1', [deliveryId]);
        if (!row) return;
        if (outcome.kind === 'delivered') {
          await tx.run(
            `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = $2, last_error = NULL,
               delivered_at = $3, claimed_by = NULL, lease_until = NULL WHERE id = $1`,
            [deliveryId, outcome.statusCode, at],
          );
          await tx.run('UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL, reason = NULL WHERE id = $1 AND disabled_at IS NULL', [
            row.webhook_id,
          ]);
        } else if (outcome.kind === 'retry') {
          await tx.run(
            `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = $2, last_error = $3, next_attempt_at = $4,
               claimed_by = NULL, lease_until = NULL WHERE id = $1`,
            [deliveryId, outcome.statusCode, outcome.error, outcome.retryAt.toISOString()],
          );
        } else {
          await tx.run(
            `UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, last_status_code = $2, last_error = $3,
               next_attempt_at = NULL, claimed_by = NULL, lease_until = NULL WHERE id = $1`,
            [deliveryId, outcome.statusCode, outcome.error],
          );
          await tx.run(
            `UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, $2), reason = $3,
               disabled_at = CASE WHEN consecutive_failures + 1 >= $4 THEN $2 ELSE disabled_at END
             WHERE id = $1`,
            [row.webhook_id, at, outcome.error, DISABLE_AFTER],
          );
          // Turned off: what is still queued for it will not be sent.
          await tx.run(
            `UPDATE webhook_deliveries SET status = 'failed', last_error = 'Not sent: the webhook was turned off after failing', next_attempt_at = NULL
              WHERE webhook_id = $1 AND status = 'pending' AND id <> $2 AND EXISTS (SELECT 1 FROM webhooks WHERE id = $1 AND disabled_at IS NOT NULL)`,
            [row.webhook_id, deliveryId],
          );
        }
        // The log keeps the last KEPT per webhook.
        await tx.run(
          `DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND status <> 'pending' AND id NOT IN (
             SELECT id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)`,
          [row.webhook_id, KEPT],
        );
      });
    },

    /**
     * Moves what the alerts last said of a connector's check or credentials, if it still says `from`: true when this
     * call moved it (so exactly one caller, on one instance, sends the event).
     */
    async moveAlertState(
      tx: Sql,
      destinationId: string,
      column: 'alert_check' | 'alert_credentials',
      from: string | null,
      to: string,
    ): Promise<boolean> {
      const moved = await tx.run(
        `UPDATE destinations SET ${column} = $3 WHERE id = $1 AND COALESCE(${column}, '') = COALESCE(CAST($2 AS TEXT), '')`,
        [destinationId, from, to],
      );
      return moved === 1;
    },
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
