import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import * as z from 'zod';
import { NewPasswordSchema, type LinkInfo } from '#shared/user-schemas';
import { ApiError } from '#client/lib/api-client.ts';
import { navigate } from '#client/lib/router.tsx';
import { Field } from '#client/ui/field.tsx';
import { LoadingState } from '#client/ui/status-message.tsx';
import { lookupLink, setPasswordWithLink } from '../api/user-links.ts';
import { sessionQueryOptions } from '#client/lib/session.ts';
import './sign-in.css';
import { Button, buttonClass } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

const FormSchema = z
  .object({ password: NewPasswordSchema, confirm: z.string() })
  .refine((values) => values.password === values.confirm, { path: ['confirm'], message: 'The two passwords differ: type the same one twice' });
type FormValues = z.input<typeof FormSchema>;

/**
 * Where an invitation or reset link leads (/set-password#<token>). The token is read from the fragment — which no
 * server, log or Referer ever sees — and taken off the address bar at once, so it is not left in the history.
 */
export function SetPasswordScreen() {
  const queryClient = useQueryClient();
  const [token] = useState(() => window.location.hash.slice(1));
  const [link, setLink] = useState<LinkInfo | null>(null);
  const [refusal, setRefusal] = useState<string | null>(
    token ? null : 'This link is incomplete: copy the whole link, or ask an admin for a new one.',
  );
  const { register, handleSubmit, formState, setError } = useForm<FormValues>({
    resolver: zodResolver(FormSchema),
    defaultValues: { password: '', confirm: '' },
  });

  useEffect(() => {
    document.title = 'Choose a password · S3 destinations';
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
    if (!token) return;
    lookupLink(token).then(setLink, (error: unknown) => setRefusal((error as Error).message));
  }, [token]);

  const submit = handleSubmit(async ({ password }) => {
    try {
      await setPasswordWithLink({ token, password });
      await queryClient.invalidateQueries(sessionQueryOptions());
      navigate('/destinations', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && Array.isArray(error.detail)) return setError('password', { message: error.message }, { shouldFocus: true });
      if (error instanceof ApiError && (error.status === 404 || error.status === 410)) return setRefusal(error.message);
      setError('password', { message: (error as Error).message }, { shouldFocus: true });
    }
  });

  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        <h1 id="set-password-title">{link?.purpose === 'password_reset' ? 'Choose a new password' : 'Choose a password'}</h1>
        {refusal ? (
          <>
            <Notice tone="error" role="alert">
              {refusal}
            </Notice>
            <a href="/" className={buttonClass({ wide: true })}>
              Go to sign-in
            </a>
          </>
        ) : !link ? (
          <LoadingState label="Checking the link…" />
        ) : (
          <>
            <p className="muted">
              {link.purpose === 'invitation' ? 'Welcome' : 'Hello'}
              {link.name ? `, ${link.name}` : ''}. You sign in as <strong>{link.email}</strong>.
            </p>
            <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="set-password-title">
              {/* For password managers: the account this password belongs to. */}
              <input type="text" name="username" autoComplete="username" value={link.email} readOnly hidden />
              <Field label="New password" error={formState.errors.password?.message} hint="At least 12 characters. A passphrase is good.">
                {(props) => <input {...props} type="password" autoComplete="new-password" autoFocus {...register('password')} />}
              </Field>
              <Field label="The same password again" error={formState.errors.confirm?.message}>
                {(props) => <input {...props} type="password" autoComplete="new-password" {...register('confirm')} />}
              </Field>
              <Button type="submit" variant="primary" wide disabled={formState.isSubmitting}>
                {formState.isSubmitting ? 'Saving…' : link.purpose === 'invitation' ? 'Set password and sign in' : 'Save password and sign in'}
              </Button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
