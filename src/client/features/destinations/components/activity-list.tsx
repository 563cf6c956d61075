import { ACTIVITY_LABELS as LABEL } from '#shared/activity-labels';
import { changedFieldLabels } from '#shared/field-labels';
import { ActorName } from '#client/ui/actor-name.tsx';
import { timeAgo } from '#client/ui/relative-time.ts';
import { useNow } from '#client/ui/use-now.ts';
import { useActivity } from '../api/get-activity.ts';
import './activity-list.css';
import { Badge } from '#client/ui/badge.tsx';
import { Notice } from '#client/ui/notice.tsx';

/** What happened to this connector: changes (field names, never values), checks and their outcome, and who acted. */
export function ActivityList({ destinationId }: { destinationId: string }) {
  const activity = useActivity(destinationId);
  const now = useNow(30_000);
  if (activity.isPending) return <p className="muted">Loading the activity…</p>;
  if (activity.isError) return <Notice tone="error">Couldn't load the activity: {activity.error.message}</Notice>;
  if (activity.data.length === 0) return <p className="muted">Nothing yet.</p>;
  return (
    <ol className="activity">
      {activity.data.map((entry, i) => (
        <li key={`${entry.at}-${i}`}>
          <time dateTime={entry.at} className="muted">
            {timeAgo(entry.at, now)}
          </time>{' '}
          <strong>{LABEL[entry.kind]}</strong>
          {entry.kind === 'check.finished' && (
            <Badge tone={entry.outcome === 'ok' ? 'ok' : 'danger'}>{entry.outcome === 'ok' ? 'Passed' : 'Failed'}</Badge>
          )}
          {entry.detail && (
            <span className="activity-detail">
              {entry.kind === 'destination.updated' ? `: ${changedFieldLabels(entry.detail).join(', ')}` : ` — ${entry.detail}`}
            </span>
          )}
          {entry.actor && (
            <span className="activity-actor muted">
              {' '}
              by <ActorName entry={entry} />
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
