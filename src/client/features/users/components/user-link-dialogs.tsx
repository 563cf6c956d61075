import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type * as z from 'zod';
import { USER_ROLE_LABELS, USER_ROLES, UserInviteSchema, type User } from '#shared/user-schemas';
import { CreatedDone, CreateOnceActions, useCreateOnce } from '#client/lib/create-once.tsx';
import { Dialog, DialogActions } from '#client/ui/dialog.tsx';
import { Field } from '#client/ui/field.tsx';
import { ShownOnce } from '#client/ui/shown-once.tsx';
import { createUserLink, inviteUser, usersQueryOptions, type UserLink } from '../api/users.ts';
import { formatWhen } from '#client/ui/relative-time.ts';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

const until = (at: string) => formatWhen(at);

/** The link, shown this once: only its hash is kept, so it cannot be shown again (a new one can be made). */
function LinkShownOnce({ link, who, purpose }: { link: UserLink; who: string; purpose: 'invitation' | 'password_reset' }) {
  return (
    <>
      <Notice tone="warning">
        Send this link to {who} yourself (chat, e-mail): this is the only time it is shown. It works once, until {until(link.expires_at)}.
      </Notice>
      <ShownOnce label={purpose === 'invitation' ? 'Invitation link' : 'Password reset link'} value={link.url} copyLabel="Copy link" />
      <p className="muted">
        {purpose === 'invitation'
          ? 'Opening it, they choose a password and are signed in.'
          : 'Opening it, they choose a new password; their other sessions end.'}
      </p>
    </>
  );
}

type FormValues = z.input<typeof UserInviteSchema>;

/** Invite someone: e-mail, name and role; then their one-time link, shown once with a Copy button. */
export default function InviteUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const queryClient = useQueryClient();
  const { register, handleSubmit, formState, setError, reset } = useForm<FormValues, unknown, z.output<typeof UserInviteSchema>>({
    resolver: zodResolver(UserInviteSchema),
    defaultValues: { email: '', name: '', role: 'viewer' },
  });
  // Someone has that e-mail (409), or the server's rules refused a field (422): said on the field.
  const {
    created: invited,
    failure,
    close,
    run,
  } = useCreateOnce<{ user: User; link: UserLink }, FormValues>({
    onOpenChange,
    reset,
    setError,
    fields: { email: 'email', name: 'name', role: 'role' },
    conflict: 'email',
  });
  const submit = handleSubmit((values) =>
    run(
      () => inviteUser(values),
      () => queryClient.invalidateQueries({ queryKey: usersQueryOptions().queryKey }),
    ),
  );

  if (invited) {
    return (
      <Dialog open={open} onOpenChange={close} title={`${invited.user.email} is invited`}>
        <LinkShownOnce link={invited.link} who={invited.user.name || invited.user.email} purpose="invitation" />
        <CreatedDone close={close} />
      </Dialog>
    );
  }

  return (
    <Dialog open={open} onOpenChange={close} title="Invite someone" description="They get a one-time link to choose a password. You send it to them.">
      <form onSubmit={(e) => void submit(e)} noValidate className="dialog-form">
        <Field label="E-mail" error={formState.errors.email?.message} hint="What they sign in with.">
          {(props) => <input {...props} type="email" autoComplete="off" spellCheck={false} {...register('email')} />}
        </Field>
        <Field label="Name" error={formState.errors.name?.message} hint="Optional: how the activity log and the list show them.">
          {(props) => <input {...props} type="text" autoComplete="off" {...register('name')} />}
        </Field>
        <fieldset className="choices">
          <legend>Role</legend>
          {USER_ROLES.map((role) => (
            <label key={role} className="choice">
              <input
                type="radio"
                value={role}
                aria-labelledby={`invite-role-${role}-name`}
                aria-describedby={`invite-role-${role}-help`}
                {...register('role')}
              />
              <span>
                <strong id={`invite-role-${role}-name`}>{USER_ROLE_LABELS[role].label}</strong>
                <span id={`invite-role-${role}-help`} className="muted">
                  {USER_ROLE_LABELS[role].description}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <CreateOnceActions failure={failure} submitting={formState.isSubmitting} label="Invite" busyLabel="Inviting…" />
      </form>
    </Dialog>
  );
}

/** A new one-time link for someone: an invitation again while they have no password, else a password reset. */
export function NewLinkDialog({ user, open, onOpenChange }: { user: User; open: boolean; onOpenChange: (open: boolean) => void }) {
  const [link, setLink] = useState<UserLink | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const purpose = user.state === 'invited' ? 'invitation' : 'password_reset';
  const close = (next: boolean) => {
    if (!next) {
      setLink(null);
      setFailure(null);
    }
    onOpenChange(next);
  };
  const make = async () => {
    setPending(true);
    setFailure(null);
    try {
      setLink(await createUserLink(user.id));
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setPending(false);
    }
  };
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={purpose === 'invitation' ? `New invitation link for ${user.email}` : `Reset the password of ${user.email}?`}
      description={
        link
          ? undefined
          : purpose === 'invitation'
            ? 'Earlier links stop working once this one is used.'
            : 'They choose a new password through a one-time link; until they use it, their current password still works.'
      }
    >
      {link ? (
        <>
          <LinkShownOnce link={link} who={user.name || user.email} purpose={purpose} />
          <div className="dialog-actions">
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </div>
        </>
      ) : (
        <>
          {failure && (
            <Notice tone="error" role="alert">
              {failure}
            </Notice>
          )}
          <DialogActions>
            <Button variant="primary" disabled={pending} onClick={() => void make()}>
              {pending ? 'Making the link…' : 'Make the link'}
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
