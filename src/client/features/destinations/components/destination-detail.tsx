import { Ago } from '#client/ui/when.tsx';
import type { CheckOptions } from '#shared/s3-config';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { savedConfigIssues } from '#shared/saved-config';
import { flash } from '#client/lib/flash.ts';
import { Link, navigate, useLocation } from '#client/lib/router.tsx';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { isNotFound } from '#client/lib/api-client.ts';
import { NotFound } from '#client/ui/not-found.tsx';
import { ErrorState, LoadingState } from '#client/ui/status-message.tsx';

import { useNow } from '#client/ui/use-now.ts';
import { connectionChecksQueryOptions, useConnectionChecks } from '../api/get-connection-checks.ts';
import { destinationQueryOptions, useDestination } from '../api/get-destination.ts';
import { useStartConnectionCheck } from '../api/start-connection-check.ts';
import { useCan } from '#client/lib/session.ts';
import { activityQueryOptions } from '../api/get-activity.ts';
import { checkVerdict, testedBeforeChange } from '../lib/check-verdict.ts';
import { ActivityList } from './activity-list.tsx';
import { ApiRequest } from './api-request.tsx';
import { CheckHistory } from './check-history.tsx';
import { LiveCheckResults } from './check-results.tsx';
import { CheckScheduleControl } from './check-schedule-control.tsx';
import { DestinationConfig } from './destination-config.tsx';
import './destination-detail.css';
import { Button, ButtonLink } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

const DeleteDestinationDialog = lazy(() => import('./delete-destination-dialog.tsx'));
const UpdateCredentialsDialog = lazy(() => import('./update-credentials-dialog.tsx'));

