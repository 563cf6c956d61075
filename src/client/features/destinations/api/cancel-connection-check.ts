import { useMutation } from '@tanstack/react-query';
import type { ConnectionCheck } from '#shared/check-schemas';
import { api } from '#client/lib/api-client.ts';

/** Asks the server to stop a running check; it ends FAILURE "cancelled" once its probes are cleaned up. */
export const cancelConnectionCheck = (checkId: string) => api<ConnectionCheck>(`/api/v1/connection-checks/${checkId}/cancel`, { method: 'POST' });

export function useCancelConnectionCheck() {
  return useMutation({ mutationFn: cancelConnectionCheck });
}
