import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { sessionQueryOptions, useSession } from '../features/auth/api/get-session.ts';
import { SignInScreen } from '../features/auth/components/sign-in-screen.tsx';
import { DestinationsList } from '../features/destinations/components/destinations-list.tsx';
import { onSignedOut } from '../lib/api-client.ts';
import { PageHeading } from '../ui/page-heading.tsx';
import { ErrorState, LoadingState } from '../ui/status-message.tsx';
import { AppLayout } from './layout.tsx';
import { Link, navigate, useLocation } from './router.tsx';

function Routes() {
  const { pathname } = useLocation();
  useEffect(() => {
    if (pathname === '/') navigate('/destinations', { replace: true });
  }, [pathname]);
  if (pathname === '/' || pathname === '/destinations') return <DestinationsList />;
  return (
    <section>
      <PageHeading title="Page not found" />
      <p>
        There is nothing at <code>{pathname}</code>. <Link to="/destinations">Go to the destinations</Link>.
      </p>
    </section>
  );
}

export function App() {
  const queryClient = useQueryClient();
  const session = useSession();
  // Any 401 means the session ended (expired, signed out elsewhere): ask again who is signed in.
  useEffect(() => onSignedOut(() => void queryClient.invalidateQueries(sessionQueryOptions())), [queryClient]);

  if (session.isPending) return <LoadingState label="Loading…" />;
  if (session.isError) {
    return (
      <main className="app-main">
        <ErrorState title="Can't reach the server" message={session.error.message} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  if (session.data === null) return <SignInScreen />;
  return (
    <AppLayout>
      <Routes />
    </AppLayout>
  );
}
