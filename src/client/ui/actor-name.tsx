import type { Activity } from '#shared/activity-schemas';
import { Badge } from './badge.tsx';

const KIND_LABELS = { user: 'Person', api_key: 'API key' } as const;

/**
 * Who acted, as a reader can trust it: the kind of principal comes from the record (not from the label, which a name
 * could imitate) and is shown as a badge before the label; the server's own work says so.
 */
export function ActorName({ entry }: { entry: Pick<Activity, 'actor' | 'actor_kind'> }) {
  if (entry.actor === null) return <span className="muted">the server</span>;
  if (entry.actor_kind === null) return <span>{entry.actor}</span>;
  const kind = KIND_LABELS[entry.actor_kind];
  // A key's label is written by the server as `API key "<name>" (<prefix>…)`: the badge says the first words.
  const label = entry.actor_kind === 'api_key' && entry.actor.startsWith(`${kind} `) ? entry.actor.slice(kind.length + 1) : entry.actor;
  return (
    <span className="actor-name">
      <Badge tone="neutral">{kind}</Badge> {label}
    </span>
  );
}
