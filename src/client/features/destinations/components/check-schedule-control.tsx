import { Until } from '#client/ui/when.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { CHECK_SCHEDULE_LABELS, CHECK_SCHEDULES, type CheckSchedule } from '#shared/check-schedule';
import type { Destination } from '#shared/destination-schemas';

import { useNow } from '#client/ui/use-now.ts';
import { destinationQueryOptions } from '../api/get-destination.ts';
import { useUpdateDestination } from '../api/update-destination.ts';

/**
 * How often the server checks this connector again by itself, and when next: a choice for those who may change the
 * connector, a sentence for viewers. A new schedule starts from now.
 */
export function CheckScheduleControl({ destination, canEdit }: { destination: Destination; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const update = useUpdateDestination();
  const now = useNow(60_000);
  const id = useId();
  const schedule = update.isPending ? (update.variables.changes.check_schedule ?? destination.check_schedule) : destination.check_schedule;
  const next =
    destination.next_check_at === null ? (
      'Not checked by itself.'
    ) : (
      <>
        Next check <Until at={destination.next_check_at} now={now} />.
      </>
    );
  const change = (value: CheckSchedule) =>
    update.mutate(
      { id: destination.id, version: destination.version, changes: { check_schedule: value } },
      { onSuccess: () => queryClient.invalidateQueries({ queryKey: destinationQueryOptions(destination.id).queryKey }) },
    );
  return (
    <div className="check-schedule">
      {canEdit ? (
        <div className="field">
          <label htmlFor={id}>Check again by itself</label>
          <select
            id={id}
            value={schedule}
            disabled={update.isPending}
            aria-describedby={`${id}-hint${update.isError ? ` ${id}-error` : ''}`}
            aria-invalid={update.isError ? true : undefined}
            onChange={(event) => change(event.target.value as CheckSchedule)}
          >
            {CHECK_SCHEDULES.map((value) => (
              <option key={value} value={value}>
                {CHECK_SCHEDULE_LABELS[value]}
              </option>
            ))}
          </select>
          <p id={`${id}-hint`} className="field-hint">
            {next} A bucket policy or key changed on the AWS side shows here before a pipeline fails.
          </p>
          {update.isError && (
            <p id={`${id}-error`} className="field-error" role="alert">
              {update.error.message}
            </p>
          )}
        </div>
      ) : (
        <p>
          Checked again by itself: <strong>{CHECK_SCHEDULE_LABELS[destination.check_schedule].toLowerCase()}</strong>. {next}
        </p>
      )}
    </div>
  );
}
