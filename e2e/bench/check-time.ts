import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { randomUUID } from 'node:crypto';
import type { ConnectionCheck } from '#shared/check-schemas';
import type { TestApp } from '../../src/server/test-support/test-app.ts';
import { IDENTITIES } from '../local-s3/identities.ts';
import { median, ms, ratio, type Figure } from './figures.ts';

const BUCKET = 'local-bucket';
const PREFIX = 'bench/';

/** Resolves with the check once it has finished, as the worker reports it. */
export function whenFinished(t: TestApp, checkId: string): Promise<ConnectionCheck> {
  return new Promise((resolve) => {
    const onChange = (changed: string) => {
      if (changed !== checkId) return;
      void t.store.checks.findById(checkId).then((check) => {
        if (!check || check.status === 'SCHEDULED') return;
        t.app.checkWorker.events.off('change', onChange);
        resolve(check);
      });
    };
    t.app.checkWorker.events.on('change', onChange);
    onChange(checkId);
  });
}

/** Starts a saved destination's check through the API and times it to its end: the wall time a user waits. */
export async function timeCheck(t: TestApp, destinationId: string): Promise<{ elapsed: number; check: ConnectionCheck }> {
  const started = performance.now();
  const response = await t.request({ method: 'POST', url: `/api/v1/destinations/${destinationId}/connection-check` });
  if (response.statusCode !== 202) throw new Error(`starting a check answered ${response.statusCode}: ${response.body}`);
  const check = await whenFinished(t, (response.json() as ConnectionCheck).id);
  return { elapsed: performance.now() - started, check };
}

/** The same S3 and STS calls the check makes, one after another with fresh SDK clients: the baseline. */
export async function sdkInSequence(endpoint: string): Promise<number> {
  const started = performance.now();
  const credentials = { accessKeyId: IDENTITIES.writer.accessKeyId, secretAccessKey: IDENTITIES.writer.secretAccessKey };
  const s3 = new S3Client({ region: 'us-east-1', endpoint, credentials, forcePathStyle: true });
  const sts = new STSClient({ region: 'us-east-1', endpoint, credentials });
  const Key = `${PREFIX}.connection-test/${randomUUID()}`;
  await sts.send(new GetCallerIdentityCommand({}));
  await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX, MaxKeys: 1 }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Buffer.from('baseline\n'), ContentType: 'text/plain' }));
  const multipartKey = `${Key}-multipart`;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: multipartKey }));
  const part = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: multipartKey, UploadId, PartNumber: 1, Body: Buffer.from('part\n') }));
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: multipartKey,
      UploadId,
      MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] },
    }),
  );
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }));
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: multipartKey }));
  const elapsed = performance.now() - started;
  s3.destroy();
  sts.destroy();
  return elapsed;
}

export async function createDestination(t: TestApp, config: Record<string, unknown>, name = `bench ${randomUUID()}`): Promise<string> {
  const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body: { name, type: 's3', config } });
  if (response.statusCode !== 200) throw new Error(`create answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { id: string }).id;
}

export const writerConfig = (prefix = PREFIX) => ({
  remote_url: `s3://${BUCKET}/${prefix}`,
  key: IDENTITIES.writer.accessKeyId,
  secret: IDENTITIES.writer.secretAccessKey,
});

/** Where the check's S3 and STS traffic goes (the SDK's endpoint overrides), and that endpoint's added latency. */
export type BenchEndpoint = { endpoint: string; latencyMs: number; budget: number };

/**
 * Check wall time against the SDK baseline at each latency, alternating runs so drift hits both alike; then a silent
 * endpoint. The check runs independent calls at once, so with latency it should beat the calls made one by one.
 * Medians of 60: at 0 ms the median of 9 moved 0.85–1.09× between four rounds on one quiet machine, of 25 0.99–1.07×,
 * of 60 0.84–0.95× (six rounds, after decision 017).
 */
export async function measureCheckTimes(t: TestApp, endpoints: BenchEndpoint[], silentUrl: string, runs = 60): Promise<Figure[]> {
  const destinationId = await createDestination(t, writerConfig());
  const figures: Figure[] = [];
  const restore = { s3: process.env.AWS_ENDPOINT_URL_S3, sts: process.env.AWS_ENDPOINT_URL_STS };
  for (const { endpoint, latencyMs, budget } of endpoints) {
    process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    process.env.AWS_ENDPOINT_URL_STS = endpoint;
    // One of each first, unmeasured: module loading and the first connection are not what we compare.
    await timeCheck(t, destinationId);
    await sdkInSequence(endpoint);
    const check: number[] = [];
    const sdk: number[] = [];
    for (let run = 0; run < runs; run++) {
      const timed = await timeCheck(t, destinationId);
      if (timed.check.status !== 'SUCCESS') throw new Error(`the benchmark check failed: ${timed.check.reason}`);
      check.push(timed.elapsed);
      sdk.push(await sdkInSequence(endpoint));
    }
    const checkRatio = median(check) / median(sdk);
    figures.push({
      name: `Check wall time ÷ the same calls with the SDK in sequence, ${latencyMs} ms per request`,
      value: ratio(checkRatio),
      budget: `≤ ${budget.toFixed(2)}×`,
      pass: checkRatio <= budget,
      detail: `median of ${runs}: check ${ms(median(check))} (API to finished, through the queue), SDK ${ms(median(sdk))}; local S3 with ${latencyMs} ms per request`,
    });
  }
  process.env.AWS_ENDPOINT_URL_S3 = restore.s3;
  process.env.AWS_ENDPOINT_URL_STS = restore.sts;

  const silentId = await createDestination(t, { remote_url: 's3://silent-bucket/', endpoint_url: silentUrl, key: 'minio', secret: 'minio-secret' });
  const silent: number[] = [];
  for (let run = 0; run < 3; run++) {
    const timed = await timeCheck(t, silentId);
    if (timed.check.status !== 'FAILURE') throw new Error('a silent endpoint did not fail the check');
    silent.push(timed.elapsed);
  }
  const budget = t.config.checkTimeoutMs + 500;
  return [
    ...figures,
    {
      name: 'Silent endpoint: time to FAILURE',
      value: ms(Math.max(...silent)),
      budget: `≤ CHECK_TIMEOUT_MS + 0.5 s = ${ms(budget)}`,
      pass: Math.max(...silent) <= budget,
      detail: `worst of 3 (${silent.map(ms).join(', ')}), CHECK_TIMEOUT_MS=${t.config.checkTimeoutMs}`,
    },
  ];
}
