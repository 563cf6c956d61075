import { expect } from 'vitest';
import type { ConnectionCheck } from '#shared/check-schemas';
import type { TestApp } from './test-app.ts';

/** Polls a check until it has an outcome (the events stream has its own test). */
export async function waitForCheck(t: TestApp, id: string, timeoutMs = 20_000): Promise<ConnectionCheck> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.request({ method: 'GET', url: `/api/v1/connection-checks/${id}` });
    expect(response.statusCode, response.body).toBe(200);
    const check = response.json() as ConnectionCheck;
    if (check.status !== 'SCHEDULED') return check;
    if (Date.now() > deadline) throw new Error(`check ${id} still SCHEDULED after ${timeoutMs} ms: ${response.body}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `name:status[:code]` of every step, for compact assertions. */
export const stepSummary = (check: ConnectionCheck) => check.steps.map((s) => `${s.name}:${s.status}${s.code ? `:${s.code}` : ''}`);

export const stepOf = (check: ConnectionCheck, name: string) => {
  const step = check.steps.find((s) => s.name === name);
  if (!step) throw new Error(`no step ${name}`);
  return step;
};

/** The credentials fields of a local-endpoint identity, as a config carries them. */
export const credentialsOf = (identity: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({
  key: identity.accessKeyId,
  secret: identity.secretAccessKey,
  ...(identity.sessionToken ? { token: identity.sessionToken } : {}),
});

/** `stepSummary` of a check where every step that runs passed: on Amazon S3, or on a Custom URL. */
export function allPassed(on: 'aws' | 'custom', validate = 'validate:passed'): string[] {
  const network = on === 'aws' ? ['endpoint:skipped', 'identity:passed'] : ['endpoint:passed', 'identity:skipped'];
  return [validate, ...network, 'bucket:passed', 'write:passed', 'multipart:passed', 'cleanup:passed'];
}
