import { parseBucketUri } from '#shared/bucket-uri';
import { STEP_LABELS, type ConnectionCheck, type Step } from '#shared/check-schemas';
import { buildLeastPrivilegePolicy } from '#shared/iam-policy';
import { partitionOf } from '#shared/s3-arn';
import { CopyButton } from '#client/ui/copy-button.tsx';
import { formatDuration, formatWhen } from '#client/ui/relative-time.ts';
import { ApiError } from '#client/lib/api-client.ts';
import { onServerClock } from '#client/lib/server-clock.ts';
import { useNow } from '#client/ui/use-now.ts';
import { Ago, Duration } from '#client/ui/when.tsx';
import { useCan } from '#client/lib/session.ts';
import { useCancelConnectionCheck } from '../api/cancel-connection-check.ts';
import { useCheckEvents } from '../api/use-check-events.ts';
import { editFixFor, fixedByNewCredentials, type EditFix } from '../lib/fixes.ts';
import { timelineBar, timelineSpan } from '../lib/timeline.ts';
import '#client/ui/facts.css';
import './policy.css';
import '#client/ui/status-message.css';
import './check-results.css';
import { Button, ButtonLink } from '#client/ui/button.tsx';
import { Banner, Notice } from '#client/ui/notice.tsx';

const STATUS_LABEL: Record<Step['status'], string> = {
  pending: 'Waiting',
  running: 'Running',
  passed: 'Passed',
  warning: 'Warning',
  failed: 'Failed',
  skipped: 'Skipped',
};
const STATUS_ICON: Record<Step['status'], string> = { pending: '○', running: '', passed: '✓', warning: '!', failed: '✕', skipped: '–' };

/** Whole seconds since the check was asked for, by the server's clock, moving every second while it runs. */
function Elapsed({ since }: { since: string }) {
  const now = onServerClock(useNow(1_000));
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  return <span className="elapsed muted">{seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`}</span>;
}

function Outcome({ check }: { check: ConnectionCheck }) {
  const warnings = check.steps.filter((s) => s.status === 'warning').length;
  if (check.status === 'SCHEDULED') {
    return <p className="outcome outcome-running">Testing the connection…</p>;
  }
  if (check.status === 'SUCCESS') {
    return <p className="outcome outcome-ok">Connection works{warnings > 0 ? ` — with ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}.</p>;
  }
  if (check.cancelled) {
    // Neither a pass nor a failure: the connector keeps the status of its check before.
    return (
      <p className="outcome outcome-cancelled">
        Cancelled{check.cancelled_by ? ` by ${check.cancelled_by}` : ''} before it finished: this check says nothing about the connection.
      </p>
    );
  }
  return <p className="outcome outcome-failed">Connection failed: {check.reason}</p>;
}

/** When the check ran: every result says it, so an older one is never read as now. */
function CheckWhen({ check }: { check: ConnectionCheck }) {
  const now = useNow(30_000);
  return (
    <p className="check-when muted">
      {check.status === 'SCHEDULED' ? 'Started' : 'Ran'} <time dateTime={check.created_at}>{formatWhen(check.created_at)}</time> (
      <Ago at={check.created_at} now={now} />){check.trigger === 'scheduled' ? ', on its schedule' : ''}.
    </p>
  );
}

type StepRowProps = { step: Step; span: number; policy: string | null; fix: EditFix | null; onUpdateCredentials?: (() => void) | undefined };

const needsCredentials = (step: Step) => (step.status === 'failed' || step.status === 'warning') && fixedByNewCredentials(step.code);
const fixOf = (check: ConnectionCheck, step: Step): EditFix | null =>
  step.status === 'failed' || step.status === 'warning' ? editFixFor(step.code, { destinationId: check.destination_id, region: check.region }) : null;

function StepRow({ step, span, policy, fix, onUpdateCredentials }: StepRowProps) {
  const bar = timelineBar(step, span);
  const problem = step.status === 'failed' || step.status === 'warning';
  return (
    <li className={`step step-${step.status}`}>
      <div className="step-head">
        <span className="step-icon" aria-hidden="true">
          {step.status === 'running' ? <span className="spinner spinner-small" /> : STATUS_ICON[step.status]}
        </span>
        <span className="step-name">{STEP_LABELS[step.name]}</span>
        <span className="step-status">{STATUS_LABEL[step.status]}</span>
        <span className="step-duration">
          <Duration ms={step.duration_ms} />
        </span>
      </div>
      {bar && (
        <div
          className="step-bar"
          aria-hidden="true"
          title={`From ${formatDuration(step.started_ms)} to ${formatDuration((step.started_ms ?? 0) + (step.duration_ms ?? 0))}`}
        >
          <span style={{ left: `${bar.left}%`, width: `${bar.width}%` }} />
        </div>
      )}
      {step.message && <p className="step-message">{step.message}</p>}
      {problem && (step.code || step.hint || step.iam_action) && (
        <dl className="step-details">
          {step.code && (
            <>
              <dt>Code</dt>
              <dd>
                <code>{step.code}</code>
              </dd>
            </>
          )}
          {step.iam_action && (
            <>
              <dt>IAM action</dt>
              <dd>
                <code>{step.iam_action}</code>
              </dd>
            </>
          )}
          {step.hint && (
            <>
              <dt>What to do</dt>
              <dd>{step.hint}</dd>
            </>
          )}
        </dl>
      )}
      {onUpdateCredentials && (
        <Button size="small" className="step-action" onClick={onUpdateCredentials}>
          Update credentials
        </Button>
      )}
      {fix && (
        <ButtonLink to={fix.to} size="small" className="step-action">
          {fix.label}
        </ButtonLink>
      )}
      {problem && step.code === 'AccessDenied' && policy && (
        <details className="policy">
          <summary>Least-privilege policy for this destination</summary>
          {/* Focusable: a line wider than the box scrolls, and the keyboard must reach it too. */}
          <pre tabIndex={0}>{policy}</pre>
          <CopyButton text={policy} label="Copy policy" />
        </details>
      )}
    </li>
  );
}

