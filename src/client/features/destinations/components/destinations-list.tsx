import { lazy, Suspense, useState } from 'react';
import type { Destination } from '#shared/destination-schemas';
import { flash } from '#client/lib/flash.ts';
import { Link, navigate, useLocation } from '#client/lib/router.tsx';
import { useCan } from '#client/lib/session.ts';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { EmptyState, ErrorState, LoadingState } from '#client/ui/status-message.tsx';
import { useDialogTarget } from '#client/ui/use-dialog-target.ts';
import { useNow } from '#client/ui/use-now.ts';
import { useAttentionCount, useDestinationsPage } from '../api/get-destinations.ts';
import { useStartConnectionCheck } from '../api/start-connection-check.ts';
import { isFiltered, listUrl, readListQuery, withChange } from '../lib/list-query.ts';
import { DestinationsTable } from './destinations-table.tsx';
import { countLine, ListPagination } from './list-pagination.tsx';
import { ListToolbar } from './list-toolbar.tsx';
import './destinations-list.css';
import { ButtonLink } from '#client/ui/button.tsx';
import { Banner, Notice } from '#client/ui/notice.tsx';

// The dialog (and Radix) load only when someone deletes: the list stays light.
const DeleteDestinationDialog = lazy(() => import('./delete-destination-dialog.tsx'));
const UpdateCredentialsDialog = lazy(() => import('./update-credentials-dialog.tsx'));

/**
 * The destinations screen: the banner for credentials that need attention, search and filters, one page of
 * connectors at a time, and the dialogs a row opens.
 */
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
          <ButtonLink to="/destinations/new" variant="primary">
            New connector
          </ButtonLink>
        )}
      </div>
      {notice && (
        <Notice tone="success" role="status">
          {notice}
        </Notice>
      )}
      {attention > 0 && (
        <Banner tone="warning" className="attention" role="status">
          <span>
            {attention === 1 ? '1 connector has' : `${attention.toLocaleString('en')} connectors have`} temporary credentials that have expired or are
            in the last quarter of their lifetime.
          </span>{' '}
          {query.credentials === 'attention' ? (
            <Link to={withChange(query, { credentials: null })}>Show all connectors</Link>
          ) : (
            <Link to={withChange({ ...query, q: '', status: null }, { credentials: 'attention' })}>Show {attention === 1 ? 'it' : 'them'}</Link>
          )}
        </Banner>
      )}
      {startCheck.isError && (
        <Notice tone="error" role="alert">
          Couldn't start the check: {startCheck.error.message}
        </Notice>
      )}
      {page && page.total === 0 && !isFiltered(query) ? (
        <EmptyState title="No destination connectors yet">
          <p className="muted">A destination connector tells your pipelines which S3 bucket to write to, and with which credentials.</p>
          {canEdit ? (
            <ButtonLink to="/destinations/new" variant="primary">
              Create your first connector
            </ButtonLink>
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
              <DestinationsTable
                destinations={page.items}
                query={query}
                now={now}
                busy={destinations.isPlaceholderData}
                canEdit={canEdit}
                canTest={canTest}
                testing={startCheck.isPending}
                onTest={(destination) => void test(destination)}
                onDelete={(destination) => deleting.show(destination)}
                onUpdateCredentials={(destination) => updatingCredentials.show(destination)}
              />
              <ListPagination page={page} query={query} shownPage={shownPage} />
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
