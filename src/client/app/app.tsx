import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { sessionQueryOptions, useSession } from '../features/auth/api/get-session.ts';
import { DestinationsList } from '../features/destinations/components/destinations-list.tsx';
import { onSignedOut } from '../lib/api-client.ts';
import { matchPath, navigate, useLocation } from '../lib/router.tsx';
import { NotFound } from '../ui/not-found.tsx';
import { ErrorState, LoadingState } from '../ui/status-message.tsx';
import { AppLayout } from './layout.tsx';

// Forms, zod and dialogs load with the screens that need them; the list route stays light. Sign-in too: a signed-in
// admin opening the list never needs react-hook-form or the dialog code.
const SignInScreen = lazy(() => import('../features/auth/components/sign-in-screen.tsx').then((m) => ({ default: m.SignInScreen })));
const SignInAgainDialog = lazy(() =>
  import('../features/auth/components/sign-in-screen.tsx').then((m) => ({ default: m.SignInAgainDialog })),
);
const NewConnectorWizard = lazy(() =>
  import('../features/destinations/components/wizard/new-connector-wizard.tsx').then((m) => ({ default: m.NewConnectorWizard })),
);
const DestinationDetail = lazy(() =>
  import('../features/destinations/components/destination-detail.tsx').then((m) => ({ default: m.DestinationDetail })),
);
const ApiKeysScreen = lazy(() => import('../features/api-keys/components/api-keys-screen.tsx').then((m) => ({ default: m.ApiKeysScreen })));
const EditDestination = lazy(() =>
  import('../features/destinations/components/edit-destination.tsx').then((m) => ({ default: m.EditDestination })),
);

function Routes({ allowAmbient }: { allowAmbient: boolean }) {
  const { pathname } = useLocation();
  useEffect(() => {
    if (pathname === '/') navigate('/destinations', { replace: true });
  }, [pathname]);
  if (pathname === '/' || pathname === '/destinations') return <DestinationsList />;
  if (pathname === '/api-keys') return <ApiKeysScreen />;
  if (pathname === '/destinations/new') return <NewConnectorWizard allowAmbient={allowAmbient} />;
  const edit = matchPath('/destinations/:id/edit', pathname);
  if (edit?.id) return <EditDestination key={edit.id} id={edit.id} allowAmbient={allowAmbient} />;
  const detail = matchPath('/destinations/:id', pathname);
  if (detail?.id) return <DestinationDetail key={detail.id} id={detail.id} allowAmbient={allowAmbient} />;
  return (
    <NotFound title="Page not found">
      There is nothing at <code>{pathname}</code>.
    </NotFound>
  );
}

export function App() {
  const queryClient = useQueryClient();
  const session = useSession();
  // Set while signed in; cleared by an explicit sign-out. A session that ends by itself keeps the page mounted.
  const [signedIn, setSignedIn] = useState(false);
  useEffect(() => onSignedOut(() => void queryClient.invalidateQueries(sessionQueryOptions())), [queryClient]);
  if (session.data && !signedIn) setSignedIn(true);

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
        <Routes allowAmbient={session.data?.settings.ambient_credentials_allowed ?? false} />
      </Suspense>
      {session.data === null && (
        <Suspense fallback={null}>
          <SignInAgainDialog />
        </Suspense>
      )}
    </AppLayout>
  );
}
