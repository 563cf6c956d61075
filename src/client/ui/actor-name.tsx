import type { Activity } from '../../shared/activity-schemas.ts';

const KIND_LABELS = { user: 'Person', api_key: 'API key' } as const;

/**
 * Who acted, as a reader can trust it: the kind of principal comes from the record (not from the label, which a name
 * could imitate), shown before the label; the server's own work says so.
 */
export function ActorName({ entry }: { entry: Pick<Activity, 'actor' | 'actor_kind'> }) {
  if (entry.actor === null) return <span className="muted">the server</span>;
  return (
    <span className="actor-name">
      {entry.actor_kind && <span className="badge badge-neutral">{KIND_LABELS[entry.actor_kind]}</span>} {entry.actor}
    </span>
  );
}