export function DestinationDetail({ id, checkOptions }: { id: string; checkOptions: CheckOptions }) {
  const queryClient = useQueryClient();
  const destination = useDestination(id);
  const checks = useConnectionChecks(id);
  const { search } = useLocation();
  const startCheck = useStartConnectionCheck();
  const canEdit = useCan('connectors.write');
  const canTest = useCan('checks.run');
  const [deleting, setDeleting] = useState(false);
  const [updating, setUpdating] = useState(false);
  // What the page that led here had to say once (a save whose check could not start).
  const [notice, setNotice] = useState<string | null>(() => flash.take());
  const now = useNow(30_000);
  // Mounted from the first opening on, so closing returns focus to the button that opened it.
  const [updateMounted, setUpdateMounted] = useState(false);
  const openUpdate = () => {
    setUpdateMounted(true);
    setUpdating(true);
  };

  // A check that ends changes the connector too (credentials marked expired, or cleared; the activity log). The outcome
  // may arrive on the event stream or, for a check faster than the page, already finished in the refetched history,
  // with no stream opened: either way, once the newest check has a new outcome, read the connector again.
  const newest = checks.data?.[0];
  const newestOutcome = checks.data === undefined ? undefined : newest && newest.status !== 'SCHEDULED' ? `${newest.id}:${newest.status}` : null;
  const seenOutcome = useRef(newestOutcome);
  useEffect(() => {
    const before = seenOutcome.current;
    seenOutcome.current = newestOutcome;
    if (before === undefined || !newestOutcome || newestOutcome === before) return;
    void queryClient.invalidateQueries({ queryKey: destinationQueryOptions(id).queryKey });
    void queryClient.invalidateQueries({ queryKey: activityQueryOptions(id).queryKey });
  }, [newestOutcome, id, queryClient]);

  if (destination.isPending) return <LoadingState label="Loading the connector…" />;
  if (destination.isError) {
    if (isNotFound(destination.error))
      return <NotFound title="Connector not found">There is no connector with this id; it may have been deleted.</NotFound>;
    return <ErrorState title="Couldn't load the connector" message={destination.error.message} onRetry={() => void destination.refetch()} />;
  }
  const d = destination.data;
  // A rule added since it was saved, or a server setting changed: say so here, not only when a check fails at validate.
  const problems = savedConfigIssues(d, checkOptions);
  const history = checks.data ?? [];
  const selectedId = search.get('check');
  const selected = history.find((c) => c.id === selectedId) ?? (selectedId ? null : (history[0] ?? null));
  const outdated = selected !== null && checkVerdict(selected, d, now).outdated;

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: destinationQueryOptions(id).queryKey });
    void queryClient.invalidateQueries({ queryKey: connectionChecksQueryOptions(id).queryKey });
    void queryClient.invalidateQueries({ queryKey: activityQueryOptions(id).queryKey });
  };
  const testAgain = async () => {
    const check = await startCheck.mutateAsync(id);
    await queryClient.invalidateQueries({ queryKey: connectionChecksQueryOptions(id).queryKey });
    navigate(`/destinations/${id}?check=${check.id}`, { replace: true });
  };

  return (
    <article className="detail" aria-labelledby="detail-title">
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link to="/destinations">Destinations</Link> /
          </p>
          <PageHeading title={d.name} id="detail-title" />
        </div>
        {(canEdit || canTest) && (
          <div className="actions">
            {canTest && (
              <Button variant="primary" onClick={() => void testAgain()} disabled={startCheck.isPending}>
                {/* One word whether or not it was tested before (issue 27). */}
                {startCheck.isPending ? 'Starting…' : 'Test'}
              </Button>
            )}
            {canEdit && (d.credentials.method === 'access_key' || d.credentials.method === 'temporary') && (
              <Button onClick={openUpdate}>Update credentials</Button>
            )}
            {canEdit && (
              <>
                <ButtonLink to={`/destinations/${id}/edit`}>Edit</ButtonLink>
                <Button variant="danger-quiet" onClick={() => setDeleting(true)}>
                  Delete
                </Button>
              </>
            )}
          </div>
        )}
      </div>
      {notice && (
        <Notice tone="success" role="status">
          {notice}
        </Notice>
      )}
      {problems.length > 0 && (
        <Notice tone="error" as="div" role="status">
          <p>
            <strong>This connector can’t be used as it is saved.</strong>{' '}
            {canEdit ? <Link to={`/destinations/${id}/edit`}>Edit it</Link> : 'An editor can edit it'} to fix:
          </p>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.field}:${problem.type}`}>{problem.message}</li>
            ))}
          </ul>
        </Notice>
      )}
      {startCheck.isError && (
        <Notice tone="error" role="alert">
          Couldn't start the check: {startCheck.error.message}
        </Notice>
      )}
      <div className="detail-grid">
        <section className="card" aria-labelledby="config-title">
          <h2 id="config-title">Configuration</h2>
          <DestinationConfig destination={d} />
          <CheckScheduleControl destination={d} canEdit={canEdit} />
          <ApiRequest destination={d} />
        </section>
        <section className="card" aria-labelledby="results-title">
          <h2 id="results-title">Test results</h2>
          {selected && history[0] && selected.id !== history[0].id && (
            <Notice tone="info" data-testid="older-result">
              An older result. The latest check (<Ago at={history[0].created_at} now={now} />){' '}
              {history[0].cancelled
                ? 'was cancelled'
                : history[0].status === 'SCHEDULED'
                  ? 'is running'
                  : history[0].status === 'SUCCESS'
                    ? 'passed'
                    : 'failed'}
              : <Link to={`/destinations/${id}?check=${history[0].id}`}>open the latest result</Link>.
            </Notice>
          )}
          {selected && outdated && (
            <Notice tone="warning" data-testid="outdated-result">
              {testedBeforeChange(selected, d)
                ? 'Tested before the last change to the configuration — test again to know whether it works now.'
                : 'This check passed, but the credentials have expired since: writes fail until they are replaced. Update the credentials, then test again.'}
            </Notice>
          )}
          {selected ? (
            <LiveCheckResults
              key={selected.id}
              initial={selected}
              remoteUrl={d.config.remote_url}
              onFinished={() => void queryClient.invalidateQueries({ queryKey: connectionChecksQueryOptions(id).queryKey })}
              onUpdateCredentials={canEdit ? openUpdate : undefined}
            />
          ) : checks.isPending ? (
            <LoadingState label="Loading the checks…" />
          ) : (
            <p className="muted">
              {selectedId ? 'That check is no longer in the history.' : 'Not tested yet: use Test to check the bucket and credentials.'}
            </p>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <CheckHistory destination={d} checks={history} selected={selected?.id ?? null} />
      </section>
      <section className="card" aria-labelledby="activity-title">
        <h2 id="activity-title">Activity</h2>
        <ActivityList destinationId={id} />
      </section>
      {updateMounted && (
        <Suspense fallback={null}>
          <UpdateCredentialsDialog
            destination={d}
            open={updating}
            onSaved={setNotice}
            onOpenChange={(open) => {
              setUpdating(open);
              if (!open) refresh();
            }}
          />
        </Suspense>
      )}
      {deleting && (
        <Suspense fallback={null}>
          <DeleteDestinationDialog
            destination={d}
            open={deleting}
            onOpenChange={setDeleting}
            onDeleted={() => navigate('/destinations', { replace: true })}
          />
        </Suspense>
      )}
    </article>
  );
}
