import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import type * as z from 'zod';
import { SignInSchema, type SignIn } from '../../../../shared/user-schemas.ts';
import { Dialog } from '../../../ui/dialog.tsx';
import { Field } from '../../../ui/field.tsx';
import { useSignIn } from '../api/sign-in.ts';
import './sign-in.css';

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
      <button type="submit" className="button button-primary button-wide" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

export function SignInScreen() {
  // The title of the page that was open before signing out must not stay.
  useEffect(() => {
    document.title = 'Sign in · S3 destinations';
  }, []);
  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        <h1 id="sign-in-title">Sign in</h1>
        <p className="muted">S3 destinations admin</p>
        <SignInForm titleId="sign-in-title" />
      </div>
    </main>
  );
}

/** Over the page when a session ends mid-work: signing in again keeps everything typed underneath. */
export function SignInAgainDialog({ email }: { email?: string }) {
  return (
    <Dialog open onOpenChange={() => undefined} title="Sign in again" description="Your session ended. Sign in to carry on: nothing you typed is lost.">
      <SignInForm email={email} />
    </Dialog>
  );
}
