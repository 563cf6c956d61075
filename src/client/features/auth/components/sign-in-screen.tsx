import { useEffect, useId } from 'react';
import { useForm } from 'react-hook-form';
import { ApiError } from '../../../lib/api-client.ts';
import { Dialog } from '../../../ui/dialog.tsx';
import { useSignIn } from '../api/sign-in.ts';
import './sign-in.css';

type SignInValues = { password: string };

function SignInForm({ titleId }: { titleId?: string }) {
  const signIn = useSignIn();
  const errorId = useId();
  const inputId = useId();
  const { register, handleSubmit, setError, formState } = useForm<SignInValues>({ mode: 'onTouched' });
  const fieldError = formState.errors.password?.message;

  const onSubmit = handleSubmit(async ({ password }) => {
    try {
      await signIn.mutateAsync(password);
    } catch (error) {
      const message = error instanceof ApiError && error.status === 401 ? 'That password is not right' : (error as Error).message;
      setError('password', { message }, { shouldFocus: true });
    }
  });

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby={titleId}>
      <div className="field">
        <label htmlFor={inputId}>Admin password</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          autoFocus
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? errorId : undefined}
          {...register('password', { required: 'Enter the admin password' })}
        />
        {fieldError && (
          <p id={errorId} className="field-error" role="alert">
            {fieldError}
          </p>
        )}
      </div>
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
export function SignInAgainDialog() {
  return (
    <Dialog open onOpenChange={() => undefined} title="Sign in again" description="Your session ended. Sign in to carry on: nothing you typed is lost.">
      <SignInForm />
    </Dialog>
  );
}
