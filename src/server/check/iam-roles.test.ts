import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { CUSTOMER_ACCOUNT, IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import type { IamRoleSettings } from '#shared/api-schemas';
import type { Destination } from '#shared/destination-schemas';
import { trustPolicy } from '#shared/iam-role';
import { stepOf, stepSummary, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, createUser, type TestApp } from '../test-support/test-app.ts';

// The "IAM role" method against the local endpoint's STS: the app assumes a role in the customer's account with its
// own base identity (AWS_ROLE_BASE_*), as AWS judges it (the caller's permission, the role's trust policy, the
// external ID), and renews what it got when it runs out.
const ROLE = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/customer-s3-writer`;
const OPEN_ROLE = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/open-trust`;
const BASE_PRINCIPAL = IDENTITIES.roleBase.arn;
const base = { accessKeyId: IDENTITIES.roleBase.accessKeyId, secretAccessKey: IDENTITIES.roleBase.secretAccessKey };

let s3: LocalS3;
let t: TestApp;
let off: TestApp;
const saved = { ...process.env };
let counter = 0;

beforeAll(async () => {
  s3 = await startLocalS3();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  [t, off] = await Promise.all([
    buildTestApp({ checkTimeoutMs: 5_000, allowIamRoles: true, roleBase: base, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] }),
    buildTestApp(),
  ]);
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([t.close(), off.close()]);
  await s3.close();
});

/** What the server makes: 32 base64url characters, which STS accepts. */
const EXTERNAL_ID_FORM = /^[\w-]{32}$/;
const externalId = async (app = t) => {
  const issued = await app.request({ method: 'POST', url: '/api/v1/iam-role/external-ids' });
  expect(issued.statusCode, issued.body).toBe(201);
  return (issued.json() as { external_id: string }).external_id;
};

const create = (config: Record<string, unknown>, app = t) =>
  app.request({
    method: 'POST',
    url: '/api/v1/destinations',
    body: { name: `role ${++counter}`, type: 's3', config: { remote_url: `s3://local-bucket/role-${counter}/`, ...config } },
  });

async function check(id: string) {
  const started = await t.request({ method: 'POST', url: `/api/v1/destinations/${id}/connection-check` });
  expect(started.statusCode, started.body).toBe(202);
  return waitForCheck(t, started.json().id);
}

const assumeRequests = () => s3.requests.filter((r) => r.operation === 'AssumeRole');

describe('the server names itself for the trust policy', () => {
  it('says who it assumes roles as, and that it may', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/iam-role' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      allowed: true,
      principal_arn: BASE_PRINCIPAL,
      caller_arn: BASE_PRINCIPAL,
      problem: null,
      account_allowlist: null,
    });
  });

  it('says roles are off where the operator did not allow them, and gives out no external ID', async () => {
    expect((await off.request({ method: 'GET', url: '/api/v1/iam-role' })).json()).toMatchObject({ allowed: false, principal_arn: null });
    const refused = await off.request({ method: 'POST', url: '/api/v1/iam-role/external-ids' });
    expect(refused.statusCode).toBe(403);
    const created = await create({ role_arn: ROLE }, off);
    expect(created.statusCode).toBe(422);
    expect(created.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'config', 'role_arn'], type: 'role_disabled' })]);
  });

  it('lets a viewer read the settings, not make external IDs', async () => {
    const viewer = await createUser(t, 'viewer');
    expect((await t.request({ method: 'GET', url: '/api/v1/iam-role', cookie: viewer.cookie })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/v1/iam-role/external-ids', cookie: viewer.cookie })).statusCode).toBe(403);
  });
});

