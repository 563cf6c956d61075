import { parseBucketUri } from './bucket-uri.ts';
import type { S3Config, S3ConfigField } from './s3-config.ts';

export type ConfigWarning = { field: S3ConfigField; code: string; message: string };

export const EXPIRY_WARNING_MS = 15 * 60 * 1000;

/** Things worth knowing about a valid config that should not block saving it. */
export function collectWarnings(config: S3Config, now: Date): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const add = (field: S3ConfigField, code: string, message: string) => warnings.push({ field, code, message });

  if (config.anonymous) {
    add('anonymous', 'anonymous_not_recommended', 'Anonymous access is not recommended: it only works on a bucket anyone can write to');
  }
  if (config.endpoint_url?.startsWith('http://')) {
    add('endpoint_url', 'endpoint_http', 'This Custom URL uses http://: credentials and data cross the network unencrypted');
  }
  if (config.endpoint_url !== null) {
    const parsed = parseBucketUri(config.remote_url, { customEndpoint: true, ambientCredentials: config.ambient_credentials });
    const problem = parsed.ok ? parsed.awsNameProblems[0] : undefined;
    if (problem) add('remote_url', problem.type, `${problem.message} on Amazon S3; your S3-compatible service may accept it`);
  }
  if (config.endpoint_url === null) {
    const parsed = parseBucketUri(config.remote_url, { customEndpoint: false, ambientCredentials: config.ambient_credentials });
    if (parsed.ok && parsed.value.bucket.includes('.')) {
      add(
        'remote_url',
        'bucket_dotted',
        "Bucket names with dots break HTTPS in S3's usual virtual-hosted addressing (its certificate covers one level of *.s3.amazonaws.com): the check addresses this bucket path-style, and your pipeline must too",
      );
    }
  }
  if (config.key?.startsWith('AKIA') && config.token !== null) {
    add('token', 'token_with_long_term_key', 'Keys starting with AKIA are long-term keys and do not need an STS Token');
  }
  if (config.token_expires_at !== null) {
    const left = Date.parse(config.token_expires_at) - now.getTime();
    if (left <= 0) {
      add('token_expires_at', 'expiry_past', 'These credentials have already expired: the connection check will fail until they are replaced');
    } else if (left < EXPIRY_WARNING_MS) {
      add('token_expires_at', 'expiry_soon', `These credentials expire in ${Math.max(1, Math.round(left / 60_000))} min`);
    }
  }
  return warnings;
}
