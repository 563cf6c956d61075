import * as z from 'zod';
import type { CheckOptions, ConfigIssue, S3ConfigDraft, S3ConfigField } from './s3-config.ts';
import { checkS3Config, normalizeS3Config } from './s3-config.ts';
import { mergeS3ConfigPatch } from './s3-config-patch.ts';
import { withStandIns, type SavedConnector } from './saved-config.ts';
import type { S3ConfigPatch } from './destination-schemas.ts';
import { NameSchema } from './destination-schemas.ts';
import { PROVIDER_IDS, PROVIDERS, providerFor } from './providers.ts';

export { PROVIDERS, type Provider } from './providers.ts';

export const METHODS = {
  access_key: { label: 'Access key', help: 'A long-term AWS Key (AKIA…) and its AWS Secret Key.' },
  temporary: {
    label: 'Temporary STS credentials',
    help: 'An AWS Key (ASIA…), AWS Secret Key and STS Token, as from aws sts assume-role. They expire.',
  },
  anonymous: { label: 'Anonymous', help: 'No credentials. Not recommended: only works with a bucket anyone can write to.' },
  ambient: { label: 'Server credentials (ambient)', help: 'The AWS credentials of the machine running this app (instance role, environment).' },
  iam_role: {
    label: 'IAM role',
    help: 'A role in your AWS account that this server assumes with an external ID, renewing its credentials itself: nothing to paste, nothing expires.',
  },
} as const;
export type Method = keyof typeof METHODS;

const text = z.string();
/** The connector form: the wizard and the edit page share it. All fields are text, as inputs give them. */
export const ConnectorFormFields = z.object({
  name: text,
  provider: z.enum(PROVIDER_IDS),
  remote_url: text,
  endpoint_url: text,
  region: text,
  method: z.enum(Object.keys(METHODS) as [Method, ...Method[]]),
  key: text,
  secret: text,
  token: text,
  token_expires_at: text,
  role_arn: text,
  /** Made by the server (never typed): kept with the form so the trust policy shown is the one saved. */
  external_id: text,
});
export type ConnectorFormValues = z.infer<typeof ConnectorFormFields>;
export type ConnectorFormField = keyof ConnectorFormValues;

export const EMPTY_FORM: ConnectorFormValues = {
  name: '',
  provider: 'aws',
  remote_url: '',
  endpoint_url: '',
  region: '',
  method: 'access_key',
  key: '',
  secret: '',
  token: '',
  token_expires_at: '',
  role_arn: '',
  external_id: '',
};

/** The config a form describes, with only the fields its provider and method use. */
export function formToDraft(values: ConnectorFormValues): S3ConfigDraft {
  const usesKey = values.method === 'access_key' || values.method === 'temporary';
  const temporary = values.method === 'temporary';
  return {
    remote_url: values.remote_url,
    anonymous: values.method === 'anonymous',
    ambient_credentials: values.method === 'ambient',
    key: usesKey ? values.key : null,
    secret: usesKey ? values.secret : null,
    token: temporary ? values.token : null,
    token_expires_at: temporary ? values.token_expires_at : null,
    endpoint_url: values.provider === 'aws' ? null : values.endpoint_url,
    region: values.region,
    provider: values.provider,
    role_arn: values.method === 'iam_role' ? values.role_arn : null,
    external_id: values.method === 'iam_role' ? values.external_id : null,
  };
}

const FIELD_OF: Record<S3ConfigField, ConnectorFormField> = {
  remote_url: 'remote_url',
  anonymous: 'method',
  ambient_credentials: 'method',
  key: 'key',
  secret: 'secret',
  token: 'token',
  endpoint_url: 'endpoint_url',
  region: 'region',
  token_expires_at: 'token_expires_at',
  role_arn: 'role_arn',
  // Never typed: what is wrong with it is said where the role is.
  external_id: 'role_arn',
};
export const formFieldOf = (field: S3ConfigField): ConnectorFormField => FIELD_OF[field];

/** The fields the form shows for these choices of provider and method. */
export function shownFields(values: Pick<ConnectorFormValues, 'provider' | 'method'>): Set<ConnectorFormField> {
  const shown = new Set<ConnectorFormField>(['name', 'provider', 'remote_url', 'region', 'method']);
  if (values.provider !== 'aws') shown.add('endpoint_url');
  if (values.method === 'access_key' || values.method === 'temporary') shown.add('key').add('secret');
  if (values.method === 'temporary') shown.add('token').add('token_expires_at');
  if (values.method === 'iam_role') shown.add('role_arn');
  return shown;
}

export const TEMPORARY_KEY_UNDER_ACCESS_KEY = 'This is a temporary key: choose Temporary credentials and add its STS Token';