describe('a connector with an IAM role', () => {
  it('keeps the external ID it was given, shows it, and its credentials never expire for the user', async () => {
    const id = await externalId();
    const created = await create({ role_arn: ROLE, external_id: id });
    expect(created.statusCode, created.body).toBe(200);
    const destination = created.json() as Destination;
    expect(destination.config).toMatchObject({ role_arn: ROLE, external_id: id, key: null, has_secret: false });
    expect(destination.credentials).toMatchObject({ method: 'iam_role', state: 'not_applicable', expires_at: null });
  });

  it('gets an external ID made for it when it names none', async () => {
    const created = await create({ role_arn: ROLE });
    expect(created.statusCode, created.body).toBe(200);
    expect((created.json() as Destination).config.external_id).toMatch(EXTERNAL_ID_FORM);
  });

  it.each([
    ['an external ID this server did not make', { external_id: 'chosen-by-the-client' }, 'external_id', 'external_id_not_issued'],
    ['a malformed role ARN', { role_arn: 'customer-s3-writer' }, 'role_arn', 'role_arn_format'],
    ['a role with a Custom URL', { endpoint_url: s3Url() }, 'role_arn', 'role_custom_url'],
    ['a role with a key', { key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey }, 'key', 'key_not_allowed'],
  ])('refuses %s, on the field concerned', async (_name, config, field, type) => {
    const created = await create({ role_arn: ROLE, ...config });
    expect(created.statusCode).toBe(422);
    expect(created.json().detail).toContainEqual(expect.objectContaining({ loc: ['body', 'config', field], type }));
  });

  it("refuses another connector's external ID: one ID reaches one connector's role", async () => {
    const id = await externalId();
    expect((await create({ role_arn: ROLE, external_id: id })).statusCode).toBe(200);
    const again = await create({ role_arn: ROLE, external_id: id });
    expect(again.statusCode).toBe(422);
    expect(again.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'config', 'external_id'], type: 'external_id_in_use' })]);
    const checked = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { type: 's3', config: { remote_url: 's3://local-bucket/x/', role_arn: ROLE, external_id: id } },
    });
    expect(checked.statusCode).toBe(422);
    // Nor as a change to a connector that has none of its own yet.
    const keyed = (await create({ key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey })).json() as Destination;
    const patched = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { destination_id: keyed.id, config: { key: null, secret: null, role_arn: ROLE, external_id: id } },
    });
    expect(patched.statusCode).toBe(422);
    expect(patched.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'config', 'external_id'], type: 'external_id_in_use' })]);
  });

  it('never accepts an external ID again once a connector held it: deleted, or its role cleared', async () => {
    const put = (id: string, version: number, config: Record<string, unknown>) =>
      t.request({ method: 'PUT', url: `/api/v1/destinations/${id}`, headers: { 'if-match': `"${version}"` }, body: { config } });
    const refusedEverywhere = async (id: string) => {
      const created = await create({ role_arn: ROLE, external_id: id });
      expect(created.statusCode).toBe(422);
      expect(created.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'config', 'external_id'], type: 'external_id_in_use' })]);
      const unsaved = await t.request({
        method: 'POST',
        url: '/api/v1/connection-checks',
        body: { type: 's3', config: { remote_url: 's3://local-bucket/x/', role_arn: ROLE, external_id: id } },
      });
      expect(unsaved.statusCode).toBe(422);
      const keyed = (await create({ key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey })).json() as Destination;
      const patched = await t.request({
        method: 'POST',
        url: '/api/v1/connection-checks',
        body: { destination_id: keyed.id, config: { key: null, secret: null, role_arn: ROLE, external_id: id } },
      });
      expect(patched.statusCode).toBe(422);
      const updated = await put(keyed.id, keyed.version, { key: null, secret: null, role_arn: ROLE, external_id: id });
      expect(updated.statusCode).toBe(422);
    };
    // Deleted: its ID stays its own.
    const a = (await create({ role_arn: ROLE, external_id: await externalId() })).json() as Destination;
    expect((await t.request({ method: 'DELETE', url: `/api/v1/destinations/${a.id}`, headers: { 'if-match': `"${a.version}"` } })).statusCode).toBe(
      200,
    );
    await refusedEverywhere(a.config.external_id as string);
    // Its role cleared: the same.
    const b = (await create({ role_arn: ROLE })).json() as Destination;
    const cleared = await put(b.id, b.version, { role_arn: null, key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey });
    expect(cleared.statusCode, cleared.body).toBe(200);
    await refusedEverywhere(b.config.external_id as string);
    const rows = await t.store.db.all<{ external_id: string; destination_id: string; spent_at: string | null; issued_to: string | null }>(
      'SELECT external_id, destination_id, spent_at, issued_to FROM external_ids WHERE external_id IN ($1, $2) ORDER BY issued_at',
      [a.config.external_id, b.config.external_id],
    );
    expect(rows).toEqual([
      { external_id: a.config.external_id, destination_id: a.id, spent_at: expect.any(String), issued_to: 'admin' },
      { external_id: b.config.external_id, destination_id: b.id, spent_at: expect.any(String), issued_to: 'admin' },
    ]);
    // The connector that held it may take it back: it names the same customer's role.
    const again = await put(b.id, b.version + 1, { key: null, secret: null, role_arn: ROLE, external_id: b.config.external_id });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().config.external_id).toBe(b.config.external_id);
  });

  it('keeps its external ID through edits, refuses a new one, and gives one to a connector that becomes a role', async () => {
    const created = (await create({ role_arn: ROLE })).json() as Destination;
    const put = (id: string, version: number, config: Record<string, unknown>) =>
      t.request({ method: 'PUT', url: `/api/v1/destinations/${id}`, headers: { 'if-match': `"${version}"` }, body: { config } });
    const changed = await put(created.id, created.version, { external_id: await externalId() });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'config', 'external_id'] })]);
    // Sent back as read (as Unstructured's SDK sends a whole config back): kept.
    const same = await put(created.id, created.version, { role_arn: ROLE, external_id: created.config.external_id });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json().config.external_id).toBe(created.config.external_id);

    const keyed = (await create({ key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey })).json() as Destination;
    expect(keyed.config.external_id).toBeNull();
    const becameRole = await put(keyed.id, keyed.version, { key: null, secret: null, role_arn: ROLE });
    expect(becameRole.statusCode, becameRole.body).toBe(200);
    expect(becameRole.json()).toMatchObject({
      config: { role_arn: ROLE, external_id: expect.stringMatching(EXTERNAL_ID_FORM) },
      credentials: { method: 'iam_role' },
    });
    const back = await put(keyed.id, keyed.version + 1, {
      role_arn: null,
      key: IDENTITIES.writer.accessKeyId,
      secret: IDENTITIES.writer.secretAccessKey,
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().config).toMatchObject({ role_arn: null, external_id: null });
  });
});

