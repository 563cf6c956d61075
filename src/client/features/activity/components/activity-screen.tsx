import { useQuery } from '@tanstack/react-query';
import { ACTIVITY_GROUPS, ACTIVITY_LABELS, type ActivityGroup } from '#shared/activity-labels';
import { actorRef } from '#shared/activity-schemas';
import type { User } from '#shared/user-schemas';
import { api } from '#client/lib/api-client.ts';
import { Link, navigate, useLocation } from '#client/lib/router.tsx';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { When } from '#client/ui/when.tsx';
import { EmptyState, ErrorState, LoadingState } from '#client/ui/status-message.tsx';
import { useNow } from '#client/ui/use-now.ts';
import { useActivity, type ActivityFilter } from '../api/activity.ts';
import { ActorName } from '#client/ui/actor-name.tsx';
import './activity-screen.css';
import { DataTable } from '#client/ui/data-table.tsx';
import { Badge } from '#client/ui/badge.tsx';
import { Button } from '#client/ui/button.tsx';

const GROUPS = (Object.keys(ACTIVITY_GROUPS) as ActivityGroup[]).map((value) => ({ value, label: ACTIVITY_GROUPS[value].label }));

/** The filter lives in the URL: a link or Back brings the same view again. */
function readFilter(search: URLSearchParams): ActivityFilter {
  const group = search.get('group') ?? '';
  return { actor: search.get('actor') ?? '', group: GROUPS.some((g) => g.value === group) ? (group as ActivityGroup) : '' };
}
const urlOf = (filter: ActivityFilter) => {
  const params = new URLSearchParams();
  if (filter.actor) params.set('actor', filter.actor);
  if (filter.group) params.set('group', filter.group);
  const query = params.toString();
  return query ? `/activity?${query}` : '/activity';
};

/** Everything that happened, by whom and from where: sign-ins (failed ones too), people, keys, connectors, checks. Admins only. */
export function ActivityScreen() {
  const { search } = useLocation();
  const filter = readFilter(search);
  const activity = useActivity(filter);
  const people = useQuery({ queryKey: ['users'], queryFn: ({ signal }) => api<User[]>('/api/v1/users', { signal }) });
  const now = useNow(30_000);
  const entries = activity.data?.pages.flatMap((page) => page.items) ?? [];
  const change = (next: Partial<ActivityFilter>) => navigate(urlOf({ ...filter, ...next }), { replace: true });

  return (
    <section aria-labelledby="activity-heading">
      <div className="page-header">
        <PageHeading title="Activity" id="activity-heading" />
      </div>
      <div className="activity-filters">
        <div className="field">
          <label htmlFor="activity-person">Person</label>
          <select id="activity-person" value={filter.actor} onChange={(event) => change({ actor: event.target.value })}>
            <option value="">Everyone</option>
            {people.data?.map((user) => (
              <option key={user.id} value={actorRef({ kind: 'user', id: user.id })}>
                {user.email}
              </option>
            ))}
            {filter.actor && !people.data?.some((user) => actorRef({ kind: 'user', id: user.id }) === filter.actor) && (
              <option value={filter.actor}>{filter.actor}</option>
            )}
          </select>
        </div>
        <div className="field">
          <label htmlFor="activity-group">What</label>
          <select id="activity-group" value={filter.group} onChange={(event) => change({ group: event.target.value as ActivityGroup | '' })}>
            <option value="">Everything</option>
            {GROUPS.map((group) => (
              <option key={group.value} value={group.value}>
                {group.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {activity.isPending ? (
        <LoadingState label="Loading activity…" />
      ) : activity.isError ? (
        <ErrorState title="Couldn't load the activity" message={activity.error.message} onRetry={() => void activity.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title="Nothing here">
          <p>No activity matches these filters.</p>
        </EmptyState>
      ) : (
        <>
          <DataTable
            caption="Activity, newest first"
            className="activity-table"
            rows={entries}
            rowKey={(entry) => String(entry.id)}
            rowProps={(entry) => ({ className: entry.outcome === 'failed' ? 'activity-failed' : undefined })}
            columns={[
              { label: 'When', cell: (entry) => <When at={entry.at} now={now} /> },
              {
                label: 'What',
                rowHeader: true,
                cell: (entry) => (
                  <>
                    {ACTIVITY_LABELS[entry.kind]}
                    {entry.outcome === 'failed' && <Badge tone="danger"> failed</Badge>}
                  </>
                ),
              },
              { label: 'Who', cell: (entry) => <ActorName entry={entry} /> },
              {
                label: 'Details',
                cell: (entry) => (
                  <>
                    {entry.destination_id &&
                      (entry.destination_name ? (
                        <Link to={`/destinations/${entry.destination_id}`}>{entry.destination_name}</Link>
                      ) : (
                        <span className="muted">a deleted connector</span>
                      ))}
                    {entry.destination_id && entry.detail ? ': ' : ''}
                    {entry.detail}
                  </>
                ),
              },
              { label: 'From', cell: (entry) => entry.client_address ?? '' },
            ]}
          />
          {activity.hasNextPage && (
            <Button onClick={() => void activity.fetchNextPage()} disabled={activity.isFetchingNextPage}>
              {activity.isFetchingNextPage ? 'Loading…' : 'Show older'}
            </Button>
          )}
        </>
      )}
    </section>
  );
}
