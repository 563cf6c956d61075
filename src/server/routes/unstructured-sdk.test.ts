import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import { credentialsOf } from '../test-support/checks.ts';
import { contractErrors, type ContractName } from '../test-support/contract.ts';
import { buildTestApp, createApiKey, type TestApp } from '../test-support/test-app.ts';
import calls from '../test-support/unstructured-sdk-calls.json' with { type: 'json' };

/**
 * A script written for Unstructured, run against us: each request exactly as Unstructured's Python SDK sends it
 * (unstructured-sdk-calls.json, read from the SDK's source) — its paths with their trailing slashes, the key in
 * `unstructured-api-key`, `accept` and `content-type` JSON, no cookie, no Origin, no CSRF header, never If-Match —
 * and each answer held to the status the SDK accepts and to Unstructured's published schemas.
 */
type Operation = (typeof calls.operations)[number];
const operation = (sdk: string): Operation => {
  const found = calls.operations.find((op) => op.sdk === sdk);
  if (!found) throw new Error(`no SDK operation ${sdk}`);
  return found;
};

let s3: LocalS3;
let t: TestApp;
beforeAll(async () => {
  s3 = await startLocalS3();
  t = await buildTestApp({ checkTimeoutMs: 5_000, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

/** Sends `sdk`'s request as the SDK would, with `key`, and answers its status and body (checked against the contract). */
async function call(key: string, sdk: string, params: { destination_id?: string; query?: Record<string, string>; body?: object } = {}) {
  const op = operation(sdk);
  const path = op.path.replace('{destination_id}', params.destination_id ?? '');
  const response = await t.app.inject({
    method: op.method as 'GET',
    url: path,
    ...(params.query ? { query: params.query } : {}),
    headers: {
      [calls.auth.header]: key,
      accept: 'application/json',
      ...(params.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(params.body ? { payload: JSON.stringify(params.body) } : {}),
  });
  return { op, status: response.statusCode, body: response.body ? (response.json() as unknown) : null, text: response.body };
}

const conforms = (name: ContractName, value: unknown) => expect(contractErrors(name, value), JSON.stringify(value)).toEqual([]);

describe("Unstructured's Python SDK, with only an API key", () => {
  it('creates, lists, reads, updates, checks and deletes a destination through the paths and statuses the SDK uses', async () => {
    const { key } = await createApiKey(t, { role: 'editor', name: 'unstructured-client' });
    const config = { remote_url: 's3://local-bucket/sdk/', endpoint_url: s3.endpoint, ...credentialsOf(IDENTITIES.writer) };

    const created = await call(key, 'create_destination', { body: { name: 'From the SDK', type: 's3', config } });
    expect(created.status, created.text).toBe(created.op.success);
    conforms('DestinationConnectorInformation', created.body);
    const id = (created.body as { id: string }).id;
    expect(created.text).not.toContain(config.secret);

    const listed = await call(key, 'list_destinations', { query: { destination_type: 's3' } });
    expect(listed.status).toBe(listed.op.success);
    expect(Array.isArray(listed.body)).toBe(true);
    for (const item of listed.body as unknown[]) conforms('DestinationConnectorInformation', item);
    expect((listed.body as { id: string }[]).map((d) => d.id)).toContain(id);
    const otherType = await call(key, 'list_destinations', { query: { destination_type: 'gcs' } });
    expect([otherType.status, otherType.body]).toEqual([200, []]);

    const read = await call(key, 'get_destination', { destination_id: id });
    expect(read.status).toBe(read.op.success);
    conforms('DestinationConnectorInformation', read.body);
    const saved = (read.body as { config: Record<string, unknown> }).config;
    expect(saved.secret).toBe('**********');

    // The SDK's update sends {config} only: a script typically sends back what it read, masked secret included.
    const updated = await call(key, 'update_destination', { destination_id: id, body: { config: { ...saved, region: 'us-east-1' } } });
    expect(updated.status, updated.text).toBe(updated.op.success);
    conforms('DestinationConnectorInformation', updated.body);
    expect((updated.body as { config: { region: string; has_secret: boolean } }).config).toMatchObject({ region: 'us-east-1', has_secret: true });

    const started = await call(key, 'create_connection_check_destinations', { destination_id: id });
    expect(started.status, started.text).toBe(started.op.success);
    conforms('DagNodeConnectionCheck', started.body);
    let latest = await call(key, 'get_connection_check_destinations', { destination_id: id });
    for (let i = 0; i < 400 && (latest.body as { status: string }).status === 'SCHEDULED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      latest = await call(key, 'get_connection_check_destinations', { destination_id: id });
    }
    expect(latest.status).toBe(latest.op.success);
    conforms('DagNodeConnectionCheck', latest.body);
    expect(latest.body).toMatchObject({ status: 'SUCCESS' });
    expect(calls.connection_check_status).toContain((latest.body as { status: string }).status);

    const deleted = await call(key, 'delete_destination', { destination_id: id });
    expect(deleted.status, deleted.text).toBe(deleted.op.success);
    expect(deleted.body).toEqual({ detail: 'Deleted destination "From the SDK"' });
    expect((await call(key, 'get_destination', { destination_id: id })).status).toBe(404);
  });

  it('refuses every write of a viewer key, and answers its reads', async () => {
    const { key: editor } = await createApiKey(t, { role: 'editor' });
    const created = await call(editor, 'create_destination', {
      body: {
        name: 'Read only here',
        type: 's3',
        config: { remote_url: 's3://local-bucket/ro/', endpoint_url: s3.endpoint, ...credentialsOf(IDENTITIES.writer) },
      },
    });
    const id = (created.body as { id: string }).id;
    const { key } = await createApiKey(t, { role: 'viewer' });
    for (const op of calls.operations) {
      const body =
        op.method === 'POST' && op.sdk === 'create_destination'
          ? { name: 'x', type: 's3', config: { remote_url: 's3://b/' } }
          : op.method === 'PUT'
            ? { config: {} }
            : undefined;
      const answer = await call(key, op.sdk, { destination_id: id, ...(body ? { body } : {}) });
      if (op.method === 'GET') expect([200, 404], op.sdk).toContain(answer.status);
      else expect(answer.status, op.sdk).toBe(403);
    }
    expect((await call(editor, 'get_destination', { destination_id: id })).body).toMatchObject({ name: 'Read only here' });
  });
});
