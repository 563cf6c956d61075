import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import * as z from 'zod';
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, WebhookCreateSchema, type CreatedWebhook } from '#shared/webhook-schemas';
import { CreatedDone, CreateOnceActions, useCreateOnce } from '#client/lib/create-once.tsx';
import { Dialog } from '#client/ui/dialog.tsx';
import { Field } from '#client/ui/field.tsx';
import { ShownOnce } from '#client/ui/shown-once.tsx';
import { createWebhook, webhooksQueryOptions } from '../api/webhooks.ts';
import { Notice } from '#client/ui/notice.tsx';

type Props = { open: boolean; onOpenChange: (open: boolean) => void };
type FormValues = { name: string; url: string; events: string[] };

// The API's own rules, on the form's fields.
const FormSchema = z.object({
  name: WebhookCreateSchema.shape.name,
  url: WebhookCreateSchema.shape.url,
  events: z.array(z.string()).min(1, 'Choose at least one event'),
});
const SERVER_FIELDS: Record<string, keyof FormValues> = { name: 'name', url: 'url', events: 'events' };

/**
 * Add a webhook: a name, the receiver's URL (a Slack or Teams incoming webhook, or your own), the events; then the
 * signing secret, shown this once. Held in this dialog's state only, forgotten when it closes.
 */
export default function AddWebhookDialog({ open, onOpenChange }: Props) {
  const queryClient = useQueryClient();
  const { register, handleSubmit, formState, setError, reset } = useForm<FormValues>({
    resolver: zodResolver(FormSchema),
    defaultValues: { name: '', url: '', events: [...WEBHOOK_EVENTS] },
  });
  const { created, failure, close, run } = useCreateOnce<CreatedWebhook, FormValues>({
    onOpenChange,
    reset,
    setError,
    fields: SERVER_FIELDS,
    conflict: 'name',
  });
  const submit = handleSubmit((values) =>
    run(
      () => createWebhook({ name: values.name, url: values.url, events: values.events as CreatedWebhook['events'] }),
      () => queryClient.invalidateQueries({ queryKey: webhooksQueryOptions().queryKey }),
    ),
  );

  if (created) {
    return (
      <Dialog open={open} onOpenChange={close} title={`Webhook “${created.name}” added`}>
        <Notice tone="warning">
          Copy the signing secret now: this is the only time it is shown. Your receiver uses it to check that an event came from this server (the
          README shows how); Slack and Teams do not need it.
        </Notice>
        <ShownOnce label="Signing secret" value={created.secret} copyLabel="Copy secret" />
        <CreatedDone close={close} />
      </Dialog>
    );
  }
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Add a webhook"
      description="Alerts are POSTed to it as JSON, signed, with a text line Slack and Teams show."
    >
      <form onSubmit={(e) => void submit(e)} noValidate className="dialog-form">
        <Field label="Name" error={formState.errors.name?.message} hint="Who it reaches, for example “Data team Slack”. Unique.">
          {(props) => <input {...props} type="text" autoComplete="off" {...register('name')} />}
        </Field>
        <Field
          label="Webhook URL"
          error={formState.errors.url?.message}
          hint="A Slack or Teams incoming webhook URL, or your own receiver. Kept encrypted; shown by its host only."
        >
          {(props) => (
            <input
              {...props}
              type="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://hooks.slack.com/services/…"
              {...register('url')}
            />
          )}
        </Field>
        <fieldset className="choices" aria-describedby={formState.errors.events ? 'events-error' : undefined}>
          <legend>Send an alert when</legend>
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="choice choice-inline">
              <input type="checkbox" value={event} {...register('events')} />
              <span>{WEBHOOK_EVENT_LABELS[event]}</span>
            </label>
          ))}
          {formState.errors.events && (
            <p id="events-error" className="field-error">
              {formState.errors.events.message}
            </p>
          )}
        </fieldset>
        <CreateOnceActions failure={failure} submitting={formState.isSubmitting} label="Add webhook" busyLabel="Adding…" />
      </form>
    </Dialog>
  );
}
