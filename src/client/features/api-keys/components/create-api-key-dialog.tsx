import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { API_KEY_ROLE_LABELS, API_KEY_ROLES, type ApiKeyCreated } from '#shared/api-key-schemas';
import { CreatedDone, CreateOnceActions, useCreateOnce } from '#client/lib/create-once.tsx';
import { ShownOnce } from '#client/ui/shown-once.tsx';
import { Dialog } from '#client/ui/dialog.tsx';
import { Field } from '#client/ui/field.tsx';
import { apiKeysQueryOptions, createApiKey } from '../api/api-keys.ts';
import { createKeyFormSchema, EXPIRY_CHOICES, toCreateRequest, type KeyFormValues } from '../lib/key-form.ts';
import { formatWhen } from '#client/ui/relative-time.ts';
import { Notice } from '#client/ui/notice.tsx';

type Props = { open: boolean; onOpenChange: (open: boolean) => void };

// The browser's clock, read when the form is checked and sent (not during render).
const clock = () => Date.now();

/** Where the server's words about each body field go. */
const SERVER_FIELDS: Record<string, keyof KeyFormValues> = { name: 'name', role: 'role', expires_at: 'date' };

/**
 * New API key: name, role and expiry; then the key, shown this once with a Copy button. The key is held in this
 * dialog's state only, and forgotten when the dialog closes (never in the query cache or browser storage).
 */
export default function CreateApiKeyDialog({ open, onOpenChange }: Props) {
  const queryClient = useQueryClient();
  const schema = useMemo(() => createKeyFormSchema(clock), []);
  const form = useForm<KeyFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', role: 'viewer', expiry: '90', date: '' },
  });
  const { register, handleSubmit, formState, setError, control, reset } = form;
  const expiry = useWatch({ control, name: 'expiry' });
  const { created, failure, close, run } = useCreateOnce<ApiKeyCreated, KeyFormValues>({
    onOpenChange,
    reset,
    setError,
    fields: SERVER_FIELDS,
    conflict: 'name',
  });
  const submit = handleSubmit((values) =>
    run(
      () => createApiKey(toCreateRequest(values, clock())),
      () => queryClient.invalidateQueries({ queryKey: apiKeysQueryOptions().queryKey }),
    ),
  );

  if (created) {
    return (
      <Dialog open={open} onOpenChange={close} title={`API key “${created.name}” created`}>
        <Notice tone="warning">
          Copy the key now: this is the only time it is shown. Store it where your script reads its secrets; if it is lost, revoke it and create
          another.
        </Notice>
        <ShownOnce label="Your new API key" value={created.key} copyLabel="Copy key" />
        <p className="muted">
          {API_KEY_ROLE_LABELS[created.role].label} key, {created.expires_at ? `expires ${formatWhen(created.expires_at)}` : 'does not expire'};
          listed as <code>{created.prefix}…</code>
        </p>
        <CreatedDone close={close} />
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="New API key"
      description="For a script or a pipeline: it sends the key instead of signing in. One key per script, so each can be revoked on its own."
    >
      <form onSubmit={(e) => void submit(e)} noValidate className="dialog-form">
        <Field label="Name" error={formState.errors.name?.message} hint="What uses the key, for example “Nightly export (Airflow)”. Unique.">
          {(props) => <input {...props} type="text" autoComplete="off" {...register('name')} />}
        </Field>
        <fieldset className="choices">
          <legend>Role</legend>
          {API_KEY_ROLES.map((role) => (
            <label key={role} className="choice">
              <input type="radio" value={role} aria-labelledby={`role-${role}-name`} aria-describedby={`role-${role}-help`} {...register('role')} />
              <span>
                <strong id={`role-${role}-name`}>{API_KEY_ROLE_LABELS[role].label}</strong>
                <span id={`role-${role}-help`} className="muted">
                  {API_KEY_ROLE_LABELS[role].description}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <Field label="Expires" hint="A key that expires stops working by itself; you can revoke any key sooner.">
          {(props) => (
            <select {...props} {...register('expiry')}>
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {expiry === 'date' && (
          <Field label="Last day the key works" error={formState.errors.date?.message}>
            {(props) => <input {...props} type="date" {...register('date')} />}
          </Field>
        )}
        <CreateOnceActions failure={failure} submitting={formState.isSubmitting} label="Create key" busyLabel="Creating…" />
      </form>
    </Dialog>
  );
}
