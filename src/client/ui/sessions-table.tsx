import type { SessionView } from '#shared/user-schemas';
import { useEndSession, useSessions } from '#client/lib/sessions-api.ts';
import { When } from './when.tsx';
import { ErrorState, LoadingState } from './status-message.tsx';
import { useNow } from './use-now.ts';
import { DataTable } from './data-table.tsx';
import { Badge } from './badge.tsx';
import { Button } from './button.tsx';
import { Notice } from './notice.tsx';

/** "Chrome on Linux", roughly, from a user agent: enough to tell one's sessions apart. */
function describeAgent(agent: string | null): string {
  if (!agent) return 'Unknown browser';
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : /curl|node|python|axios/i.test(agent)
            ? 'A script'
            : 'A browser';
  const system = /Windows/.test(agent)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(agent)
      ? 'macOS'
      : /Android/.test(agent)
        ? 'Android'
        : /iPhone|iPad/.test(agent)
          ? 'iOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : null;
  return system ? `${browser} on ${system}` : browser;
}

/** Someone's live sessions with an End button each; `user` is a user id (admins), or yours when left out. */
export function SessionsTable({ user, caption }: { user?: string; caption: string }) {
  const sessions = useSessions(user);
  const end = useEndSession();
  const now = useNow(60_000);
  if (sessions.isPending) return <LoadingState label="Loading sessions…" />;
  if (sessions.isError)
    return <ErrorState title="Couldn't load the sessions" message={sessions.error.message} onRetry={() => void sessions.refetch()} />;
  if (sessions.data.length === 0) return <p className="muted">No live sessions.</p>;
  const label = (session: SessionView) => `${describeAgent(session.user_agent)}${session.client_address ? ` from ${session.client_address}` : ''}`;
  return (
    <>
      {end.isError && (
        <Notice tone="error" role="alert">
          Couldn't end the session: {end.error.message}
        </Notice>
      )}
      <DataTable
        caption={caption}
        rows={sessions.data}
        rowKey={(session) => session.id}
        columns={[
          {
            label: 'Session',
            rowHeader: true,
            cell: (session) => (
              <>
                {label(session)}
                {session.current && <Badge tone="ok"> This browser</Badge>}
              </>
            ),
          },
          { label: 'Signed in', cell: (session) => <When at={session.created_at} now={now} /> },
          { label: 'Last active', cell: (session) => <When at={session.last_seen_at} now={now} /> },
          {
            label: 'Actions',
            actions: true,
            cell: (session) => (
              <Button
                size="small"
                variant="danger-quiet"
                disabled={end.isPending}
                onClick={() => end.mutate(session.id)}
                aria-label={`End the session ${label(session)}${session.current ? ' (this browser: signs you out)' : ''}`}
              >
                {session.current ? 'Sign out here' : 'End'}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
