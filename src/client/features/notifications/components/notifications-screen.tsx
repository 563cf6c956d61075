import { lazy, Suspense, useState } from 'react';
import { WEBHOOK_EVENT_LABELS, type Webhook } from '#shared/webhook-schemas';
import { Dialog, DialogActions } from '#client/ui/dialog.tsx';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { EmptyState, ErrorState, LoadingState } from '#client/ui/status-message.tsx';
import { useDialogTarget } from '#client/ui/use-dialog-target.ts';
import { useNow } from '#client/ui/use-now.ts';
import { When } from '#client/ui/when.tsx';
import { useDeleteWebhook, useDeliveries, useEnableWebhook, useSendTestEvent, useWebhooks } from '../api/webhooks.ts';
import './notifications.css';
import { DataTable } from '#client/ui/data-table.tsx';
import { Badge } from '#client/ui/badge.tsx';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

const AddWebhookDialog = lazy(() => import('./add-webhook-dialog.tsx'));

const STATE_BADGE = { active: ['ok', 'Active'], failing: ['warning', 'Failing'], disabled: ['danger', 'Turned off'] } as const;
const DELIVERY_BADGE = { pending: ['neutral', 'Sending'], delivered: ['ok', 'Delivered'], failed: ['danger', 'Failed'] } as const;

function DeleteDialog({ webhook, open, onOpenChange }: { webhook: Webhook; open: boolean; onOpenChange: (open: boolean) => void }) {
  const remove = useDeleteWebhook();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Remove “${webhook.name}”?`}
      description="No more alerts go to it; its delivery log goes with it."
    >
      {remove.isError && (
        <Notice tone="error" role="alert">
          Couldn't remove the webhook: {remove.error.message}
        </Notice>
      )}
      <DialogActions>
        <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate(webhook.id, { onSuccess: () => onOpenChange(false) })}>
          {remove.isPending ? 'Removing…' : 'Remove webhook'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** One webhook: its state and reason, its actions, and its last deliveries. */
function WebhookCard({ webhook, now, onRemove }: { webhook: Webhook; now: number; onRemove: () => void }) {
  const deliveries = useDeliveries(webhook.id);
  const sendTest = useSendTestEvent();
  const enable = useEnableWebhook();
  const [tone, label] = STATE_BADGE[webhook.state];
  const headingId = `webhook-${webhook.id}`;
  return (
    <article className="card webhook" aria-labelledby={headingId}>
      <header className="webhook-header">
        <h2 id={headingId}>{webhook.name}</h2>
        <Badge tone={tone}>{label}</Badge>
      </header>
      <p className="muted">
        <code>{webhook.url}</code> · {webhook.events.map((event) => WEBHOOK_EVENT_LABELS[event]).join(' · ')}
      </p>
      {webhook.state !== 'active' && webhook.reason && (
        <Notice tone={webhook.state === 'disabled' ? 'error' : 'warning'}>
          {webhook.state === 'disabled' ? 'Turned off after failing again and again: ' : 'The last alert could not be delivered: '}
          {webhook.reason}
        </Notice>
      )}
      <div className="webhook-actions">
        <Button
          size="small"
          disabled={sendTest.isPending}
          onClick={() => sendTest.mutate(webhook.id, { onSuccess: () => void deliveries.refetch() })}
        >
          {sendTest.isPending ? 'Sending…' : 'Send test event'}
        </Button>
        {webhook.state === 'disabled' && (
          <Button size="small" disabled={enable.isPending} onClick={() => enable.mutate(webhook.id)}>
            Turn on again
          </Button>
        )}
        <Button size="small" variant="danger-quiet" aria-label={`Remove ${webhook.name}`} onClick={onRemove}>
          Remove
        </Button>
      </div>
      {(sendTest.isError || enable.isError) && (
        <Notice tone="error" role="alert">
          {(sendTest.error ?? enable.error)?.message}
        </Notice>
      )}
      {deliveries.data && deliveries.data.length > 0 ? (
        <DataTable
          caption={<>Deliveries of {webhook.name}, newest first</>}
          showCaption
          className="deliveries"
          rows={deliveries.data}
          rowKey={(delivery) => delivery.id}
          columns={[
            { label: 'Event', rowHeader: true, cell: (delivery) => WEBHOOK_EVENT_LABELS[delivery.type] },
            {
              label: 'Status',
              cell: (delivery) => {
                const [tone, label] = DELIVERY_BADGE[delivery.status];
                return (
                  <>
                    <Badge tone={tone}>{label}</Badge>
                    {delivery.status === 'pending' && delivery.attempts > 0 && delivery.next_attempt_at && (
                      <span className="muted">
                        {' '}
                        next try <When at={delivery.next_attempt_at} now={now} never="" />
                      </span>
                    )}
                  </>
                );
              },
            },
            { label: 'Attempts', cell: (delivery) => delivery.attempts },
            {
              label: 'Answer',
              cell: (delivery) => delivery.last_error ?? (delivery.last_status_code === null ? '—' : `HTTP ${delivery.last_status_code}`),
            },
            { label: 'When', cell: (delivery) => <When at={delivery.created_at} now={now} never="" /> },
          ]}
        />
      ) : (
        <p className="muted">{deliveries.isPending ? 'Loading deliveries…' : 'Nothing sent yet: Send test event tries it.'}</p>
      )}
    </article>
  );
}

/** Notifications (admins): where alerts go when a connector starts failing or its credentials run out. */
export function NotificationsScreen() {
  const webhooks = useWebhooks();
  const now = useNow(30_000);
  const [addOpen, setAddOpen] = useState(false);
  const removing = useDialogTarget<Webhook>();
  return (
    <section aria-labelledby="notifications-heading">
      <div className="page-header">
        <PageHeading title="Notifications" id="notifications-heading" />
        <Button variant="primary" onClick={() => setAddOpen(true)}>
          Add webhook
        </Button>
      </div>
      <p className="page-intro muted">
        Alerts go to webhooks — a Slack or Microsoft Teams incoming webhook, or your own receiver — when a connector goes from passing to failing or
        back, and when temporary credentials enter their warning window or expire: one event each time, signed with the webhook's secret.
      </p>
      {webhooks.isPending && <LoadingState label="Loading webhooks…" />}
      {webhooks.isError && <ErrorState title="Couldn't load the webhooks" message={webhooks.error.message} onRetry={() => void webhooks.refetch()} />}
      {webhooks.data?.length === 0 && (
        <EmptyState title="No webhooks yet">
          <p>Add one to hear about a failing connector before a pipeline does.</p>
        </EmptyState>
      )}
      {webhooks.data?.map((webhook) => (
        <WebhookCard key={webhook.id} webhook={webhook} now={now} onRemove={() => removing.show(webhook)} />
      ))}
      {addOpen && (
        <Suspense fallback={null}>
          <AddWebhookDialog open={addOpen} onOpenChange={setAddOpen} />
        </Suspense>
      )}
      {removing.target && <DeleteDialog key={removing.target.id} webhook={removing.target} open={removing.open} onOpenChange={removing.setOpen} />}
    </section>
  );
}
