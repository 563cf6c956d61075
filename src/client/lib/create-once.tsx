import { useState } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { DialogActions } from '#client/ui/dialog.tsx';
import { placeServerErrors } from './server-errors.ts';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

/**
 * A dialog whose form creates something shown once (an API key, an invitation link, a webhook's secret): what was
 * created — held in the dialog's state alone, never in the query cache — the failure to show, and a close that forgets
 * both. What the server refuses goes on the fields concerned (`fields`, a 409 on `conflict`).
 */
export function useCreateOnce<T, V extends FieldValues>(options: {
  onOpenChange: (open: boolean) => void;
  reset: () => void;
  setError: UseFormSetError<V>;
  fields: Partial<Record<string, Path<V>>>;
  conflict: Path<V>;
}) {
  const [created, setCreated] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const close = (next: boolean) => {
    if (!next) {
      setCreated(null);
      setFailure(null);
      options.reset();
    }
    options.onOpenChange(next);
  };
  /** Runs `create`, then `after` (refreshing a list); on a refusal, says it on the field or in the dialog. */
  const run = async (create: () => Promise<T>, after: () => Promise<unknown>) => {
    setFailure(null);
    try {
      setCreated(await create());
      await after();
    } catch (error) {
      if (placeServerErrors(error, options.setError, options.fields, options.conflict)) return;
      setFailure((error as Error).message);
    }
  };
  return { created, failure, close, run };
}

/** The shown-once step's end: Done closes the dialog, and what was shown goes with it. */
export function CreatedDone({ close }: { close: (open: boolean) => void }) {
  return (
    <div className="dialog-actions">
      <Button variant="primary" onClick={() => close(false)}>
        Done
      </Button>
    </div>
  );
}

/** The end of such a form: the failure, if any, and the submit button saying what it does while it does it. */
export function CreateOnceActions({
  failure,
  submitting,
  label,
  busyLabel,
}: {
  failure: string | null;
  submitting: boolean;
  label: string;
  busyLabel: string;
}) {
  return (
    <>
      {failure && (
        <Notice tone="error" role="alert">
          {failure}
        </Notice>
      )}
      <DialogActions>
        <Button type="submit" variant="primary" disabled={submitting}>
          {submitting ? busyLabel : label}
        </Button>
      </DialogActions>
    </>
  );
}
