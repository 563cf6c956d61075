import { describe, expect, it } from 'vitest';
import {
  createConnectorFormSchema,
  EMPTY_FORM,
  METHODS,
  shownFields,
  TEMPORARY_KEY_UNDER_ACCESS_KEY,
  type ConnectorFormValues,
} from './connector-form.ts';
import { changedFieldLabels } from './field-labels.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const KEYS = { 'a long-term key': 'AKIAIOSFODNN7EXAMPLE', 'a temporary key': 'ASIAIOSFODNN7EXAMPLE', 'no key': '' };
const TOKENS = { 'with a token': 'IQoJb3JpZ2luX2VjEXAMPLETOKEN', 'without a token': '' };

const form = (overrides: Partial<ConnectorFormValues>): ConnectorFormValues => ({
  ...EMPTY_FORM,
  name: 'n',
  remote_url: 's3://my-bucket/out/',
  ...overrides,
});

describe('no error is ever on a field the form hides', () => {
  const schema = createConnectorFormSchema({ allowAmbientCredentials: true });
  const cases = Object.keys(METHODS).flatMap((method) =>
    Object.entries(KEYS).flatMap(([keyKind, key]) =>
      Object.entries(TOKENS).map(
        ([tokenKind, token]) =>
          [
            `${method}, ${keyKind}, ${tokenKind}`,
            form({ method: method as ConnectorFormValues['method'], key, secret: key ? SECRET : '', token }),
          ] as const,
      ),
    ),
  );

  it.each(cases)('%s', (_label, values) => {
    const result = schema.safeParse(values);
    const shown = shownFields(values);
    const fields = result.success ? [] : result.error.issues.map((issue) => String(issue.path[0]));
    for (const field of fields) expect(shown.has(field as never), `${field} is hidden`).toBe(true);
  });

  it('says a temporary key under "Access key" on the AWS Key, with what to do', () => {
    const result = schema.safeParse(form({ method: 'access_key', key: KEYS['a temporary key'], secret: SECRET }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([['key', TEMPORARY_KEY_UNDER_ACCESS_KEY]]);
  });

  it('asks for the token on the STS Token field once Temporary credentials is chosen', () => {
    const result = schema.safeParse(form({ method: 'temporary', key: KEYS['a temporary key'], secret: SECRET }));
    expect(new Set(result.error?.issues.map((issue) => issue.path[0]))).toEqual(new Set(['token']));
  });
});

describe('the IAM role method in the form', () => {
  const schema = createConnectorFormSchema({ allowAmbientCredentials: false, allowIamRoles: true });
  const role = 'arn:aws:iam::123456789012:role/s3-writer';

  it('asks for the role on the Role ARN field, never for an AWS Key, while none is typed', () => {
    const result = schema.safeParse(form({ method: 'iam_role', key: KEYS['a long-term key'] }));
    expect(result.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['role_arn', 'Enter the ARN of the role this server assumes, like arn:aws:iam::123456789012:role/s3-writer'],
    ]);
  });

  it('takes a role with the external ID the server made, and says on the Role ARN when the server does not offer roles', () => {
    expect(schema.safeParse(form({ method: 'iam_role', role_arn: role, external_id: 'v1.abc.def..ghi' })).success).toBe(true);
    const off = createConnectorFormSchema({ allowAmbientCredentials: false }).safeParse(form({ method: 'iam_role', role_arn: role }));
    expect(off.error?.issues.map((issue) => issue.path[0])).toEqual(['role_arn']);
  });
});

describe('activity shows the form’s words for what changed', () => {
  it.each([
    ['config.remote_url', ['Bucket URI']],
    ['name, config.key, config.secret', ['Name', 'AWS Key', 'AWS Secret Key']],
    ['config.anonymous, config.ambient_credentials', ['Authentication method']],
    ['config.token, config.token_expires_at, config.endpoint_url, config.region', ['STS Token', 'Token expiry', 'Custom URL', 'Region']],
    ['config.something_new', ['something_new']],
  ])('%s', (detail, labels) => {
    expect(changedFieldLabels(detail)).toEqual(labels);
  });
});
