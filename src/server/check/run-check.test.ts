import { describe, expect, it } from 'vitest';
import type { Step } from '#shared/check-schemas';
import { normalizeS3Config } from '#shared/s3-config';
import { StepFailure, type CheckStage } from './check-steps.ts';
import { runConnectionCheck } from './run-check.ts';

// The runner over tables of its own: what it does with stages is data-driven, so a new step (an IAM role's
// assume-role, say) is a row, not another hand-written skip list. The S3 behaviour of the real table is tested
// against the local endpoint (connection-check.test.ts, aws-truth.test.ts).
const config = normalizeS3Config({
  remote_url: 's3://bucket/prefix/',
  key: 'AKIAIOSFODNN7EXAMPLE',
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
});
const options = (extra: Partial<Parameters<typeof runConnectionCheck>[1]> = {}) => ({ budgetMs: 5_000, allowAmbientCredentials: false, ...extra });
const statuses = (steps: Step[]) => Object.fromEntries(steps.map((step) => [step.name, step.status]));

describe('the check runner', () => {
  it('runs the steps of a stage at once and times each on the check’s timeline', async () => {
    let started = 0;
    let bothStarted = () => {};
    const barrier = new Promise<void>((resolve) => (bothStarted = resolve));
    // Each waits for the other to have started: run one after the other, they would wait for ever.
    const meet = async () => {
      if (++started === 2) bothStarted();
      await barrier;
      await new Promise((resolve) => setTimeout(resolve, 30));
    };
    const outcome = await runConnectionCheck(config, options(), [
      {
        steps: [
          { name: 'identity', run: meet },
          { name: 'bucket', run: meet },
        ],
      },
      { steps: [{ name: 'write', run: async () => ({ message: 'written' }) }] },
    ]);
    expect(outcome.status).toBe('SUCCESS');
    const [identity, bucket, write] = ['identity', 'bucket', 'write'].map((name) => outcome.steps.find((step) => step.name === name)!);
    // Both began before either ended (the barrier proves they ran at once; the times say so on the timeline).
    // Not equal to the millisecond: each start is rounded on its own and a busy machine can put 1 ms between them.
    expect(Math.abs(identity!.started_ms! - bucket!.started_ms!)).toBeLessThan(identity!.duration_ms!);
    expect(identity!.duration_ms).toBeGreaterThanOrEqual(29);
    // The next stage starts after this one ended (less a millisecond: start and duration are each rounded).
    expect(write!.started_ms).toBeGreaterThanOrEqual(identity!.started_ms! + identity!.duration_ms! - 1);
    expect(write!.message).toBe('written');
  });

  it('skips every later step with the failed stage’s words, naming which step failed', async () => {
    const progress: Step[][] = [];
    const outcome = await runConnectionCheck(config, options({ onProgress: (steps) => progress.push(steps) }), [
      { steps: [{ name: 'validate', run: async () => ({ status: 'warning', message: 'careful' }) }] },
      {
        steps: [
          { name: 'identity', run: async () => ({}) },
          { name: 'bucket', run: async () => Promise.reject(new StepFailure({ code: 'NoSuchBucket', message: 'No bucket.', hint: 'Create it.' })) },
        ],
        skipAfterFailure: (failed) => `Skipped after ${failed.join(', ')}.`,
      },
      { steps: [{ name: 'write', run: async () => ({}) }] },
      { steps: [{ name: 'cleanup', skipIf: () => 'Nothing was written.', run: async () => ({}) }], always: true },
    ]);
    expect(outcome).toMatchObject({ status: 'FAILURE', reason: 'No bucket.' });
    expect(statuses(outcome.steps)).toMatchObject({
      validate: 'warning',
      identity: 'passed',
      bucket: 'failed',
      write: 'skipped',
      cleanup: 'skipped',
    });
    expect(outcome.steps.find((step) => step.name === 'write')?.message).toBe('Skipped after bucket.');
    expect(outcome.steps.find((step) => step.name === 'bucket')).toMatchObject({ code: 'NoSuchBucket', hint: 'Create it.', iam_action: null });
    // Every change was published as it happened, the last one being the outcome.
    expect(progress.some((steps) => steps.find((step) => step.name === 'bucket')?.status === 'running')).toBe(true);
    expect(progress.at(-1)).toEqual(outcome.steps);
  });

  it('shows a step run alongside a failed one skipped with the stage’s words, keeps its pass, and still cleans up', async () => {
    const missing = () => Promise.reject(new StepFailure({ code: 'NoSuchBucket', message: 'No bucket.', hint: 'Create it.' }));
    let cleaned = false;
    const outcome = await runConnectionCheck(config, options(), [
      {
        steps: [
          // The bucket's answer comes last: the write's failure waits for it before it is told.
          { name: 'bucket', run: () => new Promise((resolve) => setTimeout(resolve, 20)).then(missing) },
          { name: 'write', alongside: ['bucket'], run: missing },
          { name: 'multipart', alongside: ['bucket'], run: async () => ({ message: 'Uploaded.' }) },
        ],
        skipAfterFailure: (failed) => `Skipped after ${failed.join(', ')}.`,
      },
      { steps: [{ name: 'cleanup', run: async () => void (cleaned = true) }], always: true },
    ]);
    expect(outcome).toMatchObject({ status: 'FAILURE', reason: 'No bucket.' });
    expect(outcome.steps.find((step) => step.name === 'write')).toMatchObject({
      status: 'skipped',
      message: 'Skipped after bucket.',
      code: null,
      started_ms: null,
    });
    expect(outcome.steps.find((step) => step.name === 'multipart')).toMatchObject({ status: 'passed', message: 'Uploaded.' });
    expect(outcome.steps.find((step) => step.name === 'cleanup')?.status).toBe('passed');
    expect(cleaned).toBe(true);
  });

  it('fails a step run alongside others when they pass, and does not skip what follows for it', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const outcome = await runConnectionCheck(config, options(), [
      {
        steps: [
          { name: 'bucket', run: async () => ({}) },
          { name: 'write', iamAction: 's3:PutObject', alongside: ['bucket'], run: () => Promise.reject(denied) },
        ],
        skipAfterFailure: () => 'Skipped after the bucket.',
      },
      { steps: [{ name: 'cleanup', run: async () => ({}) }], always: true },
    ]);
    expect(outcome.steps.find((step) => step.name === 'write')).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(outcome.steps.find((step) => step.name === 'cleanup')?.status).toBe('passed');
  });

  it('words an error a step throws through the catalogue, with the step’s IAM action on AccessDenied', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const outcome = await runConnectionCheck(config, options(), [
      { steps: [{ name: 'write', iamAction: 's3:PutObject', run: () => Promise.reject(denied) }] },
    ]);
    expect(outcome.steps.find((step) => step.name === 'write')).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(outcome.steps.find((step) => step.name === 'write')?.hint).toMatch(/s3:PutObject/);
  });

  it('skips a step that does not apply with its own words, and still runs the rest of its stage', async () => {
    const outcome = await runConnectionCheck(config, options(), [
      {
        steps: [
          { name: 'endpoint', skipIf: () => 'Skipped: AWS endpoint.', run: () => Promise.reject(new Error('must not run')) },
          { name: 'bucket', run: async () => ({}) },
        ],
      },
    ]);
    expect(outcome.steps.find((step) => step.name === 'endpoint')).toMatchObject({
      status: 'skipped',
      message: 'Skipped: AWS endpoint.',
      started_ms: null,
    });
    expect(outcome.status).toBe('SUCCESS');
  });

  it('on a cancel, finishes the stage in progress, runs what always runs when it applies, then rejects with the reason', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const stages = (written: boolean): CheckStage[] => [
      {
        steps: [
          {
            name: 'write',
            run: async (ctx) => {
              if (written) ctx.written.push({ key: ctx.probe, versionId: undefined });
              controller.abort(new Error('cancelled by a user'));
              throw new Error('aborted');
            },
          },
        ],
      },
      { steps: [{ name: 'multipart', run: async () => void ran.push('multipart') }] },
      {
        steps: [{ name: 'cleanup', skipIf: (ctx) => (ctx.written.length ? null : 'nothing written'), run: async () => void ran.push('cleanup') }],
        always: true,
      },
    ];
    const progress: Step[][] = [];
    await expect(
      runConnectionCheck(config, options({ signal: controller.signal, onProgress: (steps) => progress.push(steps) }), stages(true)),
    ).rejects.toThrow('cancelled by a user');
    expect(ran).toEqual(['cleanup']);
    expect(statuses(progress.at(-1)!)).toMatchObject({ write: 'running', multipart: 'pending', cleanup: 'passed' });

    // Nothing written: cleanup does not apply, and stays pending for the caller to mark with the reason.
    ran.length = 0;
    progress.length = 0;
    const again = new AbortController();
    const second = stages(false);
    second[0]!.steps[0]!.run = async () => {
      again.abort(new Error('stopping'));
      throw new Error('aborted');
    };
    await expect(runConnectionCheck(config, options({ signal: again.signal, onProgress: (steps) => progress.push(steps) }), second)).rejects.toThrow(
      'stopping',
    );
    expect(ran).toEqual([]);
    expect(statuses(progress.at(-1)!)).toMatchObject({ cleanup: 'pending' });
  });
});

