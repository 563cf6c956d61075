import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import type * as z from 'zod';
import { isSignInErrorCode, SIGN_IN_ERRORS } from '#shared/sign-in-errors';
import { SignInSchema, type SignIn } from '#shared/user-schemas';
import { useLocation } from '#client/lib/router.tsx';
import { useSessionEnded, useSignInOptions } from '#client/lib/session.ts';
import { LoadingState } from '#client/ui/status-message.tsx';
import { Dialog } from '#client/ui/dialog.tsx';
import { Field } from '#client/ui/field.tsx';
import { useSignIn } from '../api/sign-in.ts';
import './sign-in.css';
import { Button, buttonClass } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

/** The server's own rules for the two fields: the same words in the browser as in a 422. */
function SignInForm({ titleId, email }: { titleId?: string; email?: string }) {
  const signIn = useSignIn();
  const { register, handleSubmit, setError, formState } = useForm<SignIn, unknown, z.output<typeof SignInSchema>>({
    resolver: zodResolver(SignInSchema),
    mode: 'onTouched',
    defaultValues: { email: email ?? '', password: '' },
  });

  const onSubmit = handleSubmit(async (values) => {
    try {
      await signIn.mutateAsync(values);
    } catch (error) {
      // The server's words: one answer for a wrong password and an unknown e-mail alike, on the password just typed.
      setError('password', { message: (error as Error).message }, { shouldFocus: true });
    }
  });

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby={titleId}>
      <Field label="E-mail" error={formState.errors.email?.message}>
        {(props) => (
          <input
            {...props}
            type="text"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus={!email}
            {...register('email')}
          />
        )}
      </Field>
      <Field label="Password" error={formState.errors.password?.message}>
        {(props) => <input {...props} type="password" autoComplete="current-password" autoFocus={Boolean(email)} {...register('password')} />}
      </Field>
      <Button type="submit" variant="primary" wide disabled={formState.isSubmitting}>
        {formState.isSubmitting ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

/** "Sign in with <provider>" (a navigation: the provider's pages, then back), and the password form when it is on. */
function SignInChoices({ titleId, email }: { titleId?: string; email?: string }) {
  const options = useSignInOptions();
  if (options.isPending) return <LoadingState label="Loading…" />;
  const oidc = options.data?.oidc ?? null;
  const password = options.data?.password ?? true;
  return (
    <>
      {oidc && (
        <a href="/api/auth/oidc/start" className={buttonClass({ variant: 'primary', wide: true })}>
          Sign in with {oidc.name}
        </a>
      )}
      {oidc && password && <p className="sign-in-or muted">or with your e-mail and password</p>}
      {password ? (
        <SignInForm titleId={titleId} email={email} />
      ) : (
        <p className="muted sign-in-note">
          Password sign-in is turned off here. Locked out? Whoever runs the server can run <code>npm run set-password</code> to turn it on again.
        </p>
      )}
    </>
  );
}

const DEACTIVATED = 'An admin deactivated your account, which signed you out. Ask an admin to reactivate it if you still need access.';

export function SignInScreen() {
  const { search } = useLocation();
  const ended = useSessionEnded();
  // Why a single sign-on came back without signing in (the callback's reason code), said once; the code leaves the URL.
  const [error] = useState(() => search.get('sign_in_error'));
  useEffect(() => {
    // The title of the page that was open before signing out must not stay.
    document.title = 'Sign in · S3 destinations';
    if (error !== null) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, [error]);
  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        <h1 id="sign-in-title">Sign in</h1>
        <p className="muted">S3 destinations admin</p>
        {ended === 'deactivated' && (
          <Notice tone="error" role="alert">
            {DEACTIVATED}
          </Notice>
        )}
        {isSignInErrorCode(error) && (
          <Notice tone="error" role="alert">
            {SIGN_IN_ERRORS[error]}
          </Notice>
        )}
        <SignInChoices titleId="sign-in-title" />
      </div>
    </main>
  );
}

/** Over the page when a session ends mid-work: signing in again with a password keeps everything typed underneath. */
export function SignInAgainDialog({ email }: { email?: string }) {
  // Deactivated: signing in again cannot work, and the person is told why rather than asked for a password.
  if (useSessionEnded() === 'deactivated') {
    return (
      <Dialog open onOpenChange={() => undefined} title="Your account was deactivated" description={DEACTIVATED}>
        <p className="muted">Someone else can sign in here:</p>
        <SignInChoices />
      </Dialog>
    );
  }
  return (
    <Dialog
      open
      onOpenChange={() => undefined}
      title="Sign in again"
      description="Your session ended. Sign in to carry on: with your password, nothing you typed is lost."
    >
      <SignInChoices email={email} />
    </Dialog>
  );
}
