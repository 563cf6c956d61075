import { Fragment, type ReactNode } from 'react';
import type { Destination } from '#shared/destination-schemas';
import type { ListSort } from '#shared/list-options';
import { Link, navigate } from '#client/lib/router.tsx';
import { DataTable } from '#client/ui/data-table.tsx';
import { timeAgo } from '#client/ui/relative-time.ts';
import { Until } from '#client/ui/when.tsx';
import { checkVerdict } from '../lib/check-verdict.ts';
import { editFixFor, fixedByNewCredentials } from '../lib/fixes.ts';
import { withChange, type ListQuery } from '../lib/list-query.ts';
import { CredentialsBadge, credentialsNow } from './credentials-badge.tsx';
import { Badge } from '#client/ui/badge.tsx';
import { Button, ButtonLink } from '#client/ui/button.tsx';

function endpointLabel(endpointUrl: string | null): string {
  if (endpointUrl === null) return 'Amazon S3';
  try {
    return new URL(endpointUrl).host;
  } catch {
    return endpointUrl;
  }
}

/** When the server checks it again by itself: "next in 3 hours", or nothing when its schedule is off. */
function NextCheck({ destination, now }: { destination: Destination; now: number }) {
  if (destination.next_check_at === null) return null;
  return (
    <span className="next-check muted">
      next <Until at={destination.next_check_at} now={now} />
    </span>
  );
}

type LastCheckProps = { destination: Destination; now: number; canEdit: boolean; onUpdateCredentials: (() => void) | null };

/**
 * The failure's fix, as the results panel offers it (lib/fixes.ts): the edit that fixes it, or new credentials — not
 * when the row's Update credentials button (expired or expiring) is there already.
 */
function RowFix({ destination, canEdit, onUpdateCredentials }: Omit<LastCheckProps, 'now'>) {
  const check = destination.last_check;
  if (!canEdit || check?.status !== 'FAILURE') return null;
  const edit = editFixFor(check.code, { destinationId: destination.id, region: check.region });
  if (edit) {
    return (
      <ButtonLink to={edit.to} size="small" className="last-check-fix" aria-label={`${edit.label} of ${destination.name}`}>
        {edit.label}
      </ButtonLink>
    );
  }
  if (onUpdateCredentials && fixedByNewCredentials(check.code)) {
    return (
      <Button size="small" className="last-check-fix" onClick={onUpdateCredentials} aria-label={`Update credentials of ${destination.name}`}>
        Update credentials
      </Button>
    );
  }
  return null;
}

function LastCheck({ destination, now, canEdit, onUpdateCredentials }: LastCheckProps) {
  const check = destination.last_check;
  const verdict = checkVerdict(check, destination, now);
  if (!check) {
    return (
      <span className="last-check">
        <Badge tone="neutral">{verdict.label}</Badge> <NextCheck destination={destination} now={now} />
      </span>
    );
  }
  return (
    <span className="last-check">
      <Badge tone={verdict.tone} title={verdict.explanation ?? undefined}>
        {verdict.label}
      </Badge>{' '}
      <time dateTime={check.created_at} className="muted">
        {timeAgo(check.created_at, now)}
      </time>
      {check.trigger === 'scheduled' && <span className="muted"> (scheduled)</span>} <NextCheck destination={destination} now={now} />
      {/* Why it failed, in the row: the one sentence the check said, cut to two lines (its page has the rest). */}
      {check.status === 'FAILURE' && check.reason && <span className="last-check-reason">{check.reason}</span>}
      <RowFix destination={destination} canEdit={canEdit} onUpdateCredentials={onUpdateCredentials} />
    </span>
  );
}

/** A Bucket URI that breaks after its slashes, not inside a bucket name or a prefix's word. */
function BucketUri({ uri }: { uri: string }) {
  const parts = uri.split(/(?<=\/)/);
  return (
    <code className="bucket-uri">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </code>
  );
}

/**
 * A column header that sorts the list by the contract's sort key for it: a click sorts by it, another click the other
 * way; `aria-sort` says which. The Sort by select and the URL's `sort` say the same.
 */