describe('a failure told once, in the words of what the stage showed', () => {
  // As a saved connector's config reaches the check: with the provider it was saved with.
  const customConfig = { ...normalizeS3Config({ ...config, endpoint_url: 'https://rgw.example.com' }), provider: 'ceph' as const };
  const denied = () => Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  const signature = () => Object.assign(new Error('no'), { name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  const listingDenied = async () => ({
    status: 'warning' as const,
    code: 'AccessDenied',
    message: 'Listing the bucket is denied: that is fine for a write-only role.',
    hint: 'Allow s3:ListBucket.',
    iam_action: 's3:ListBucket',
  });
  const stages = (identity: CheckStage['steps'][number]['run'], write: () => Promise<never> = () => Promise.reject(denied())): CheckStage[] => [
    {
      steps: [
        { name: 'identity', signed: true, run: identity },
        { name: 'bucket', signed: true, iamAction: 's3:ListBucket', run: listingDenied },
        { name: 'write', signed: true, iamAction: 's3:PutObject', alongside: ['identity', 'bucket'], run: write },
        { name: 'multipart', signed: true, iamAction: 's3:PutObject', alongside: ['identity', 'bucket'], run: write },
      ],
      skipAfterFailure: (failed) => `Skipped after ${failed.join(', ')}.`,
    },
  ];
  const stepOf = (steps: Step[], name: string) => steps.find((step) => step.name === name)!;

  it('names wrong or disabled credentials first when every signed request was refused, once, and says "same cause" after', async () => {
    const outcome = await runConnectionCheck(
      customConfig,
      options(),
      stages(async () => ({ status: 'skipped', message: 'Skipped: no STS.' })),
    );
    const write = stepOf(outcome.steps, 'write');
    expect(write).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(write.message).toMatch(
      /no request of this check was accepted: the access key or secret key may be wrong or disabled, or the key may not use s3:PutObject/,
    );
    // Both causes in order, and how to tell them apart; nothing of AWS's propagation on another service.
    expect(write.hint).toMatch(
      /^First copy the access key and secret key again from the gateway user .* Then: On Ceph the bucket's owner grants access: a bucket policy allowing s3:PutObject .* To tell which/,
    );
    expect(write.hint).not.toMatch(/propagat|minutes to hours|write-only/);
    expect(stepOf(outcome.steps, 'multipart')).toMatchObject({
      status: 'failed',
      code: 'AccessDenied',
      message: 'Same cause as Write a test object.',
      hint: null,
    });
    expect(stepOf(outcome.steps, 'bucket')).toMatchObject({ status: 'warning', message: 'Same cause as Write a test object.', hint: null });
    expect(outcome.reason).toBe(write.message);
  });

  it('speaks of permissions alone once a signed request was accepted: each action once', async () => {
    const outcome = await runConnectionCheck(
      config,
      options(),
      stages(async () => ({ message: 'Signed in as arn:aws:iam::111122223333:user/ci.' })),
    );
    const write = stepOf(outcome.steps, 'write');
    expect(write.message).toBe('Access denied: these credentials may not use s3:PutObject on bucket "bucket".');
    expect(stepOf(outcome.steps, 'multipart')).toMatchObject({ message: 'Same cause as Write a test object.', hint: null });
    // Listing is another permission: its own words stay.
    expect(stepOf(outcome.steps, 'bucket')).toMatchObject({
      status: 'warning',
      message: 'Listing the bucket is denied: that is fine for a write-only role.',
    });
  });

  it('takes an AccessDenied that names the refusing policy as proof the credentials were accepted', async () => {
    const named = () =>
      Promise.reject(
        Object.assign(
          new Error(
            'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::bucket/prefix/x" because no identity-based policy allows the s3:PutObject action',
          ),
          {
            name: 'AccessDenied',
            $metadata: { httpStatusCode: 403 },
          },
        ),
      ) as Promise<never>;
    const outcome = await runConnectionCheck(
      customConfig,
      options(),
      stages(async () => ({ status: 'skipped', message: 'Skipped.' }), named),
    );
    expect(stepOf(outcome.steps, 'write').message).toBe(
      'Access denied: no IAM policy of these credentials allows s3:PutObject on arn:aws:s3:::bucket/prefix/*.',
    );
  });

  it('tells a wrong secret once: under the first step refused for it, the next says "same cause"', async () => {
    const outcome = await runConnectionCheck(config, options(), [
      {
        steps: [
          { name: 'identity', signed: true, run: () => Promise.reject(signature()) },
          { name: 'bucket', signed: true, run: () => Promise.reject(signature()) },
        ],
        skipAfterFailure: () => 'Skipped: the credentials were not accepted.',
      },
    ]);
    const identity = stepOf(outcome.steps, 'identity');
    expect(identity).toMatchObject({ status: 'failed', code: 'SignatureDoesNotMatch' });
    expect(identity.hint).toBeTruthy();
    expect(stepOf(outcome.steps, 'bucket')).toMatchObject({
      status: 'failed',
      code: 'SignatureDoesNotMatch',
      message: 'Same cause as Identity (STS).',
      hint: null,
    });
    expect(outcome.reason).toBe(identity.message);
  });
});
