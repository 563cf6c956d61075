import { lazy, Suspense, useState } from 'react';
import type { Destination } from '../../../../shared/destination-schemas.ts';
import { Link, navigate, useLocation } from '../../../lib/router.tsx';
import { flash } from '../../../lib/flash.ts';
import { PageHeading } from '../../../ui/page-heading.tsx';
import { timeAgo } from '../../../ui/relative-time.ts';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/status-message.tsx';
import { useNow } from '../../../ui/use-now.ts';
import { useDestinations } from '../api/get-destinations.ts';
import { useStartConnectionCheck } from '../api/start-connection-check.ts';
import { checkVerdict } from '../lib/check-verdict.ts';
import { CredentialsBadge, credentialsNow } from './credentials-badge.tsx';

// The dialog (and Radix) load only when someone deletes: the list stays light.
const DeleteDestinationDialog = lazy(() => import('./delete-destination-dialog.tsx'));
const UpdateCredentialsDialog = lazy(() => import('./update-credentials-dialog.tsx'));

/** Rows per page: a thousand connectors render as fast as fifty. */
const PAGE_SIZE = 50;


function endpointLabel(endpointUrl: string | null): string {
  if (endpointUrl === null) return 'Amazon S3';
  try {
    return new URL(endpointUrl).host;
  } catch {
    return endpointUrl;
  }
}

function LastCheck({ destination, now }: { destination: Destination; now: number }) {
  const check = destination.last_check;
  const verdict = checkVerdict(check, destination, now);
  if (!check) return <span className="badge badge-neutral">{verdict.label}</span>;
  return (
    <span className="last-check">
      <span className={`badge badge-${verdict.tone}`} title={verdict.explanation ?? undefined}>
        {verdict.label}
      </span>{' '}
      <time dateTime={check.created_at} className="muted">
        {timeAgo(check.created_at, now)}
      </time>
    </span>
  );
}

function Pagination({ page, pageCount, total, search }: { page: number; pageCount: number; total: number; search: URLSearchParams }) {
  const hrefOf = (target: number) => {
    const params = new URLSearchParams(search);
    if (target === 1) params.delete('page');
    else params.set('page', String(target));
    const query = params.toString();
    return `/destinations${query ? `?${query}` : ''}`;
  };
  const first = (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);
  const step = (target: number, label: string) =>
    target >= 1 && target <= pageCount ? (
      <Link to={hrefOf(target)} className="button button-small">
        {label}
      </Link>
    ) : (
      <span className="button button-small" aria-disabled="true">
        {label}
      </span>
    );
  return (
    <nav className="pagination" aria-label="Pages of destinations">
      {step(page - 1, 'Previous page')}
      <span>
        {first.toLocaleString('en')}–{last.toLocaleString('en')} of {total.toLocaleString('en')} · page {page} of {pageCount}
      </span>
      {step(page + 1, 'Next page')}
    </nav>
  );
}

