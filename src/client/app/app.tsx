import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { sessionQueryOptions, useSession } from '#client/lib/session.ts';
import { DestinationsList } from '#client/features/destinations/components/destinations-list.tsx';
import { onSignedOut } from '#client/lib/api-client.ts';
import type { UserRole } from '#shared/roles';
import { leastRoleFor, roleHolds, type Permission } from '#shared/permissions';
import type { SessionUser } from '#shared/user-schemas';
import type { CheckOptions } from '#shared/s3-config';
import { matchPath, navigate, useLocation } from '#client/lib/router.tsx';
import { NotFound } from '#client/ui/not-found.tsx';
import { ErrorState, LoadingState } from '#client/ui/status-message.tsx';
import { AppLayout } from './layout.tsx';

// Forms, zod and dialogs load with the screens that need them; the list route stays light. Sign-in too: a signed-in
// admin opening the list never needs react-hook-form or the dialog code.
const SignInScreen = lazy(() => import('#client/features/auth/components/sign-in-screen.tsx').then((m) => ({ default: m.SignInScreen })));
const SignInAgainDialog = lazy(() => import('#client/features/auth/components/sign-in-screen.tsx').then((m) => ({ default: m.SignInAgainDialog })));
const NewConnectorWizard = lazy(() =>
  import('#client/features/destinations/components/wizard/new-connector-wizard.tsx').then((m) => ({ default: m.NewConnectorWizard })),
);
const DestinationDetail = lazy(() =>
  import('#client/features/destinations/components/destination-detail.tsx').then((m) => ({ default: m.DestinationDetail })),
);
const SetPasswordScreen = lazy(() =>
  import('#client/features/auth/components/set-password-screen.tsx').then((m) => ({ default: m.SetPasswordScreen })),
);
const ActivityScreen = lazy(() => import('#client/features/activity/components/activity-screen.tsx').then((m) => ({ default: m.ActivityScreen })));
const AccountScreen = lazy(() => import('#client/features/auth/components/account-screen.tsx').then((m) => ({ default: m.AccountScreen })));
const UsersScreen = lazy(() => import('#client/features/users/components/users-screen.tsx').then((m) => ({ default: m.UsersScreen })));
const NotificationsScreen = lazy(() =>
  import('#client/features/notifications/components/notifications-screen.tsx').then((m) => ({ default: m.NotificationsScreen })),
);
const ApiKeysScreen = lazy(() => import('#client/features/api-keys/components/api-keys-screen.tsx').then((m) => ({ default: m.ApiKeysScreen })));
const EditDestination = lazy(() =>
  import('#client/features/destinations/components/edit-destination.tsx').then((m) => ({ default: m.EditDestination })),
);

/** A screen the signed-in role cannot use: said plainly, rather than a form whose every save is refused. */
function NotForRole({ role, permission, what }: { role: UserRole; permission: Permission; what: string }) {
  return <NotFound title={`${what} needs the ${leastRoleFor(permission)} role`}>Your role is {role}. Ask an admin if you need more.</NotFound>;
}

/** The screens only some roles may use: each with the permission its API needs. */
const GUARDED: Record<string, { permission: Permission; what: string; screen: () => ReactNode }> = {
  '/api-keys': { permission: 'keys.manage', what: 'Managing API keys', screen: () => <ApiKeysScreen /> },
  '/notifications': { permission: 'webhooks.manage', what: 'Managing notifications', screen: () => <NotificationsScreen /> },
  '/activity': { permission: 'activity.read', what: "Everyone's activity", screen: () => <ActivityScreen /> },
  '/users': { permission: 'users.manage', what: 'Managing users', screen: () => <UsersScreen /> },
};

function Routes({ checkOptions, role }: { checkOptions: CheckOptions; role: UserRole }) {
  const { pathname } = useLocation();
  useEffect(() => {
    if (pathname === '/') navigate('/destinations', { replace: true });
  }, [pathname]);
  if (pathname === '/' || pathname === '/destinations') return <DestinationsList />;
  if (pathname === '/account') return <AccountScreen />;
  const guarded = Object.hasOwn(GUARDED, pathname) ? GUARDED[pathname] : undefined;
  if (guarded) {
    return roleHolds(role, guarded.permission) ? guarded.screen() : <NotForRole role={role} permission={guarded.permission} what={guarded.what} />;
  }
  const edit = matchPath('/destinations/:id/edit', pathname);
  if ((pathname === '/destinations/new' || edit?.id) && !roleHolds(role, 'connectors.write')) {
    return <NotForRole role={role} permission="connectors.write" what={edit ? 'Editing a connector' : 'Creating a connector'} />;
  }
  if (pathname === '/destinations/new') return <NewConnectorWizard checkOptions={checkOptions} />;
  if (edit?.id) return <EditDestination key={edit.id} id={edit.id} checkOptions={checkOptions} />;
  const detail = matchPath('/destinations/:id', pathname);
  if (detail?.id) return <DestinationDetail key={detail.id} id={detail.id} checkOptions={checkOptions} />;
  return (
    <NotFound title="Page not found">
      There is nothing at <code>{pathname}</code>.
    </NotFound>
  );
}

export function App() {
  const { pathname } = useLocation();
  // A one-time link's page is for someone not signed in yet: before any question of sessions.
  if (pathname === '/set-password') {
    return (
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <SetPasswordScreen />
      </Suspense>
    );
  }
  return <SignedInApp />;
}

function SignedInApp() {
  const queryClient = useQueryClient();
  const session = useSession();
  // Who was signed in: the "Sign in again" dialog asks for their password, and the page under it stays as their role
  // showed it (a screen that fell back to a viewer's would lose what was typed).
  const [lastUser, setLastUser] = useState<SessionUser | null>(null);
  const user = session.data?.user;
  if (user && (user.email !== lastUser?.email || user.role !== lastUser.role)) setLastUser(user);
  // Set while signed in; cleared by an explicit sign-out. A session that ends by itself keeps the page mounted.
  const [signedIn, setSignedIn] = useState(false);
  useEffect(() => onSignedOut(() => void queryClient.invalidateQueries(sessionQueryOptions())), [queryClient]);
  if (session.data && !signedIn) setSignedIn(true);
  // The credentials methods the server offers: one object while they stay the same, so the forms' schemas are kept.
  const ambient = session.data?.settings.ambient_credentials_allowed ?? false;
  const roles = session.data?.settings.iam_roles_allowed ?? false;
  const checkOptions = useMemo(() => ({ allowAmbientCredentials: ambient, allowIamRoles: roles }), [ambient, roles]);

  if (session.isPending) return <LoadingState label="Loading…" />;
  if (session.isError && !signedIn) {
    return (
      <main className="app-main">
        <ErrorState title="Can't reach the server" message={session.error.message} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  if (!session.data && !signedIn) {
    return (
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <SignInScreen />
      </Suspense>
    );
  }
  return (
    <AppLayout onSignOut={() => setSignedIn(false)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <Routes checkOptions={checkOptions} role={user?.role ?? lastUser?.role ?? 'viewer'} />
      </Suspense>
      {session.data === null && (
        <Suspense fallback={null}>
          <SignInAgainDialog email={lastUser?.email} />
        </Suspense>
      )}
    </AppLayout>
  );
}