describe('the check of an IAM role', () => {
  it('fails at assume_role until the role trusts this server with the external ID, saying where to look', async () => {
    const destination = (await create({ role_arn: ROLE })).json() as Destination;
    s3.setTrustPolicy(ROLE, null);
    const refused = await check(destination.id);
    expect(refused.status).toBe('FAILURE');
    expect(stepOf(refused, 'assume_role')).toMatchObject({ status: 'failed', code: 'AssumeRoleDenied', iam_action: null });
    expect(stepOf(refused, 'assume_role').hint).toContain(BASE_PRINCIPAL);
    expect(stepOf(refused, 'assume_role').hint).toContain(destination.config.external_id ?? 'none');
    expect(stepSummary(refused).slice(3)).toEqual(['identity:skipped', 'bucket:skipped', 'write:skipped', 'multipart:skipped', 'cleanup:skipped']);

    // The customer pastes the policy the app shows.
    s3.setTrustPolicy(ROLE, trustPolicy(BASE_PRINCIPAL, destination.config.external_id ?? ''));
    try {
      const before = assumeRequests().length;
      const passed = await check(destination.id);
      expect(passed.status, JSON.stringify(passed.steps)).toBe('SUCCESS');
      expect(stepSummary(passed).slice(0, 3)).toEqual(['validate:passed', 'endpoint:skipped', 'assume_role:passed']);
      expect(passed.identity?.arn).toMatch(new RegExp(`^arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/customer-s3-writer/s3-destinations-admin-`));
      expect(passed.identity?.account).toBe(CUSTOMER_ACCOUNT);
      // First without the external ID (refused, as it must be), then with it.
      expect(
        assumeRequests()
          .slice(before)
          .map((r) => r.key),
      ).toEqual([null, `external-id:${destination.config.external_id}`]);
    } finally {
      s3.setTrustPolicy(ROLE, null);
    }
  });

  it('fails when AWS lets the server in without the external ID: the confused deputy', async () => {
    const destination = (await create({ role_arn: OPEN_ROLE })).json() as Destination;
    const result = await check(destination.id);
    expect(result.status).toBe('FAILURE');
    expect(stepOf(result, 'assume_role')).toMatchObject({ status: 'failed', code: 'RoleTrustsWithoutExternalId' });
    expect(result.reason).toContain('without the external ID');
    expect(stepOf(result, 'write').status).toBe('skipped');
  });

  it('renews the credentials itself once they run out: the next check passes without anyone pasting anything', async () => {
    const destination = (await create({ role_arn: ROLE })).json() as Destination;
    s3.setTrustPolicy(ROLE, trustPolicy(BASE_PRINCIPAL, destination.config.external_id ?? ''));
    s3.assumedRoleLifetimeMs = 3_000;
    try {
      const withId = () => assumeRequests().filter((r) => r.key !== null).length;
      const first = await check(destination.id);
      expect(first.status, JSON.stringify(first.steps)).toBe('SUCCESS');
      expect(stepOf(first, 'assume_role').message).toContain('new credentials');
      const assumed = withId();
      // Well within their life: the same credentials serve.
      const second = await check(destination.id);
      expect(second.status).toBe('SUCCESS');
      expect(stepOf(second, 'assume_role').message).toContain('reusing');
      expect(withId()).toBe(assumed);
      // Past their expiry (the endpoint would answer ExpiredToken to them): assumed again, and the check passes.
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      const third = await check(destination.id);
      expect(third.status, JSON.stringify(third.steps)).toBe('SUCCESS');
      expect(stepOf(third, 'assume_role').message).toContain('new credentials');
      expect(withId()).toBe(assumed + 1);
    } finally {
      s3.assumedRoleLifetimeMs = null;
      s3.setTrustPolicy(ROLE, null);
    }
  });

  it('tests an unsaved role config with the external ID the server gave it', async () => {
    const id = await externalId();
    s3.setTrustPolicy(ROLE, trustPolicy(BASE_PRINCIPAL, id));
    try {
      const started = await t.request({
        method: 'POST',
        url: '/api/v1/connection-checks',
        body: { type: 's3', config: { remote_url: 's3://local-bucket/unsaved-role/', role_arn: ROLE, external_id: id } },
      });
      expect(started.statusCode, started.body).toBe(202);
      expect(started.json().steps.map((s: { name: string }) => s.name)).toContain('assume_role');
      const result = await waitForCheck(t, started.json().id);
      expect(result.status, JSON.stringify(result.steps)).toBe('SUCCESS');
    } finally {
      s3.setTrustPolicy(ROLE, null);
    }
  });

  it('a check of any other method has no assume_role step', async () => {
    const destination = (await create({ key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey })).json() as Destination;
    const result = await check(destination.id);
    expect(result.status).toBe('SUCCESS');
    expect(result.steps.map((s) => s.name)).not.toContain('assume_role');
  });
});