function SortableHeader({
  query,
  label,
  ascending,
  descending,
  newestFirst = false,
}: {
  query: ListQuery;
  label: string;
  ascending: ListSort;
  descending: ListSort;
  newestFirst?: boolean;
}) {
  const current = query.sort === ascending ? 'ascending' : query.sort === descending ? 'descending' : null;
  // The first click: A to Z, soonest expiry first; times newest first.
  const next: ListSort = current === 'ascending' ? descending : current === 'descending' ? ascending : newestFirst ? descending : ascending;
  return (
    <th scope="col" aria-sort={current ?? undefined}>
      <button
        type="button"
        className="sort-header"
        aria-label={`Sort by ${label}${current ? ', the other way' : ''}`}
        onClick={() => navigate(withChange(query, { sort: next }))}
      >
        {label}
        <span aria-hidden="true">{current === 'ascending' ? ' ▲' : current === 'descending' ? ' ▼' : ''}</span>
      </button>
      {/* Where the rows are cards (narrow screens) the header row is hidden: its name stays, its button goes. */}
      <span className="sort-header-label">{label}</span>
    </th>
  );
}

/** Whether temporary credentials have expired or are in the last quarter of their lifetime: the row offers new ones. */
export const needsAttention = (destination: Destination, now: number) => {
  const { state } = credentialsNow(destination.credentials, now);
  return state === 'expired' || state === 'expiring';
};
/** Whether the Update credentials dialog can replace this connector's credentials (keys, or temporary ones). */
const replaceable = (destination: Destination) => destination.credentials.method === 'access_key' || destination.credentials.method === 'temporary';

type DestinationsTableProps = {
  destinations: readonly Destination[];
  query: ListQuery;
  now: number;
  /** The rows shown are the previous page's while the next one loads. */
  busy: boolean;
  canEdit: boolean;
  canTest: boolean;
  testing: boolean;
  onTest: (destination: Destination) => void;
  onDelete: (destination: Destination) => void;
  onUpdateCredentials: (destination: Destination) => void;
};

/** One page of connectors: name, Bucket URI, endpoint, credentials, last check (with its fix), and what the role may do. */
export function DestinationsTable({
  destinations,
  query,
  now,
  busy,
  canEdit,
  canTest,
  testing,
  onTest,
  onDelete,
  onUpdateCredentials,
}: DestinationsTableProps) {
  const header = (label: string, ascending: ListSort, descending: ListSort, newestFirst = false): ReactNode => (
    <SortableHeader query={query} label={label} ascending={ascending} descending={descending} newestFirst={newestFirst} />
  );
  return (
    <DataTable
      caption="Destination connectors"
      busy={busy}
      rows={destinations}
      rowKey={(destination) => destination.id}
      columns={[
        {
          label: 'Name',
          header: header('Name', 'name', '-name'),
          rowHeader: true,
          cell: (destination) => <Link to={`/destinations/${destination.id}`}>{destination.name}</Link>,
        },
        { label: 'Bucket URI', cell: (destination) => <BucketUri uri={destination.config.remote_url} /> },
        { label: 'Endpoint', cell: (destination) => endpointLabel(destination.config.endpoint_url) },
        {
          label: 'Credentials',
          header: header('Credentials', 'expires_at', '-expires_at'),
          cell: (destination) => (
            <div className="credentials-cell">
              <CredentialsBadge credentials={destination.credentials} />
              {canEdit && needsAttention(destination, now) && (
                <Button size="small" onClick={() => onUpdateCredentials(destination)} aria-label={`Update credentials of ${destination.name}`}>
                  Update credentials
                </Button>
              )}
            </div>
          ),
        },
        {
          label: 'Last check',
          header: header('Last check', 'last_check', '-last_check', true),
          cell: (destination) => (
            <LastCheck
              destination={destination}
              now={now}
              canEdit={canEdit}
              onUpdateCredentials={needsAttention(destination, now) || !replaceable(destination) ? null : () => onUpdateCredentials(destination)}
            />
          ),
        },
        ...(canEdit || canTest
          ? [
              {
                label: 'Actions',
                actions: true,
                cell: (destination: Destination) => (
                  <>
                    {canTest && (
                      <Button size="small" onClick={() => onTest(destination)} aria-label={`Test ${destination.name}`} disabled={testing}>
                        Test
                      </Button>
                    )}
                    {canEdit && (
                      <>
                        <ButtonLink to={`/destinations/${destination.id}/edit`} size="small" aria-label={`Edit ${destination.name}`}>
                          Edit
                        </ButtonLink>
                        <Button size="small" variant="danger-quiet" onClick={() => onDelete(destination)} aria-label={`Delete ${destination.name}`}>
                          Delete
                        </Button>
                      </>
                    )}
                  </>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
