import type { ReactNode } from 'react';
import { useCan, useSession } from '../lib/session.ts';
import { useSignOut } from '../features/auth/api/sign-out.ts';
import type { UserRole } from '../../shared/roles.ts';

const ROLE_LABEL: Record<UserRole, string> = { viewer: 'Viewer', editor: 'Editor', admin: 'Admin' };
import { Link, useLocation } from '../lib/router.tsx';
import './layout.css';

export function AppLayout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const signOut = useSignOut();
  const { pathname } = useLocation();
  const user = useSession().data?.user;
  const admin = useCan('admin');
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
          {admin && (
            <>
              <Link to="/users" aria-current={pathname.startsWith('/users') ? 'page' : undefined}>
                Users
              </Link>
              <Link to="/api-keys" aria-current={pathname.startsWith('/api-keys') ? 'page' : undefined}>
                API keys
              </Link>
              <Link to="/activity" aria-current={pathname.startsWith('/activity') ? 'page' : undefined}>
                Activity
              </Link>
              <Link to="/notifications" aria-current={pathname.startsWith('/notifications') ? 'page' : undefined}>
                Notifications
              </Link>
            </>
          )}
        </nav>
        {user && (
          <p className="signed-in-as">
            <span className="visually-hidden">Signed in as </span>
            <Link to="/account" className="signed-in-email" aria-current={pathname === '/account' ? 'page' : undefined}>
              {user.email}
            </Link>{' '}
            <span className="badge badge-neutral">{ROLE_LABEL[user.role]}</span>
          </p>
        )}
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            // After the server ended the session and the cache forgot it: flipped before, the next render would see
            // the old session and flip back, leaving the "Sign in again" dialog over the app instead of sign-in.
            signOut.mutate(undefined, { onSuccess: onSignOut });
          }}
          disabled={signOut.isPending}
        >
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