describe('a base identity that may not assume roles', () => {
  let denied: TestApp;
  beforeAll(async () => {
    denied = await buildTestApp({
      checkTimeoutMs: 5_000,
      allowIamRoles: true,
      roleBase: { accessKeyId: IDENTITIES.noAssumeBase.accessKeyId, secretAccessKey: IDENTITIES.noAssumeBase.secretAccessKey },
      s3EndpointAllowlist: [`127.0.0.1:${s3.port}`],
    });
  });
  afterAll(() => denied.close());

  it('is refused even by a role that trusts it, and the hint names the missing permission', async () => {
    const created = await create({ role_arn: ROLE }, denied);
    const destination = created.json() as Destination;
    s3.setTrustPolicy(ROLE, trustPolicy(IDENTITIES.noAssumeBase.arn, destination.config.external_id ?? ''));
    try {
      const started = await denied.request({ method: 'POST', url: `/api/v1/destinations/${destination.id}/connection-check` });
      const result = await waitForCheck(denied, started.json().id);
      expect(stepOf(result, 'assume_role')).toMatchObject({ status: 'failed', code: 'AssumeRoleDenied' });
      expect(stepOf(result, 'assume_role').hint).toContain('sts:AssumeRole');
    } finally {
      s3.setTrustPolicy(ROLE, null);
    }
  });
});

describe('no base credentials at all', () => {
  let bare: TestApp;
  beforeAll(async () => {
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ]) {
      delete process.env[name];
    }
    // No packet leaves for the instance metadata service; no shared files are read from the real home.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    bare = await buildTestApp({ checkTimeoutMs: 5_000, allowIamRoles: true, roleBase: null, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] });
  });
  afterAll(() => bare.close());

  it('says so before anyone tries, and the check says it at assume_role', async () => {
    const settings = (await bare.request({ method: 'GET', url: '/api/v1/iam-role' })).json() as IamRoleSettings;
    expect(settings).toMatchObject({ allowed: true, principal_arn: null, problem: expect.stringContaining('AWS_ROLE_BASE_ACCESS_KEY_ID') });
    const destination = (await create({ role_arn: ROLE }, bare)).json() as Destination;
    const started = await bare.request({ method: 'POST', url: `/api/v1/destinations/${destination.id}/connection-check` });
    const result = await waitForCheck(bare, started.json().id);
    expect(stepOf(result, 'assume_role')).toMatchObject({ status: 'failed', code: 'NoBaseCredentials' });
  });
});

function s3Url() {
  return 'https://minio.example.com';
}
