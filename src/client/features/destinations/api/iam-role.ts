import { queryOptions, useQuery } from '@tanstack/react-query';
import type { IamRoleSettings } from '#shared/api-schemas';
import { api } from '#client/lib/api-client.ts';

/** Whether the server assumes IAM roles, and the principal a role's trust policy names (or why it cannot now). */
export const iamRoleSettingsQueryOptions = () =>
  queryOptions({ queryKey: ['iam-role'], queryFn: () => api<IamRoleSettings>('/api/v1/iam-role'), staleTime: 60_000 });

export const useIamRoleSettings = (enabled: boolean) => useQuery({ ...iamRoleSettingsQueryOptions(), enabled });

/** A new external ID for a connector that is about to become an IAM role. */
export const createExternalId = () => api<{ external_id: string }>('/api/v1/iam-role/external-ids', { method: 'POST' });
