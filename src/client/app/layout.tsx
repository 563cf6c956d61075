import type { ReactNode } from 'react';
import { useCanAll, useSession } from '#client/lib/session.ts';
import type { Permission } from '#shared/permissions';
import { useSignOut } from '#client/features/auth/api/sign-out.ts';
import type { UserRole } from '#shared/roles';

const ROLE_LABEL: Record<UserRole, string> = { viewer: 'Viewer', editor: 'Editor', admin: 'Admin' };

/** The screens beyond Destinations, each offered to the roles holding the permission its API needs. */
const NAV: { to: string; label: string; permission: Permission }[] = [
  { to: '/users', label: 'Users', permission: 'users.manage' },
  { to: '/api-keys', label: 'API keys', permission: 'keys.manage' },
  { to: '/activity', label: 'Activity', permission: 'activity.read' },
  { to: '/notifications', label: 'Notifications', permission: 'webhooks.manage' },
];
import { Link, useLocation } from '#client/lib/router.tsx';
import './layout.css';
import { Badge } from '#client/ui/badge.tsx';
import { Button } from '#client/ui/button.tsx';
import { Banner } from '#client/ui/notice.tsx';

export function AppLayout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const signOut = useSignOut();
  const { pathname } = useLocation();
  const user = useSession().data?.user;
  const can = useCanAll();
  const nav = NAV.filter((item) => can(item.permission));
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
          {nav.map((item) => (
            <Link key={item.to} to={item.to} aria-current={pathname.startsWith(item.to) ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        {user && (
          <p className="signed-in-as">
            <span className="visually-hidden">Signed in as </span>
            <Link to="/account" className="signed-in-email" aria-current={pathname === '/account' ? 'page' : undefined}>
              {user.email}
            </Link>{' '}
            <Badge tone="neutral">{ROLE_LABEL[user.role]}</Badge>
          </p>
        )}
        <Button
          variant="quiet"
          onClick={() => {
            // After the server ended the session and the cache forgot it: flipped before, the next render would see
            // the old session and flip back, leaving the "Sign in again" dialog over the app instead of sign-in.
            signOut.mutate(undefined, { onSuccess: onSignOut });
          }}
          disabled={signOut.isPending}
        >
          Sign out
        </Button>
      </header>
      {signOut.isError && (
        <Banner tone="error" as="p" role="alert">
          Couldn't sign out: {signOut.error.message}
        </Banner>
      )}
      <main id="main" className="app-main">
        {children}
      </main>
    </>
  );
}