/** The steps of a check as a timeline: status, time (and a bar to compare), and for problems what to do. */
type CheckResultsProps = {
  check: ConnectionCheck;
  remoteUrl: string;
  title?: string;
  onUpdateCredentials?: (() => void) | undefined;
  /** Offered while the check runs. */
  onCancel?: (() => void) | undefined;
  cancelling?: boolean;
};

export function CheckResults({ check, remoteUrl, title = 'Connection check', onUpdateCredentials, onCancel, cancelling = false }: CheckResultsProps) {
  const parsed = parseBucketUri(remoteUrl, { customEndpoint: true, ambientCredentials: true });
  const policy = parsed.ok ? buildLeastPrivilegePolicy(parsed.value.bucket, parsed.value.prefix, partitionOf(check.region)) : null;
  // While it runs, the timeline reaches to now (by the server's clock, which wrote created_at).
  const now = useNow(check.status === 'SCHEDULED' ? 1_000 : 60_000);
  const span = timelineSpan(check.steps, check.status === 'SCHEDULED' ? Math.max(0, onServerClock(now) - Date.parse(check.created_at)) : 0);
  // Once, under the first step a missing permission stopped: write and multipart run at once and may both be denied.
  // Under the step that failed for it (a denied listing alone is a warning, and then that one).
  const policyStep = (
    check.steps.find((s) => s.status === 'failed' && s.code === 'AccessDenied') ??
    check.steps.find((s) => s.status === 'warning' && s.code === 'AccessDenied')
  )?.name;
  // One "Update credentials" per result: identity and bucket both answer ExpiredToken for the same credentials.
  const credentialsStep = check.steps.find(needsCredentials)?.name;
  // One control per fix in a result: the first step a code's fix applies to carries it.
  const fixes = new Map<string, Step['name']>();
  for (const step of check.steps) {
    const fix = fixOf(check, step);
    if (fix && ![...fixes.keys()].includes(fix.label)) fixes.set(fix.label, step.name);
  }
  return (
    <section className="check-results" aria-label={title} aria-busy={check.status === 'SCHEDULED'}>
      <div className="outcome-row">
        <div role="status" aria-live="polite">
          <Outcome check={check} />
        </div>
        {check.status === 'SCHEDULED' && (
          <>
            {/* Outside the live region: a counter read out every second would drown the steps. */}
            <Elapsed since={check.created_at} />
            {onCancel && (
              <Button size="small" onClick={onCancel} disabled={cancelling}>
                {cancelling ? 'Cancelling…' : 'Cancel check'}
              </Button>
            )}
          </>
        )}
      </div>
      <CheckWhen check={check} />
      {(check.identity || check.region) && (
        <dl className="check-facts">
          {check.identity && (
            <>
              <dt>Identity</dt>
              <dd>
                <code>{check.identity.arn}</code> (account {check.identity.account})
              </dd>
            </>
          )}
          {check.region && (
            <>
              <dt>Bucket region</dt>
              <dd>{check.region}</dd>
            </>
          )}
        </dl>
      )}
      {check.status !== 'SCHEDULED' && span > 0 && (
        <p className="timeline-total muted">
          Steps on one timeline: each bar starts when its step started and spans its duration (identity and bucket, write and multipart run side by
          side). Total <Duration ms={span} />.
        </p>
      )}
      <ol className="timeline">
        {check.steps.map((step) => (
          <StepRow
            key={step.name}
            step={step}
            span={span}
            policy={step.name === policyStep ? policy : null}
            fix={(() => {
              const fix = fixOf(check, step);
              return fix && fixes.get(fix.label) === step.name ? fix : null;
            })()}
            onUpdateCredentials={step.name === credentialsStep ? onUpdateCredentials : undefined}
          />
        ))}
      </ol>
    </section>
  );
}

/** A check that may still be running: follows it live until it has an outcome. */
export function LiveCheckResults({
  initial,
  remoteUrl,
  onFinished,
  onUpdateCredentials,
}: {
  initial: ConnectionCheck;
  remoteUrl: string;
  onFinished?: (check: ConnectionCheck) => void;
  onUpdateCredentials?: () => void;
}) {
  const { check, connectionLost } = useCheckEvents(initial, onFinished);
  const cancel = useCancelConnectionCheck();
  const canCancel = useCan('checks.run');
  return (
    <>
      {connectionLost && (
        <Banner tone="warning" as="p" role="status">
          Lost the live connection to the server; reconnecting…
        </Banner>
      )}
      {cancel.isError && !(cancel.error instanceof ApiError && cancel.error.status === 409) && (
        <Notice tone="error" role="alert">
          Couldn't cancel the check: {cancel.error.message}
        </Notice>
      )}
      <CheckResults
        check={check}
        remoteUrl={remoteUrl}
        onUpdateCredentials={onUpdateCredentials}
        onCancel={canCancel ? () => cancel.mutate(check.id) : undefined}
        // Until the outcome arrives: the server cleans up what the check wrote first.
        cancelling={cancel.isPending || cancel.isSuccess}
      />
    </>
  );
}