export function DestinationsList() {
  const destinations = useDestinations();
  const startCheck = useStartConnectionCheck();
  const now = useNow(30_000);
  // The dialog stays mounted once opened, so closing it returns focus to the Delete button that opened it.
  const [deleting, setDeleting] = useState<Destination | null>(null);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [updatingCredentials, setUpdatingCredentials] = useState<Destination | null>(null);
  // What was just deleted, here or on the page the delete led back from: said once, politely.
  const [notice, setNotice] = useState(() => flash.take());
  const [updateOpen, setUpdateOpen] = useState(false);
  const { search } = useLocation();
  const onlyAttention = search.get('credentials') === 'attention';
  const needsAttention = (d: Destination) => {
    const { state } = credentialsNow(d.credentials, now);
    return state === 'expired' || state === 'expiring';
  };
  const attention = destinations.data?.filter(needsAttention) ?? [];
  const shown = (onlyAttention ? attention : destinations.data) ?? [];
  const pageCount = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(pageCount, Math.max(1, Math.trunc(Number(search.get('page'))) || 1));
  const visible = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  const test = async (destination: Destination) => {
    const check = await startCheck.mutateAsync(destination.id);
    navigate(`/destinations/${destination.id}?check=${check.id}`);
  };

  return (
    <section aria-labelledby="destinations-heading">
      <div className="page-header">
        <PageHeading title="Destinations" id="destinations-heading" />
        <Link to="/destinations/new" className="button button-primary">
          New connector
        </Link>
      </div>
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      {attention.length > 0 && (
        <div className="banner banner-warning attention" role="status">
          <span>
            {attention.length === 1 ? '1 connector has' : `${attention.length} connectors have`} temporary credentials that have expired
            or are in the last quarter of their lifetime.
          </span>{' '}
          {onlyAttention ? (
            <Link to="/destinations">Show all connectors</Link>
          ) : (
            <Link to="/destinations?credentials=attention">Show {attention.length === 1 ? 'it' : 'them'}</Link>
          )}
        </div>
      )}
      {startCheck.isError && (
        <p className="notice notice-error" role="alert">
          Couldn't start the check: {startCheck.error.message}
        </p>
      )}
      {destinations.isPending ? (
        <LoadingState label="Loading destinations…" />
      ) : destinations.isError ? (
        <ErrorState title="Couldn't load the destinations" message={destinations.error.message} onRetry={() => void destinations.refetch()} />
      ) : destinations.data.length === 0 ? (
        <EmptyState title="No destination connectors yet">
          <p className="muted">A destination connector tells your pipelines which S3 bucket to write to, and with which credentials.</p>
          <Link to="/destinations/new" className="button button-primary">
            Create your first connector
          </Link>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Destination connectors, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Bucket URI</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Credentials</th>
                <th scope="col">Last check</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {visible.map((destination) => (
                <tr key={destination.id}>
                  <th scope="row">
                    <Link to={`/destinations/${destination.id}`}>{destination.name}</Link>
                  </th>
                  <td>
                    <code>{destination.config.remote_url}</code>
                  </td>
                  <td>{endpointLabel(destination.config.endpoint_url)}</td>
                  <td>
                    <CredentialsBadge credentials={destination.credentials} />
                  </td>
                  <td>
                    <LastCheck destination={destination} now={now} />
                  </td>
                  <td className="row-actions">
                    {needsAttention(destination) && (
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => {
                          setUpdatingCredentials(destination);
                          setUpdateOpen(true);
                        }}
                        aria-label={`Update credentials of ${destination.name}`}
                      >
                        Update credentials
                      </button>
                    )}
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => void test(destination)}
                      aria-label={`Test ${destination.name}`}
                      disabled={startCheck.isPending}
                    >
                      Test
                    </button>
                    <Link to={`/destinations/${destination.id}/edit`} className="button button-small" aria-label={`Edit ${destination.name}`}>
                      Edit
                    </Link>
                    <button
                      type="button"
                      className="button button-small button-danger-quiet"
                      onClick={() => {
                        setDeleting(destination);
                        setDeleteOpen(true);
                      }}
                      aria-label={`Delete ${destination.name}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {pageCount > 1 && <Pagination page={page} pageCount={pageCount} total={shown.length} search={search} />}
        </div>
      )}
      {updatingCredentials && (
        <Suspense fallback={null}>
          <UpdateCredentialsDialog
            key={updatingCredentials.id}
            destination={updatingCredentials}
            open={updateOpen}
            onOpenChange={setUpdateOpen}
            onSaved={setNotice}
          />
        </Suspense>
      )}
      {deleting && (
        <Suspense fallback={null}>
          <DeleteDestinationDialog
            destination={deleting}
            open={deleteOpen}
            onOpenChange={setDeleteOpen}
            onDeleted={() => {
              setNotice(flash.take());
              // Its row (and the button that opened the dialog) is gone: focus goes to the list's heading.
              window.setTimeout(() => document.getElementById('destinations-heading')?.focus(), 0);
            }}
          />
        </Suspense>
      )}
    </section>
  );
}
