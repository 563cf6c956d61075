import { describe, expect, it } from 'vitest';
import { createKeyFormSchema, expiresAtOf, toCreateRequest } from './key-form.ts';

const NOW = Date.parse('2026-12-01T06:00:00Z');
const schema = createKeyFormSchema(() => NOW);
const issuesOf = (values: object) => {
  const result = schema.safeParse(values);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the new key form', () => {
  it('turns a number of days into an expiry that many days from now, and Never into null', () => {
    expect(expiresAtOf('30', '', NOW)).toBe('2026-12-31T06:00:00.000Z');
    expect(expiresAtOf('never', '', NOW)).toBeNull();
  });

  it('ends a chosen day at its last second, where the admin is', () => {
    const at = new Date(expiresAtOf('date', '2027-03-31', NOW) as string);
    expect([at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes()]).toEqual([2027, 2, 31, 23, 59]);
    expect(expiresAtOf('date', '2027-02-30', NOW)).toBeUndefined();
    expect(expiresAtOf('date', '', NOW)).toBeUndefined();
  });

  it('puts each problem on the field it concerns', () => {
    expect(issuesOf({ name: ' ', role: 'viewer', expiry: '90', date: '' })).toEqual(['name: Enter a name, so you can tell this key from the others']);
    expect(issuesOf({ name: 'ci', role: 'viewer', expiry: 'date', date: '' })).toEqual(['date: Choose the last day the key works']);
    expect(issuesOf({ name: 'ci', role: 'viewer', expiry: 'date', date: '2026-11-30' })).toEqual(['date: Choose an expiry in the future']);
    expect(issuesOf({ name: 'ci', role: 'viewer', expiry: 'date', date: '2035-01-01' })[0]).toMatch(
      /^date: Choose an expiry within \d+ days, or Never$/,
    );
    expect(issuesOf({ name: 'ci', role: 'editor', expiry: 'date', date: '2027-01-15' })).toEqual([]);
  });

  it('sends the trimmed name, the role and the expiry', () => {
    expect(toCreateRequest({ name: '  nightly  ', role: 'editor', expiry: 'never', date: '' }, NOW)).toEqual({
      name: 'nightly',
      role: 'editor',
      expires_at: null,
    });
  });
});
