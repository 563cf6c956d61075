import { randomUUID } from 'node:crypto';
import { credentialsMethod, credentialsState } from '#shared/credentials';
import type { WebhookEvent, WebhookEventType } from '#shared/webhook-schemas';
import { CANCELLED_REASON } from '../store/checks-repository.ts';
import type { Sql, SqlDatabase } from '../store/sql.ts';
import type { WebhooksRepository } from '../store/webhooks-repository.ts';

const APP = 'S3 destinations admin';

type Destination = { id: string; name: string };

/**
 * When alerts are sent: a connector's check verdict moving between passing and failing (decided in the transaction
 * that records the check), and its temporary credentials entering their warning window or expiring (a sweep of the
 * clock). Each move is a compare-and-set on what the alerts last said of the connector, so one event per transition
 * whichever instance sees it. A connector's first verdict is not a transition: nothing was passing before.
 */
export function createAlerts(options: { db: SqlDatabase; webhooks: WebhooksRepository; publicOrigin: string; onQueued?: () => void }) {
  const { db, webhooks } = options;
  const linkTo = (destination: Destination) => ({ ...destination, url: new URL(`/destinations/${destination.id}`, options.publicOrigin).href });
  const event = (
    type: WebhookEventType,
    text: string,
    parts: Partial<Pick<WebhookEvent, 'destination' | 'check' | 'credentials'>>,
  ): WebhookEvent => ({
    id: randomUUID(),
    type,
    created_at: new Date().toISOString(),
    text,
    destination: parts.destination ?? null,
    check: parts.check ?? null,
    credentials: parts.credentials ?? null,
  });

  return {
    /** In the transaction that records a check of a saved connector: true when an event was queued. */
    async onCheckFinished(
      tx: Sql,
      destinationId: string,
      check: { id: string; status: 'SUCCESS' | 'FAILURE'; reason: string | null },
    ): Promise<boolean> {
      // A cancel says nothing about the bucket.
      if (check.reason === CANCELLED_REASON) return false;
      const row = await tx.get<{ name: string; alert_check: string | null }>('SELECT name, alert_check FROM destinations WHERE id = $1', [
        destinationId,
      ]);
      if (!row) return false;
      const now = check.status === 'SUCCESS' ? 'passing' : 'failing';
      if (row.alert_check === now || !(await webhooks.moveAlertState(tx, destinationId, 'alert_check', row.alert_check, now))) return false;
      if (row.alert_check === null) return false;
      const destination = linkTo({ id: destinationId, name: row.name });
      const text =
        now === 'failing'
          ? `${APP}: “${row.name}” is failing its connection check: ${check.reason ?? 'see its page'} ${destination.url}`
          : `${APP}: “${row.name}” passes its connection check again. ${destination.url}`;
      const queued = await webhooks.enqueue(tx, event(now === 'failing' ? 'check.failing' : 'check.passing', text, { destination, check }));
      return queued > 0;
    },

    /** The clock's side: temporary credentials that entered their warning window or expired since the last sweep. */
    async sweepCredentials(now = new Date()): Promise<number> {
      const rows = await db.all<{
        id: string;
        name: string;
        anonymous: number;
        ambient_credentials: number;
        role_arn: string | null;
        has_token: number;
        token_expires_at: string | null;
        token_saved_at: string | null;
        expired_by_check: number;
        alert_credentials: string | null;
      }>(
        `SELECT id, name, anonymous, ambient_credentials, role_arn, CASE WHEN token_enc IS NULL THEN 0 ELSE 1 END AS has_token,
                token_expires_at, token_saved_at, expired_by_check, alert_credentials
           FROM destinations WHERE token_enc IS NOT NULL OR alert_credentials IS NOT NULL`,
      );
      let queued = 0;
      for (const row of rows) {
        const method = credentialsMethod({
          anonymous: row.anonymous === 1,
          ambient_credentials: row.ambient_credentials === 1,
          role_arn: row.role_arn,
          has_token: row.has_token === 1,
        });
        const state = credentialsState({
          method,
          expiresAt: row.token_expires_at,
          savedAt: row.token_saved_at,
          expiredByCheck: row.expired_by_check === 1,
          now,
        });
        if (state === row.alert_credentials) continue;
        queued += await db.transaction(async (tx) => {
          if (!(await webhooks.moveAlertState(tx, row.id, 'alert_credentials', row.alert_credentials, state))) return 0;
          if (state !== 'expiring' && state !== 'expired') return 0;
          // Renewed credentials that are then expiring again are a new warning; expiring after expired is not news.
          if (state === 'expiring' && row.alert_credentials === 'expired') return 0;
          const destination = linkTo({ id: row.id, name: row.name });
          const when = row.token_expires_at ? new Date(row.token_expires_at).toISOString().replace(/\.\d{3}Z$/, 'Z') : 'now';
          const text =
            state === 'expired'
              ? `${APP}: the temporary credentials of “${row.name}” have expired (${when}): replace them with Update credentials. ${destination.url}`
              : `${APP}: the temporary credentials of “${row.name}” expire at ${when}: replace them before then. ${destination.url}`;
          return webhooks.enqueue(
            tx,
            event(state === 'expired' ? 'credentials.expired' : 'credentials.expiring', text, {
              destination,
              credentials: { state, expires_at: row.token_expires_at },
            }),
          );
        });
      }
      if (queued > 0) options.onQueued?.();
      return queued;
    },

    /** A test event for one webhook: says where it came from, and nothing about any connector. */
    testEvent(webhookName: string): WebhookEvent {
      return event('test', `${APP}: a test event for the webhook “${webhookName}”. If you can read this, alerts reach you.`, {});
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
