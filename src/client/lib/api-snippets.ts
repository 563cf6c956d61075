import type { Destination } from '#shared/destination-schemas';

/**
 * Requests a script would send, as text to copy: `curl`, and Unstructured's Python SDK (`unstructured-client`), which
 * works against this API unchanged. Secrets are never written in: the API key and the AWS secrets are read from the
 * environment (the AWS CLI's own variable names), so a copied snippet holds nothing that must not be shared.
 */
export const API_KEY_VARIABLE = 'S3DEST_API_KEY';
export const SECRET_VARIABLE = 'AWS_SECRET_ACCESS_KEY';
export const TOKEN_VARIABLE = 'AWS_SESSION_TOKEN';

/** A value inside double quotes in a POSIX shell: `$`, `` ` ``, `\` and `"` escaped. */
const shellQuoted = (text: string) => text.replace(/[$`\\"]/g, '\\$&');
/** Text in an unquoted here-document, where only `$`, `` ` `` and `\` are special (a `\"` would stay as written). */
const hereDocument = (text: string) => text.replace(/[$`\\]/g, '\\$&');
/** A Python string literal (JSON's escapes are Python's for these characters). */
const python = (value: unknown) => JSON.stringify(value);

export function curlListDestinations(origin: string): string {
  return [
    `curl --silent --show-error --fail-with-body "${shellQuoted(origin)}/api/v1/destinations/" \\`,
    `  --header "unstructured-api-key: $${API_KEY_VARIABLE}"`,
  ].join('\n');
}

export function pythonListDestinations(origin: string): string {
  return [
    'import os',
    '',
    'from unstructured_client import UnstructuredClient',
    'from unstructured_client.models.operations import ListDestinationsRequest',
    '',
    `with UnstructuredClient(api_key_auth=os.environ[${python(API_KEY_VARIABLE)}], server_url=${python(origin)}) as client:`,
    '    response = client.destinations.list_destinations(request=ListDestinationsRequest())',
    '    for destination in response.response_list_destinations:',
    '        print(destination.id, destination.name)',
  ].join('\n');
}

/** The config a create would send for `destination`: what is saved, with each secret standing for its variable. */
function createConfig(destination: Destination, secret: (variable: string) => unknown): Record<string, unknown> {
  const { config } = destination;
  const out: Record<string, unknown> = { remote_url: config.remote_url };
  if (config.anonymous) out.anonymous = true;
  if (config.ambient_credentials) out.ambient_credentials = true;
  if (config.key !== null) out.key = config.key;
  if (config.has_secret) out.secret = secret(SECRET_VARIABLE);
  if (config.has_token) out.token = secret(TOKEN_VARIABLE);
  if (config.endpoint_url !== null) out.endpoint_url = config.endpoint_url;
  if (config.region !== null) out.region = config.region;
  if (config.token_expires_at !== null) out.token_expires_at = config.token_expires_at;
  return out;
}

/** What the secrets of a destination read from: the variables to export before running a snippet. */
export function secretVariables(destination: Destination): string[] {
  return [API_KEY_VARIABLE, ...(destination.config.has_secret ? [SECRET_VARIABLE] : []), ...(destination.config.has_token ? [TOKEN_VARIABLE] : [])];
}

/** `curl` creating a destination like this one; the body is a here-document, so the shell fills in the secrets. */
export function curlCreateDestination(origin: string, destination: Destination): string {
  // Each secret is a marker no saved value can contain (it holds a fresh random part), replaced by its variable once
  // the rest of the body was escaped for the here-document.
  const nonce = Math.random().toString(36).slice(2);
  const marker = (variable: string) => `@${nonce}:${variable}@`;
  const body = { name: destination.name, type: 's3', config: createConfig(destination, marker) };
  const parts = JSON.stringify(body, null, 2).split(new RegExp(`@${nonce}:(\\w+)@`));
  const json = parts.map((part, i) => (i % 2 === 1 ? `$${part}` : hereDocument(part))).join('');
  return [
    `curl --silent --show-error --fail-with-body "${shellQuoted(origin)}/api/v1/destinations/" \\`,
    `  --header "unstructured-api-key: $${API_KEY_VARIABLE}" \\`,
    '  --header "content-type: application/json" \\',
    '  --data @- <<EOF',
    json,
    'EOF',
  ].join('\n');
}

export function pythonCreateDestination(origin: string, destination: Destination): string {
  const fromEnvironment = new Map<unknown, string>();
  const config = createConfig(destination, (variable) => {
    const stands = { variable };
    fromEnvironment.set(stands, variable);
    return stands;
  });
  const lines = Object.entries(config).map(([field, value]) => {
    const variable = fromEnvironment.get(value);
    const literal =
      variable !== undefined ? `os.environ[${python(variable)}]` : typeof value === 'boolean' ? (value ? 'True' : 'False') : python(value);
    return `                    ${python(field)}: ${literal},`;
  });
  return [
    'import os',
    '',
    'from unstructured_client import UnstructuredClient',
    'from unstructured_client.models.operations import CreateDestinationRequest',
    'from unstructured_client.models.shared import CreateDestinationConnector',
    '',
    `with UnstructuredClient(api_key_auth=os.environ[${python(API_KEY_VARIABLE)}], server_url=${python(origin)}) as client:`,
    '    response = client.destinations.create_destination(',
    '        request=CreateDestinationRequest(',
    '            create_destination_connector=CreateDestinationConnector(',
    `                name=${python(destination.name)},`,
    '                type="s3",',
    '                config={',
    ...lines,
    '                },',
    '            )',
    '        )',
    '    )',
    '    print(response.destination_connector_information.id)',
  ].join('\n');
}
