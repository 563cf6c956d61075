import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { ApiError } from '../../../lib/api-client.ts';
import { useSignIn } from '../api/sign-in.ts';

type SignInValues = { password: string };

export function SignInScreen() {
  const signIn = useSignIn();
  const errorId = useId();
  const { register, handleSubmit, setError, formState } = useForm<SignInValues>({ mode: 'onTouched' });
  const fieldError = formState.errors.password?.message;

  const onSubmit = handleSubmit(async ({ password }) => {
    try {
      await signIn.mutateAsync(password);
    } catch (error) {
      const message =
        error instanceof ApiError && error.status === 401 ? 'That password is not right' : (error as Error).message;
      setError('password', { message }, { shouldFocus: true });
    }
  });

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in</h1>
        <p className="muted">S3 destinations admin</p>
        <div className="field">
          <label htmlFor="password">Admin password</label>
          <input
            id="password"
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
        <button type="submit" className="button button-primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
