import type { ReactNode } from 'react';
import { useSignOut } from '../features/auth/api/sign-out.ts';
import { Link, useLocation } from '../lib/router.tsx';
import './layout.css';

export function AppLayout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const signOut = useSignOut();
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/destinations" className="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          S3 destinations
        </Link>
        <nav aria-label="Main">
          <Link to="/destinations" aria-current={pathname.startsWith('/destinations') ? 'page' : undefined}>
            Destinations
          </Link>
          <Link to="/api-keys" aria-current={pathname.startsWith('/api-keys') ? 'page' : undefined}>
            API keys
          </Link>
        </nav>
        <button type="button" className="button button-quiet" onClick={() => {
            // After the server ended the session and the cache forgot it: flipped before, the next render would see
            // the old session and flip back, leaving the "Sign in again" dialog over the app instead of sign-in.
            signOut.mutate(undefined, { onSuccess: onSignOut });
          }} disabled={signOut.isPending}>
          Sign out
        </button>
      </header>
      {signOut.isError && (
        <p className="banner banner-error" role="alert">
          Couldn't sign out: {signOut.error.message}
        </p>
      )}
      <main id="main" className="app-main">
        {children}
      </main>
    </>
  );
}
