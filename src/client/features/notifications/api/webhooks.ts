import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedWebhook, Webhook, WebhookCreate, WebhookDelivery } from '#shared/webhook-schemas';
import { api } from '#client/lib/api-client.ts';

export const webhooksQueryOptions = () =>
  queryOptions({ queryKey: ['webhooks'], queryFn: ({ signal }) => api<Webhook[]>('/api/v1/webhooks', { signal }) });

export const useWebhooks = () => useQuery(webhooksQueryOptions());

/** A webhook's delivery log; polled while something is still to be sent, so a test event's outcome shows by itself. */
export const deliveriesQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['webhooks', id, 'deliveries'],
    queryFn: ({ signal }) => api<WebhookDelivery[]>(`/api/v1/webhooks/${id}/deliveries`, { signal }),
    refetchInterval: (query) => (query.state.data?.some((delivery) => delivery.status === 'pending') ? 1_000 : false),
  });

export const useDeliveries = (id: string) => useQuery(deliveriesQueryOptions(id));

/**
 * Adds a webhook. Called directly rather than through a mutation: the answer holds the signing secret, which a
 * mutation would keep in the query client's cache. It lives in the dialog's state alone.
 */
export const createWebhook = (input: WebhookCreate) => api<CreatedWebhook>('/api/v1/webhooks', { method: 'POST', body: input });

function useWebhookAction<T>(request: (id: string) => Promise<T>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: request, onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksQueryOptions().queryKey }) });
}

export const useSendTestEvent = () => useWebhookAction((id) => api<WebhookDelivery>(`/api/v1/webhooks/${id}/test`, { method: 'POST' }));
export const useEnableWebhook = () => useWebhookAction((id) => api<Webhook>(`/api/v1/webhooks/${id}/enable`, { method: 'POST' }));
export const useDeleteWebhook = () => useWebhookAction((id) => api<{ detail: string }>(`/api/v1/webhooks/${id}`, { method: 'DELETE' }));
