import { useMutation } from '@tanstack/react-query';
import type { ConnectionCheck } from '#shared/check-schemas';
import type { S3ConfigDraft } from '#shared/s3-config';
import { api } from '#client/lib/api-client.ts';

export const checkUnsavedConfig = (config: S3ConfigDraft) =>
  api<ConnectionCheck>('/api/v1/connection-checks', { method: 'POST', body: { type: 's3', config } });

/** Tests a config before saving it; the variables hold the secret, so they are not kept. */
export const useCheckUnsavedConfig = () => useMutation({ mutationFn: checkUnsavedConfig, gcTime: 0 });
