import { Until } from '../../../ui/when.tsx';
import { Fragment, lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { Destination } from '../../../../shared/destination-schemas.ts';
import { Link, navigate, useLocation } from '../../../lib/router.tsx';
import { flash } from '../../../lib/flash.ts';
import { PageHeading } from '../../../ui/page-heading.tsx';

import { timeAgo } from '../../../ui/relative-time.ts';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/status-message.tsx';
import { useDialogTarget } from '../../../ui/use-dialog-target.ts';
import { useNow } from '../../../ui/use-now.ts';
import { useAttentionCount, useDestinationsPage } from '../api/get-destinations.ts';
import { useCan } from '../../../lib/session.ts';
import { useStartConnectionCheck } from '../api/start-connection-check.ts';
import { checkVerdict } from '../lib/check-verdict.ts';
import { isFiltered, listUrl, PAGE_SIZE, readListQuery, withChange, type ListQuery } from '../lib/list-query.ts';
import { editFixFor, fixedByNewCredentials } from '../lib/fixes.ts';
import type { ListSort, ListStatus } from '../../../../shared/list-options.ts';
import { CredentialsBadge, credentialsNow } from './credentials-badge.tsx';
import './destinations-list.css';

// The dialog (and Radix) load only when someone deletes: the list stays light.
const DeleteDestinationDialog = lazy(() => import('./delete-destination-dialog.tsx'));
const UpdateCredentialsDialog = lazy(() => import('./update-credentials-dialog.tsx'));

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
      <Link to={edit.to} className="button button-small last-check-fix" aria-label={`${edit.label} of ${destination.name}`}>
        {edit.label}
      </Link>
    );
  }
  if (onUpdateCredentials && fixedByNewCredentials(check.code)) {
    return (
      <button
        type="button"
        className="button button-small last-check-fix"
        onClick={onUpdateCredentials}
        aria-label={`Update credentials of ${destination.name}`}
      >
        Update credentials
      </button>
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
        <span className="badge badge-neutral">{verdict.label}</span> <NextCheck destination={destination} now={now} />
      </span>
    );
  }
  return (
    <span className="last-check">
      <span className={`badge badge-${verdict.tone}`} title={verdict.explanation ?? undefined}>
        {verdict.label}
      </span>{' '}
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

export function DestinationsList() {
  const { search } = useLocation();
  const query = readListQuery(search);
  const destinations = useDestinationsPage(query);
  const attentionCount = useAttentionCount();
  const startCheck = useStartConnectionCheck();
  const canEdit = useCan('connectors.write');
  const canTest = useCan('checks.run');
  const now = useNow(30_000);
  // The dialog stays mounted once opened, so closing it returns focus to the Delete button that opened it.
  const deleting = useDialogTarget<Destination>();
  const updatingCredentials = useDialogTarget<Destination>();
  // What was just deleted, here or on the page the delete led back from: said once, politely.
  const [notice, setNotice] = useState(() => flash.take());
  const needsAttention = (d: Destination) => {
    const { state } = credentialsNow(d.credentials, now);
    return state === 'expired' || state === 'expiring';
  };
  /** Whether the Update credentials dialog can replace this connector's credentials (keys, or temporary ones). */
  const replaceable = (d: Destination) => d.credentials.method === 'access_key' || d.credentials.method === 'temporary';
  const attention = attentionCount.data ?? 0;
  const page = destinations.data;
  // The number shown: the URL's, except on the first page (no previous one), which a page reached backwards can be.
  const shownPage = page && !page.prevCursor ? 1 : query.page;

  const test = async (destination: Destination) => {
    const check = await startCheck.mutateAsync(destination.id);
    navigate(`/destinations/${destination.id}?check=${check.id}`);
  };

  return (
    <section aria-labelledby="destinations-heading">
      <div className="page-header">
        <PageHeading title="Destinations" id="destinations-heading" />
        {canEdit && (
          <Link to="/destinations/new" className="button button-primary">
            New connector
          </Link>
        )}
      </div>
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      {attention > 0 && (
        <div className="banner banner-warning attention" role="status">
          <span>
            {attention === 1 ? '1 connector has' : `${attention.toLocaleString('en')} connectors have`} temporary credentials that have expired or are
            in the last quarter of their lifetime.
          </span>{' '}
          {query.credentials === 'attention' ? (
            <Link to={withChange(query, { credentials: null })}>Show all connectors</Link>
          ) : (
            <Link to={withChange({ ...query, q: '', status: null }, { credentials: 'attention' })}>Show {attention === 1 ? 'it' : 'them'}</Link>
          )}
        </div>
      )}
      {startCheck.isError && (
        <p className="notice notice-error" role="alert">
          Couldn't start the check: {startCheck.error.message}
        </p>
      )}
      {page && page.total === 0 && !isFiltered(query) ? (
        <EmptyState title="No destination connectors yet">
          <p className="muted">A destination connector tells your pipelines which S3 bucket to write to, and with which credentials.</p>
          {canEdit ? (
            <Link to="/destinations/new" className="button button-primary">
              Create your first connector
            </Link>
          ) : (
            <p className="muted">Your role is viewer: an editor or admin creates connectors.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <ListToolbar query={query} />
          {destinations.isPending ? (
            <LoadingState label="Loading destinations…" />
          ) : destinations.isError ? (
            <ErrorState title="Couldn't load the destinations" message={destinations.error.message} onRetry={() => void destinations.refetch()} />
          ) : page && page.items.length === 0 ? (
            <div className="card empty-filter" role="status">
              <p>No connectors match {query.q.trim() ? <>“{query.q.trim()}” with </> : ''}these filters.</p>
              <Link to={listUrl({ sort: query.sort })}>Clear the search and filters</Link>
            </div>
          ) : page ? (
            <>
              <p className="list-count muted" role="status" aria-live="polite">
                {countLine(shownPage, page.items.length, page.total, page.totalAtLeast)}
              </p>
              <div className="table-wrap" aria-busy={destinations.isPlaceholderData}>
                <table className="table table-stack">
                  <caption className="visually-hidden">Destination connectors</caption>
                  <thead>
                    <tr>
                      <SortableHeader query={query} label="Name" ascending="name" descending="-name" />
                      <th scope="col">Bucket URI</th>
                      <th scope="col">Endpoint</th>
                      <SortableHeader query={query} label="Credentials" ascending="expires_at" descending="-expires_at" />
                      <SortableHeader query={query} label="Last check" ascending="last_check" descending="-last_check" newestFirst />
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((destination) => (
                      <tr key={destination.id}>
                        <th scope="row">
                          <Link to={`/destinations/${destination.id}`}>{destination.name}</Link>
                        </th>
                        <td data-label="Bucket URI">
                          <BucketUri uri={destination.config.remote_url} />
                        </td>
                        <td data-label="Endpoint">{endpointLabel(destination.config.endpoint_url)}</td>
                        <td data-label="Credentials">
                          <div className="credentials-cell">
                            <CredentialsBadge credentials={destination.credentials} />
                            {canEdit && needsAttention(destination) && (
                              <button
                                type="button"
                                className="button button-small"
                                onClick={() => {
                                  updatingCredentials.show(destination);
                                }}
                                aria-label={`Update credentials of ${destination.name}`}
                              >
                                Update credentials
                              </button>
                            )}
                          </div>
                        </td>
                        <td data-label="Last check">
                          <LastCheck
                            destination={destination}
                            now={now}
                            canEdit={canEdit}
                            onUpdateCredentials={
                              needsAttention(destination) || !replaceable(destination) ? null : () => updatingCredentials.show(destination)
                            }
                          />
                        </td>
                        <td className="row-actions">
                          {(canEdit || canTest) && (
                            <div className="row-actions-inner">
                              {canTest && (
                                <button
                                  type="button"
                                  className="button button-small"
                                  onClick={() => void test(destination)}
                                  aria-label={`Test ${destination.name}`}
                                  disabled={startCheck.isPending}
                                >
                                  Test
                                </button>
                              )}
                              {canEdit && (
                                <>
                                  <Link
                                    to={`/destinations/${destination.id}/edit`}
                                    className="button button-small"
                                    aria-label={`Edit ${destination.name}`}
                                  >
                                    Edit
                                  </Link>
                                  <button
                                    type="button"
                                    className="button button-small button-danger-quiet"
                                    onClick={() => {
                                      deleting.show(destination);
                                    }}
                                    aria-label={`Delete ${destination.name}`}
                                  >
                                    Delete
                                  </button>
                                </>
                              )}
                            </div>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {(page.nextCursor || page.prevCursor) && (
                <nav className="pagination" aria-label="Pages of destinations">
                  <PageLink to={page.prevCursor ? listUrl({ ...query, cursor: null, page: 1 }) : null} label="First page" />
                  <PageLink
                    to={page.prevCursor ? listUrl({ ...query, cursor: page.prevCursor, page: Math.max(1, shownPage - 1) }) : null}
                    label="Previous page"
                    rel="prev"
                  />
                  <span>
                    Page {shownPage.toLocaleString('en')} of {Math.max(1, Math.ceil(page.total / PAGE_SIZE)).toLocaleString('en')}
                    {page.totalAtLeast ? '+' : ''}
                  </span>
                  <PageLink
                    to={page.nextCursor ? listUrl({ ...query, cursor: page.nextCursor, page: shownPage + 1 }) : null}
                    label="Next page"
                    rel="next"
                  />
                </nav>
              )}
            </>
          ) : null}
        </>
      )}
      {updatingCredentials.target && (
        <Suspense fallback={null}>
          <UpdateCredentialsDialog
            key={updatingCredentials.target.id}
            destination={updatingCredentials.target}
            open={updatingCredentials.open}
            onOpenChange={updatingCredentials.setOpen}
            onSaved={setNotice}
          />
        </Suspense>
      )}
      {deleting.target && (
        <Suspense fallback={null}>
          <DeleteDestinationDialog
            destination={deleting.target}
            open={deleting.open}
            onOpenChange={deleting.setOpen}
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

function countLine(pageNumber: number, shown: number, total: number, atLeast: boolean): string {
  if (total === 0) return 'No connectors.';
  const first = (pageNumber - 1) * PAGE_SIZE + 1;
  const last = first + shown - 1;
  const of = `${atLeast ? 'over ' : ''}${total.toLocaleString('en')} connector${total === 1 ? '' : 's'}`;
  return shown === total ? `${of}.` : `${first.toLocaleString('en')}–${last.toLocaleString('en')} of ${of}.`;
}

/** A paging button: a link to the page, or — none that way — the same button, disabled. */
function PageLink({ to, label, rel }: { to: string | null; label: string; rel?: 'next' | 'prev' }) {
  return to ? (
    <Link to={to} className="button button-small" rel={rel}>
      {label}
    </Link>
  ) : (
    <span className="button button-small" aria-disabled="true">
      {label}
    </span>
  );
}

const SORT_LABEL: Record<ListSort | 'newest', string> = {
  newest: 'Newest first',
  name: 'Name, A to Z',
  '-name': 'Name, Z to A',
  '-last_check': 'Last check, newest first',
  last_check: 'Last check, oldest first',
  expires_at: 'Expiry, soonest first',
  '-expires_at': 'Expiry, latest first',
};

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

/** Search, filters and order: each a part of the URL, so Back and links keep them. */
function ListToolbar({ query }: { query: ListQuery }) {
  const [text, setText] = useState(query.q);
  // The URL follows the box a moment after typing stops (replacing, not stacking, history entries); a URL changed
  // elsewhere (Back, a link) puts its words back in the box.
  const sent = useRef(query.q);
  const latest = useRef(query);
  useEffect(() => {
    latest.current = query;
  });
  useEffect(() => {
    if (query.q === sent.current) return;
    sent.current = query.q;
    setText(query.q);
  }, [query.q]);
  useEffect(() => {
    if (text.trim() === sent.current) return;
    const timer = window.setTimeout(() => {
      sent.current = text.trim();
      navigate(withChange(latest.current, { q: text }), { replace: true });
    }, 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  return (
    <form className="list-toolbar" role="search" aria-label="Find connectors" onSubmit={(event) => event.preventDefault()}>
      <div className="toolbar-field toolbar-search">
        <label htmlFor="list-q">Search</label>
        <input
          id="list-q"
          type="search"
          value={text}
          maxLength={200}
          placeholder="Name, bucket or endpoint"
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div className="toolbar-field">
        <label htmlFor="list-status">Last check</label>
        <select
          id="list-status"
          value={query.status ?? ''}
          onChange={(event) => navigate(withChange(query, { status: (event.target.value || null) as ListStatus | null }))}
        >
          <option value="">Any</option>
          <option value="failing">Failed</option>
          <option value="passing">Passed</option>
          <option value="untested">Not tested</option>
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor="list-credentials">Credential expiry</label>
        <select
          id="list-credentials"
          value={query.credentials ?? ''}
          onChange={(event) => navigate(withChange(query, { credentials: (event.target.value || null) as ListQuery['credentials'] }))}
        >
          <option value="">Any</option>
          <option value="attention">Expired or expiring</option>
          <option value="expired">Expired</option>
          <option value="expiring">Expiring</option>
          <option value="ok">Valid</option>
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor="list-sort">Sort by</label>
        <select
          id="list-sort"
          value={query.sort ?? ''}
          onChange={(event) => navigate(withChange(query, { sort: (event.target.value || null) as ListSort | null }))}
        >
          {(Object.keys(SORT_LABEL) as (ListSort | 'newest')[]).map((sort) => (
            <option key={sort} value={sort === 'newest' ? '' : sort}>
              {SORT_LABEL[sort]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