/**
 * Where an issue about `field` is shown: on the field itself, or — when these choices hide it — on the field whose
 * choice hides it, so no error can sit on a hidden field and leave Next doing nothing. A temporary key entered under
 * "Access key" (the likeliest mistake after aws sts assume-role) is said on the AWS Key, with what to do.
 */
export function placeIssue(
  field: ConnectorFormField,
  message: string,
  values: Pick<ConnectorFormValues, 'provider' | 'method' | 'key'>,
): { field: ConnectorFormField; message: string } {
  const shown = shownFields(values);
  if (shown.has(field)) return { field, message };
  if ((field === 'token' || field === 'token_expires_at') && values.method === 'access_key' && /^ASIA/i.test(values.key.trim())) {
    return { field: 'key', message: TEMPORARY_KEY_UNDER_ACCESS_KEY };
  }
  return { field: shown.has('key') ? 'key' : 'method', message };
}

export type { SavedConnector };

/** The PUT patch of an edit: only what changed, secrets only when typed again. */
export function formToPatch(values: ConnectorFormValues, saved: SavedConnector): S3ConfigPatch {
  const next = normalizeS3Config(formToDraft(values));
  const patch: S3ConfigPatch = {};
  const before = saved.config;
  if (next.remote_url !== before.remote_url) patch.remote_url = next.remote_url;
  if (next.anonymous !== before.anonymous) patch.anonymous = next.anonymous;
  if (next.ambient_credentials !== before.ambient_credentials) patch.ambient_credentials = next.ambient_credentials;
  if (next.key !== before.key) patch.key = next.key;
  if (next.endpoint_url !== before.endpoint_url) patch.endpoint_url = next.endpoint_url;
  if (next.region !== before.region) patch.region = next.region;
  if (next.token_expires_at !== before.token_expires_at) patch.token_expires_at = next.token_expires_at;
  if (next.role_arn !== before.role_arn) patch.role_arn = next.role_arn;
  // A connector becoming an IAM role takes the external ID the server gave the form; one it has stays its own.
  if (next.role_arn !== null && before.external_id === null && next.external_id !== null) patch.external_id = next.external_id;
  if (before.provider !== undefined && providerFor(next.endpoint_url, values.provider) !== before.provider) patch.provider = values.provider;
  const usesKey = values.method === 'access_key' || values.method === 'temporary';
  if (next.secret !== null) patch.secret = next.secret;
  else if (!usesKey && before.has_secret) patch.secret = null;
  if (next.token !== null) patch.token = next.token;
  else if (values.method !== 'temporary' && before.has_token) patch.token = null;
  return patch;
}

/**
 * The form's schema: the shared field rules of the API (checkS3Config, and for an edit the same patch rules the
 * server applies), each problem on the form field it concerns, plus what the form adds (provider, method).
 */
export function createConnectorFormSchema(options: CheckOptions & { saved?: SavedConnector }) {
  return ConnectorFormFields.superRefine((values, ctx) => {
    const name = NameSchema.safeParse(values.name);
    if (!name.success) ctx.addIssue({ code: 'custom', path: ['name'], message: name.error.issues[0]?.message ?? 'Enter a name' });
    if (values.provider !== 'aws' && values.endpoint_url.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['endpoint_url'], message: `Enter the Custom URL of your ${PROVIDERS[values.provider].label} service` });
    }
    if (values.method === 'temporary' && values.token.trim() === '' && !options.saved?.config.has_token) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'Enter the STS Token that came with these temporary credentials' });
    }
    // A role not typed yet: the rules below would take the config for an access key and ask for one.
    const roleMissing = values.method === 'iam_role' && values.role_arn.trim() === '';
    if (roleMissing)
      ctx.addIssue({
        code: 'custom',
        path: ['role_arn'],
        message: 'Enter the ARN of the role this server assumes, like arn:aws:iam::123456789012:role/s3-writer',
      });
    let issues: ConfigIssue[];
    if (options.saved) {
      const { merged, issues: patchIssues } = mergeS3ConfigPatch(withStandIns(options.saved), formToPatch(values, options.saved));
      issues = [...patchIssues, ...checkS3Config(merged, options).issues];
    } else {
      issues = checkS3Config(normalizeS3Config(formToDraft(values)), options).issues;
    }
    const seen = new Set<string>(roleMissing ? ['role_arn', 'key', 'secret', 'token', 'method'] : []);
    for (const issue of issues) {
      const placed = placeIssue(formFieldOf(issue.field), issue.message, values);
      if (seen.has(placed.field)) continue;
      seen.add(placed.field);
      ctx.addIssue({ code: 'custom', path: [placed.field], message: placed.message });
    }
  });
}
