import { SECRET_MASK } from './s3-config.ts';

/**
 * An S3 destination as Unstructured's API or SDK returns it (DestinationConnectorInformation: `{id, name, type,
 * config, created_at, …}`), or as sent to create one (`{name, type, config}`): what the wizard can take from it. Pure:
 * the pasted text never leaves the browser. Secrets come back from Unstructured masked; a mask is not a secret, so
 * they are asked for — real values, when a paste carries them, are taken.
 */
export type ImportedDestination = {
  name: string | null;
  remote_url: string;
  endpoint_url: string | null;
  anonymous: boolean;
  key: string | null;
  secret: string | null;
  token: string | null;
};

export type ImportResult = { ok: true; value: ImportedDestination } | { ok: false; message: string };

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const unmasked = (value: unknown): string | null => {
  const found = text(value);
  return found === null || found === SECRET_MASK || /^\*+$/.test(found) ? null : found;
};

/** An Unstructured destination in `data`, parsed JSON; null when `data` is not shaped like one (so other readers try). */
export function readUnstructuredDestination(data: unknown): ImportResult | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const config = record.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config) || typeof record.type !== 'string') return null;
  if (record.type !== 's3') {
    return {
      ok: false,
      message: `This is an Unstructured destination of type "${record.type.slice(0, 40)}"; only s3 destinations can be imported here.`,
    };
  }
  const fields = config as Record<string, unknown>;
  const remoteUrl = text(fields.remote_url);
  if (remoteUrl === null)
    return { ok: false, message: 'This Unstructured s3 destination has no remote_url (its Bucket URI): copy the whole destination again.' };
  return {
    ok: true,
    value: {
      name: text(record.name),
      remote_url: remoteUrl,
      endpoint_url: text(fields.endpoint_url),
      anonymous: fields.anonymous === true,
      key: text(fields.key),
      secret: unmasked(fields.secret),
      token: unmasked(fields.token),
    },
  };
}

/** The fields an import filled, in the form's words, and what is still to enter. */
export function describeImport(value: ImportedDestination): string {
  const filled = [
    value.name && 'Name',
    'Bucket URI',
    value.endpoint_url && 'Custom URL',
    value.key && 'AWS Key',
    value.secret && 'AWS Secret Key',
    value.token && 'STS Token',
  ].filter(Boolean);
  const last = filled.pop();
  const list = filled.length > 0 ? `${filled.join(', ')} and ${last}` : last;
  const missing =
    value.anonymous || value.key === null ? '' : value.secret === null ? ' Enter the AWS Secret Key: Unstructured does not show saved secrets.' : '';
  return `Filled ${list} from an Unstructured destination.${missing}`;
}
