import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Activity } from '#shared/activity-schemas';
import { api } from '#client/lib/api-client.ts';

export const getActivity = (destinationId: string, signal?: AbortSignal) =>
  api<Activity[]>(`/api/v1/destinations/${destinationId}/activity`, { signal });

export const activityQueryOptions = (destinationId: string) =>
  queryOptions({ queryKey: ['destinations', destinationId, 'activity'], queryFn: ({ signal }) => getActivity(destinationId, signal) });

export const useActivity = (destinationId: string) => useQuery(activityQueryOptions(destinationId));
