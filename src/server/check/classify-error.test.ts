import { describe, expect, it } from 'vitest';
import { classifyError, MAX_CODE_LENGTH } from './classify-error.ts';

describe('classifyError', () => {
  it.each([
    [{ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, 'AccessDenied'],
    [{ name: 'Forbidden', $metadata: { httpStatusCode: 403 } }, 'AccessDenied'],
    [{ name: 'NotFound', $metadata: { httpStatusCode: 404 } }, 'NoSuchBucket'],
    [{ name: 'SomethingNew', $metadata: { httpStatusCode: 400 } }, 'SomethingNew'],
    [{ name: 'not a code', $metadata: { httpStatusCode: 400 } }, 'Unknown'],
    [{ name: 'Error', code: 'ECONNREFUSED' }, 'ConnectionRefused'],
    [{ name: 'UnknownError', $metadata: { httpStatusCode: 503 } }, 'InternalError'],
  ])('%j → %s', (error, code) => {
    expect(classifyError(error).code).toBe(code);
  });

  it('caps a code an endpoint made up at 64 characters', () => {
    const { code } = classifyError({ name: `Hostile${'A'.repeat(10_000)}`, $metadata: { httpStatusCode: 400 } });
    expect(code).toHaveLength(MAX_CODE_LENGTH);
    expect(code.startsWith('HostileAAA')).toBe(true);
  });
});
