import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { parseBucketUri } from '#shared/bucket-uri';
import type { S3Config } from '#shared/s3-config';
import type { ClientPool } from './client-pool.ts';

/** Credentials the server obtained itself (an assumed IAM role's): they take the place of the config's. */
export type ServerHeldCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string } | null;

export type ClientOptions = {
  /** Connect timeout per request; the check's total budget is enforced by an abort signal on top. */
  connectionTimeoutMs: number;
  httpAgent?: HttpAgent;
  /** An https.Agent, or the proxying agent of the SSRF guard (agent-base agents serve both schemes). */
  httpsAgent?: HttpsAgent | HttpAgent;
  /** Clients kept between checks (the worker's, beside its agents, which outlive any client); none: new ones each check. */
  pool?: ClientPool;
};

const FIPS_REGION = /\.s3-fips(?:\.dualstack)?\.([a-z0-9-]+)\.amazonaws\.com$/;

/** The region a FIPS-form Bucket URI names, if it is one. */
export function fipsRegion(remoteUrl: string): string | null {
  if (!remoteUrl.startsWith('https://')) return null;
  return FIPS_REGION.exec(new URL(remoteUrl).hostname)?.[1] ?? null;
}

function baseConfig(config: S3Config, region: string, options: ClientOptions, held: ServerHeldCredentials) {
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: options.connectionTimeoutMs,
    ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
    ...(options.httpsAgent ? { httpsAgent: options.httpsAgent as HttpsAgent } : {}),
  });
  const credentials = held
    ? { accessKeyId: held.accessKeyId, secretAccessKey: held.secretAccessKey, sessionToken: held.sessionToken }
    : config.key !== null && config.secret !== null
      ? { accessKeyId: config.key, secretAccessKey: config.secret, ...(config.token ? { sessionToken: config.token } : {}) }
      : undefined;
  return {
    region,
    // One attempt: a check reports what happened, it does not hide a flaky endpoint behind retries.
    maxAttempts: 1,
    requestHandler,
    // Ambient credentials: no credentials option, so the SDK uses the server's own provider chain.
    ...(credentials ? { credentials } : {}),
    ...(config.anonymous ? ANONYMOUS : {}),
  };
}

/**
 * Anonymous: Smithy's no-auth scheme is the only one offered, so requests go out unsigned and no identity is ever
 * resolved — the SDK's default credential chain (environment, files, container and instance metadata endpoints) is
 * never consulted, and the server's own credentials can never be attached.
 */
const NO_AUTH = 'smithy.api#noAuth';
const ANONYMOUS = {
  httpAuthSchemeProvider: () => [{ schemeId: NO_AUTH }],
  httpAuthSchemes: [{ schemeId: NO_AUTH, identityProvider: () => async () => ({}), signer: { sign: async <T>(request: T) => request } }],
};

function dottedBucket(config: S3Config): boolean {
  const parsed = parseBucketUri(config.remote_url, { customEndpoint: false, ambientCredentials: config.ambient_credentials });
  return parsed.ok && parsed.value.bucket.includes('.');
}

export function createS3Client(config: S3Config, region: string, options: ClientOptions, held: ServerHeldCredentials = null): S3Client {
  const custom: Partial<S3ClientConfig> =
    config.endpoint_url !== null
      ? {
          endpoint: config.endpoint_url,
          forcePathStyle: true,
          // Some S3-compatible services reject the SDK's default checksum headers.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {
          ...(fipsRegion(config.remote_url) ? { useFipsEndpoint: true } : {}),
          // bucket.with.dots.s3.amazonaws.com fails certificate validation (the wildcard covers one label).
          ...(dottedBucket(config) ? { forcePathStyle: true } : {}),
        };
  return new S3Client({ ...baseConfig(config, region, options, held), ...custom } as S3ClientConfig);
}

export function createStsClient(config: S3Config, region: string, options: ClientOptions, held: ServerHeldCredentials = null): STSClient {
  return new STSClient({
    ...baseConfig(config, region, options, held),
    ...(fipsRegion(config.remote_url) ? { useFipsEndpoint: true } : {}),
  } as STSClientConfig);
}
