import { useState } from 'react';
import { ApiError } from '#client/lib/api-client.ts';
import { flash } from '#client/lib/flash.ts';
import { Dialog, DialogActions } from '#client/ui/dialog.tsx';
import { useDeleteDestination } from '../api/delete-destination.ts';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

type Props = {
  destination: { id: string; name: string; version: number };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDeleted?: () => void;
};

/** Asks before deleting, naming the connector; its check history goes with it. */
export default function DeleteDestinationDialog({ destination, open, onOpenChange, onDeleted }: Props) {
  const remove = useDeleteDestination();
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setError(null);
    try {
      await remove.mutateAsync({ id: destination.id, version: destination.version });
      // Said on the list, wherever the delete started.
      flash.set(`Deleted “${destination.name}” and its connection check history.`);
      onOpenChange(false);
      onDeleted?.();
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 412
          ? 'This connector was changed elsewhere since you opened it; close this dialog, reload, and try again.'
          : (e as Error).message,
      );
    }
  };
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete “${destination.name}”?`}
      description="The connector and its connection check history are deleted. Pipelines using it will stop writing to this bucket. The bucket itself is not touched."
    >
      {error && (
        <Notice tone="error" role="alert">
          {error}
        </Notice>
      )}
      <DialogActions>
        <Button variant="danger" onClick={() => void confirm()} disabled={remove.isPending}>
          {remove.isPending ? 'Deleting…' : 'Delete connector'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
