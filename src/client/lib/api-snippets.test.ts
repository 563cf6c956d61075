import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Destination } from '#shared/destination-schemas';
import { curlCreateDestination, curlListDestinations, pythonCreateDestination, pythonListDestinations, secretVariables } from './api-snippets.ts';

const ORIGIN = 'https://s3admin.example.com';
// Everything a shell or Python could take for its own: quotes, $, backticks, backslashes, a command substitution.
const NASTY_NAME = 'Invoices "prod" $(touch /tmp/pwned) `id` \\ it\'s $HOME';

function destination(config: Partial<Destination['config']> = {}): Destination {
  return {
    id: '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d',
    name: NASTY_NAME,
    type: 's3',
    config: {
      remote_url: 's3://my-bucket/exports/',
      anonymous: false,
      ambient_credentials: false,
      key: 'ASIAIOSFODNN7EXAMPLE',
      secret: '**********',
      token: '**********',
      endpoint_url: null,
      region: 'eu-west-1',
      token_expires_at: '2026-12-01T18:00:00.000Z',
      has_secret: true,
      has_token: true,
      provider: 'aws',
      token_saved_at: '2026-12-01T06:00:00.000Z',
      role_arn: null,
      external_id: null,
      ...config,
    },
    created_at: '2026-12-01T06:00:00.000Z',
    updated_at: '2026-12-01T06:00:00.000Z',
    version: 1,
    config_version: 1,
    credentials: { method: 'temporary', expires_at: null, saved_at: null, state: 'ok', expired_by_check: false },
    last_check: null,
    check_schedule: 'daily',
    next_check_at: null,
  };
}

const ENV = {
  S3DEST_API_KEY: 's3dk_testkey',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE+/=',
};
const EXPECTED_BODY = {
  name: NASTY_NAME,
  type: 's3',
  config: {
    remote_url: 's3://my-bucket/exports/',
    key: 'ASIAIOSFODNN7EXAMPLE',
    secret: ENV.AWS_SECRET_ACCESS_KEY,
    token: ENV.AWS_SESSION_TOKEN,
    region: 'eu-west-1',
    token_expires_at: '2026-12-01T18:00:00.000Z',
  },
};

/** Runs a curl snippet in bash with `curl` replaced by a function that prints its arguments and the body it would send. */
function runCurl(snippet: string): { args: string[]; body: string } {
  const script = `curl() { printf '%s\\n' "$@" > "$ARGS_FILE"; cat; }\n${snippet}\n`;
  const argsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'snippet-')), 'args');
  const body = execFileSync('bash', ['-c', script], { env: { ...ENV, ARGS_FILE: argsFile, PATH: process.env.PATH }, encoding: 'utf8' });
  return { args: fs.readFileSync(argsFile, 'utf8').trimEnd().split('\n'), body };
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Runs a Python snippet against a stand-in `unstructured_client` that prints what the script asked of it, as JSON. */
function runPython(snippet: string): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-'));
  const pkg = path.join(dir, 'unstructured_client');
  fs.mkdirSync(path.join(pkg, 'models'), { recursive: true });
  fs.writeFileSync(
    path.join(pkg, '__init__.py'),
    `import json
class _Destinations:
    def create_destination(self, request):
        c = request.create_destination_connector
        print(json.dumps({"call": "create", "name": c.name, "type": c.type, "config": c.config}))
        class _R:
            class destination_connector_information:
                id = "new-id"
        return _R()
    def list_destinations(self, request):
        print(json.dumps({"call": "list"}))
        class _R:
            response_list_destinations = []
        return _R()
class UnstructuredClient:
    def __init__(self, api_key_auth, server_url):
        print(json.dumps({"api_key_auth": api_key_auth, "server_url": server_url}))
        self.destinations = _Destinations()
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
`,
  );
  fs.writeFileSync(path.join(pkg, 'models', '__init__.py'), '');
  const record = 'class _Record:\n    def __init__(self, **fields):\n        self.__dict__.update(fields)\n';
  fs.writeFileSync(path.join(pkg, 'models', 'operations.py'), `${record}CreateDestinationRequest = _Record\nListDestinationsRequest = _Record\n`);
  fs.writeFileSync(path.join(pkg, 'models', 'shared.py'), `${record}CreateDestinationConnector = _Record\n`);
  const out = execFileSync('python3', ['-c', snippet], { env: { ...ENV, PYTHONPATH: dir, PATH: process.env.PATH }, encoding: 'utf8' });
  const lines = out.trim().split('\n');
  // The stand-in's records are JSON objects; the script's own output (the new id) is the last line.
  return Object.assign({}, ...lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>), {
    printed: lines.filter((line) => !line.startsWith('{')),
  });
}

describe('curl snippets', () => {
  it('creates the destination as saved, with the secrets read from the environment and every character kept', () => {
    const snippet = curlCreateDestination(ORIGIN, destination());
    expect(snippet).not.toContain(ENV.AWS_SECRET_ACCESS_KEY);
    expect(snippet).not.toContain('**********');
    const { args, body } = runCurl(snippet);
    expect(JSON.parse(body)).toEqual(EXPECTED_BODY);
    expect(args).toEqual([
      '--silent',
      '--show-error',
      '--fail-with-body',
      `${ORIGIN}/api/v1/destinations/`,
      '--header',
      'unstructured-api-key: s3dk_testkey',
      '--header',
      'content-type: application/json',
      '--data',
      '@-',
    ]);
  });

  it('leaves out what is not saved: no secret variable for an anonymous bucket, the Custom URL when there is one', () => {
    const anonymous = destination({
      anonymous: true,
      key: null,
      has_secret: false,
      has_token: false,
      secret: null,
      token: null,
      token_expires_at: null,
      region: null,
      endpoint_url: 'https://minio.internal:9000',
    });
    expect(secretVariables(anonymous)).toEqual(['S3DEST_API_KEY']);
    const { body } = runCurl(curlCreateDestination(ORIGIN, anonymous));
    expect(JSON.parse(body).config).toEqual({ remote_url: 's3://my-bucket/exports/', anonymous: true, endpoint_url: 'https://minio.internal:9000' });
  });

  it('lists destinations with the key from the environment', () => {
    const { args } = runCurl(curlListDestinations(ORIGIN));
    expect(args).toEqual([
      '--silent',
      '--show-error',
      '--fail-with-body',
      `${ORIGIN}/api/v1/destinations/`,
      '--header',
      'unstructured-api-key: s3dk_testkey',
    ]);
  });
});

describe("Unstructured's Python SDK snippets", () => {
  it.skipIf(!hasPython)(
    'create: the SDK gets the key, this server, and the destination with its secrets from the environment (skipped without python3)',
    () => {
      const snippet = pythonCreateDestination(ORIGIN, destination());
      expect(snippet).not.toContain(ENV.AWS_SECRET_ACCESS_KEY);
      expect(runPython(snippet)).toEqual({ api_key_auth: 's3dk_testkey', server_url: ORIGIN, call: 'create', ...EXPECTED_BODY, printed: ['new-id'] });
    },
  );

  it.skipIf(!hasPython)('list: the SDK gets the key and this server (skipped without python3)', () => {
    expect(runPython(pythonListDestinations(ORIGIN))).toEqual({ api_key_auth: 's3dk_testkey', server_url: ORIGIN, call: 'list', printed: [] });
  });

  it('writes booleans as Python’s', () => {
    expect(pythonCreateDestination(ORIGIN, destination({ anonymous: true, key: null, has_secret: false, has_token: false }))).toContain(
      '"anonymous": True,',
    );
  });
});
