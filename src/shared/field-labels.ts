import type { S3ConfigField } from './s3-config.ts';

/** The words the form uses for each field of a destination (Unstructured's names), for anything that lists them. */
export const FIELD_LABELS: Record<S3ConfigField | 'name' | 'provider' | 'check_schedule', string> = {
  name: 'Name',
  check_schedule: 'Scheduled checks',
  remote_url: 'Bucket URI',
  anonymous: 'Authentication method',
  ambient_credentials: 'Authentication method',
  key: 'AWS Key',
  secret: 'AWS Secret Key',
  token: 'STS Token',
  endpoint_url: 'Custom URL',
  region: 'Region',
  token_expires_at: 'Token expiry',
  provider: 'Storage provider',
  role_arn: 'Role ARN',
  external_id: 'External ID',
};

/** `name, config.remote_url, config.secret` (how a change is recorded: names, never values) → the form's labels. */
export function changedFieldLabels(detail: string): string[] {
  const labels = detail
    .split(',')
    .map((name) => name.trim().replace(/^config\./, ''))
    .filter(Boolean)
    .map((name) => FIELD_LABELS[name as keyof typeof FIELD_LABELS] ?? name);
  return [...new Set(labels)];
}
