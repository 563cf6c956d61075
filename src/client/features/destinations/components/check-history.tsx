import { Ago, Duration } from '#client/ui/when.tsx';
import type { ConnectionCheck } from '#shared/check-schemas';
import type { Destination } from '#shared/destination-schemas';
import { Link } from '#client/lib/router.tsx';
import { formatWhen } from '#client/ui/relative-time.ts';
import { useNow } from '#client/ui/use-now.ts';
import { testedBeforeChange } from '../lib/check-verdict.ts';
import { timelineSpan } from '../lib/timeline.ts';
import './check-history.css';
import { DataTable } from '#client/ui/data-table.tsx';
import { Badge } from '#client/ui/badge.tsx';

const STATUS = { SCHEDULED: 'Running', SUCCESS: 'Passed', FAILURE: 'Failed' } as const;
const TONE = { SCHEDULED: 'neutral', SUCCESS: 'ok', FAILURE: 'danger' } as const;

/** The same total as the check's timeline (its steps' span); a check recorded before steps had times: start to report. */
function durationOf(check: ConnectionCheck): number | null {
  const span = timelineSpan(check.steps);
  if (span > 0 && check.status !== 'SCHEDULED') return span;
  return check.reported_at ? Date.parse(check.reported_at) - Date.parse(check.created_at) : null;
}

/** Every past check of a destination, newest first; each opens its results. */
export function CheckHistory({
  destination,
  checks,
  selected,
}: {
  destination: Pick<Destination, 'id' | 'config_version'>;
  checks: ConnectionCheck[];
  selected: string | null;
}) {
  const destinationId = destination.id;
  const now = useNow(30_000);
  if (checks.length === 0) return <p className="muted">No connection checks yet.</p>;
  return (
    <DataTable
      caption="Connection check history, newest first"
      className="history"
      boxed={false}
      rows={checks}
      rowKey={(check) => check.id}
      rowProps={(check) => ({ 'aria-current': check.id === selected ? 'true' : undefined })}
      columns={[
        {
          label: 'When',
          unlabelled: true,
          cell: (check) => (
            <Link to={`/destinations/${destinationId}?check=${check.id}`} aria-label={`Open the check of ${formatWhen(check.created_at)}`}>
              <Ago at={check.created_at} now={now} />
            </Link>
          ),
        },
        {
          label: 'Result',
          cell: (check) => (
            <>
              {check.cancelled ? <Badge tone="neutral">Cancelled</Badge> : <Badge tone={TONE[check.status]}>{STATUS[check.status]}</Badge>}
              {check.trigger === 'scheduled' && <span className="muted small"> scheduled</span>}
              {testedBeforeChange(check, destination) && <span className="muted small"> before a change</span>}
            </>
          ),
        },
        { label: 'Duration', cell: (check) => <Duration ms={durationOf(check)} /> },
        {
          label: 'Reason',
          cell: (check) => (check.cancelled ? `Cancelled${check.cancelled_by ? ` by ${check.cancelled_by}` : ''}` : (check.reason ?? '')),
        },
      ]}
    />
  );
}
