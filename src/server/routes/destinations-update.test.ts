import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_KEY, AWS_SECRET, buildTestApp, destinationBody, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const OTHER_KEY = 'AKIAI44QH8DHBEXAMPLE';
const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN';
const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();

async function created(config: Record<string, unknown> = {}) {
  const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody(config) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { id: string; name: string; version: number; config: Record<string, unknown> };
}
const put = (id: string, body: object, ifMatch: string | null = '"1"') =>
  t.request({ method: 'PUT', url: `/api/v1/destinations/${id}`, body, headers: ifMatch === null ? {} : { 'if-match': ifMatch } });
const saved = (id: string) => t.store.destinations.findConfigWithSecrets(id);

describe('PUT: optimistic concurrency', () => {
  it('answers 428 without If-Match and changes nothing', async () => {
    const d = await created();
    const response = await put(d.id, { name: 'never' }, null);
    expect(response.statusCode).toBe(428);
    expect((await t.store.destinations.findById(d.id))?.name).toBe(d.name);
  });

  it('answers 412 for a stale version and changes nothing', async () => {
    const d = await created();
    expect((await put(d.id, { config: { region: 'eu-west-1' } })).statusCode).toBe(200);
    const response = await put(d.id, { config: { region: 'eu-west-2' } }, '"1"');
    expect(response.statusCode).toBe(412);
    expect((await saved(d.id))?.region).toBe('eu-west-1');
  });

  it('treats a weak ETag as not matching (strong comparison)', async () => {
    const d = await created();
    expect((await put(d.id, { name: `${d.name}-w` }, 'W/"1"')).statusCode).toBe(412);
  });

  it('bumps the version, the ETag and updated_at on success', async () => {
    const d = (await created()) as { id: string; name: string; updated_at?: string };
    const response = await put(d.id, { name: `${d.name} v2` });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json()).toMatchObject({ version: 2, name: `${d.name} v2` });
    expect(Date.parse(response.json().updated_at)).toBeGreaterThanOrEqual(Date.parse(response.json().created_at));
    expect((await put(d.id, { name: `${d.name} v3` }, '"2"')).json().version).toBe(3);
  });

  it('answers 404 for an unknown destination', async () => {
    expect((await put('6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d', { name: 'x' })).statusCode).toBe(404);
  });

  it('answers 409 when renaming onto another destination’s name, and keeps the old name', async () => {
    const a = await created();
    const b = await created();
    const response = await put(b.id, { name: a.name.toUpperCase() });
    expect(response.statusCode).toBe(409);
    expect((await t.store.destinations.findById(b.id))?.name).toBe(b.name);
  });
});

describe('PUT: patch semantics', () => {
  it('renames without a config, keeping every stored value, the secret included', async () => {
    const d = await created({ region: 'us-west-2' });
    const response = await put(d.id, { name: `${d.name} renamed` });
    expect(response.statusCode).toBe(200);
    expect(response.json().config).toEqual(d.config);
    expect(await saved(d.id)).toMatchObject({ key: AWS_KEY, secret: AWS_SECRET, region: 'us-west-2' });
  });

  it('keeps an omitted field, replaces a given one and clears a null one', async () => {
    const d = await created({ region: 'us-west-2', endpoint_url: 'https://minio.example.com', key: 'minio', secret: 'minio-secret' });
    const response = await put(d.id, { config: { region: null, remote_url: 's3://other-bucket/in' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().config).toMatchObject({
      region: null,
      remote_url: 's3://other-bucket/in/',
      endpoint_url: 'https://minio.example.com',
      key: 'minio',
      has_secret: true,
    });
  });

  it('refuses to clear the Bucket URI', async () => {
    const d = await created();
    const response = await put(d.id, { config: { remote_url: null } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0].loc).toEqual(['body', 'config', 'remote_url']);
  });

  it('applies the field rules to the merged config, on the field concerned', async () => {
    const d = await created();
    const response = await put(d.id, { config: { remote_url: 's3://Bad_Bucket/' } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([
      { loc: ['body', 'config', 'remote_url'], msg: "Bucket names can't contain uppercase letters", type: 'bucket_uppercase' },
    ]);
    expect((await saved(d.id))?.remote_url).toBe('s3://my-bucket/exports/');
  });

  it('clears the expiry when a new token comes without one', async () => {
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN, token_expires_at: inHours(2) });
    const response = await put(d.id, { config: { token: `${TOKEN}NEW` } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().config.token_expires_at).toBeNull();
    expect(response.json().credentials.state).toBe('unknown');
    expect((await saved(d.id))?.token).toBe(`${TOKEN}NEW`);
  });

  it('keeps the expiry when the token is not touched', async () => {
    const expires = inHours(30);
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN, token_expires_at: expires });
    const response = await put(d.id, { config: { region: 'eu-west-1' } });
    expect(response.json().config.token_expires_at).toBe(expires);
    expect(response.json().credentials.state).toBe('ok');
  });

  it('sets a new token and its expiry together, starting a new lifetime', async () => {
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN });
    const expires = inHours(5);
    const before = Date.now();
    const response = await put(d.id, { config: { token: `${TOKEN}2`, token_expires_at: expires } });
    expect(response.json().config.token_expires_at).toBe(expires);
    expect(Date.parse(response.json().config.token_saved_at)).toBeGreaterThanOrEqual(before);
    // Five hours from now, saved now: the warning starts in the last 75 minutes.
    expect(response.json().credentials.state).toBe('ok');
  });

  it('keeps the start of the lifetime when only the expiry is edited, and clears it with the token', async () => {
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN, token_expires_at: inHours(5) });
    const savedAt = d.config.token_saved_at;
    expect(savedAt).not.toBeNull();
    const edited = await put(d.id, { config: { token_expires_at: inHours(4) } });
    expect(edited.json().config.token_saved_at).toBe(savedAt);
    const cleared = await put(
      d.id,
      { config: { key: OTHER_KEY, secret: OTHER_SECRET, token: null, token_expires_at: null } },
      edited.headers.etag as string,
    );
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().config.token_saved_at).toBeNull();
    expect(cleared.json().credentials.saved_at).toBeNull();
  });

  it('clearing the token turns temporary credentials into an access key and drops the expiry', async () => {
    const d = await created({ token: TOKEN, token_expires_at: inHours(5) });
    const response = await put(d.id, { config: { token: null } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().config).toMatchObject({ has_token: false, token_expires_at: null });
    expect(response.json().credentials.method).toBe('access_key');
  });

  it('refuses a new AWS Key without the secret, and keeps the saved key', async () => {
    const d = await created();
    const response = await put(d.id, { config: { key: OTHER_KEY } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([
      { loc: ['body', 'config', 'secret'], msg: expect.stringContaining('You changed the AWS Key'), type: 'secret_required' },
    ]);
    expect((await saved(d.id))?.key).toBe(AWS_KEY);
  });

  it('accepts a new AWS Key sent with its secret', async () => {
    const d = await created();
    const response = await put(d.id, { config: { key: OTHER_KEY, secret: OTHER_SECRET } });
    expect(response.statusCode).toBe(200);
    expect(await saved(d.id)).toMatchObject({ key: OTHER_KEY, secret: OTHER_SECRET });
  });

  it('refuses a new key that would reuse a stored token it was not entered with', async () => {
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN });
    const response = await put(d.id, { config: { key: 'ASIAI44QH8DHBEXAMPLE', secret: OTHER_SECRET } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail.map((e: { loc: string[] }) => e.loc.at(-1))).toEqual(['token']);
  });

  it('refuses a new Custom URL without the secret and token, so saved credentials never travel to it', async () => {
    const d = await created({ endpoint_url: 'https://minio.example.com', key: 'minio', secret: 'minio-secret', token: 'tok' });
    const response = await put(d.id, { config: { endpoint_url: 'https://attacker.example.net' } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail.map((e: { loc: string[]; type: string }) => [e.loc.at(-1), e.type])).toEqual([
      ['secret', 'secret_required'],
      ['token', 'token_required'],
    ]);
    expect((await saved(d.id))?.endpoint_url).toBe('https://minio.example.com');
  });

  it('refuses moving a Custom URL config back to AWS without the secret', async () => {
    const d = await created({ endpoint_url: 'https://minio.example.com' });
    const response = await put(d.id, { config: { endpoint_url: null } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0]).toMatchObject({ loc: ['body', 'config', 'secret'], type: 'secret_required' });
  });

  it('accepts a new Custom URL with the secret re-entered', async () => {
    const d = await created({ endpoint_url: 'https://minio.example.com', key: 'minio', secret: 'minio-secret' });
    const response = await put(d.id, { config: { endpoint_url: 'https://minio2.example.com', secret: 'minio-secret' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().config.endpoint_url).toBe('https://minio2.example.com');
  });

  it('switches to anonymous when the credentials are cleared with it', async () => {
    const d = await created();
    const response = await put(d.id, { config: { anonymous: true, key: null, secret: null } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().config).toMatchObject({ anonymous: true, key: null, has_secret: false });
    expect(response.json().warnings.map((w: { code: string }) => w.code)).toEqual(['anonymous_not_recommended']);
  });

  it('refuses anonymous while a key is still stored', async () => {
    const d = await created();
    const response = await put(d.id, { config: { anonymous: true } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail.map((e: { loc: string[] }) => e.loc.at(-1))).toEqual(['key', 'secret']);
  });

  it('resets expired_by_check when the credentials change, and only then', async () => {
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN });
    await t.store.db.run('UPDATE destinations SET expired_by_check = 1 WHERE id = $1', [d.id]);
    const renamed = await put(d.id, { name: `${d.name} r` });
    expect(renamed.json().credentials).toMatchObject({ state: 'expired', expired_by_check: true });
    const replaced = await put(d.id, { config: { token: `${TOKEN}NEW` } }, '"2"');
    expect(replaced.json().credentials).toMatchObject({ state: 'unknown', expired_by_check: false });
  });
});

describe('activity log', () => {
  it('records creation, changes (field names only, never values) and deletion, newest first', async () => {
    const d = await created();
    const admin = await t.store.users.findByEmail('admin');
    const byAdmin = { actor: 'admin', actor_kind: 'user', actor_id: admin?.id };
    expect((await put(d.id, { name: `${d.name} renamed`, config: { secret: OTHER_SECRET, region: 'eu-west-1' } })).statusCode).toBe(200);
    const response = await t.request({ method: 'GET', url: `/api/v1/destinations/${d.id}/activity` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { kind: 'destination.updated', outcome: 'ok', detail: 'name, config.secret, config.region', at: expect.stringMatching(/Z$/), ...byAdmin },
      { kind: 'destination.created', outcome: 'ok', detail: null, at: expect.stringMatching(/Z$/), ...byAdmin },
    ]);
    expect(response.body).not.toContain(OTHER_SECRET);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/destinations/${d.id}`, headers: { 'if-match': '"2"' } })).statusCode).toBe(200);
    expect(await t.store.activity.forDestination(d.id)).toContainEqual(
      expect.objectContaining({ kind: 'destination.deleted', detail: `${d.name} renamed` }),
    );
  });

  it('records sign-ins and failed sign-ins', async () => {
    await t.request({ method: 'POST', url: '/api/session', body: { email: 'admin', password: 'not it' }, cookie: null });
    const kinds = (await t.store.db.all<{ kind: string }>('SELECT kind FROM activity_log WHERE destination_id IS NULL')).map((row) => row.kind);
    expect(kinds).toEqual(expect.arrayContaining(['session.signed_in', 'session.sign_in_failed']));
  });
});

describe('config_version: what a check tested', () => {
  it('moves when what S3 is asked with changes, not on a rename or an edited expiry note', async () => {
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN, token_expires_at: inHours(5) });
    expect(d).toMatchObject({ version: 1, config_version: 1 });
    const renamed = await put(d.id, { name: `${d.name}-renamed` });
    expect(renamed.json()).toMatchObject({ version: 2, config_version: 1 });
    const noted = await put(d.id, { config: { token_expires_at: inHours(4) } }, renamed.headers.etag as string);
    expect(noted.json()).toMatchObject({ version: 3, config_version: 1 });
    const moved = await put(d.id, { config: { region: 'eu-west-1' } }, noted.headers.etag as string);
    expect(moved.json()).toMatchObject({ version: 4, config_version: 2 });
  });

  it('is recorded by a check, so a result from before a change can be told apart', async () => {
    const d = await created();
    const check = await t.request({ method: 'POST', url: `/api/v1/destinations/${d.id}/connection-check` });
    expect(check.statusCode).toBe(202);
    expect(check.json().config_version).toBe(1);
    await put(d.id, { config: { remote_url: 's3://my-bucket/elsewhere/' } });
    const after = (await t.request({ method: 'GET', url: `/api/v1/destinations/${d.id}` })).json();
    expect(after.config_version).toBe(2);
    expect(after.last_check).toMatchObject({ id: check.json().id, config_version: 1 });
  });
});

describe('provider: what the wizard chose', () => {
  it.each([
    ['kept with a Custom URL', { endpoint_url: 'https://minio.example.com:9000', provider: 'minio' }, 'minio'],
    ['other with a Custom URL and none given (Unstructured clients)', { endpoint_url: 'https://minio.example.com:9000' }, 'other'],
    ['aws without a Custom URL, whatever was sent', { provider: 'r2' }, 'aws'],
    ['other when aws is sent with a Custom URL', { endpoint_url: 'https://minio.example.com:9000', provider: 'aws' }, 'other'],
  ])('is %s', async (_label, config, provider) => {
    expect((await created(config)).config.provider).toBe(provider);
  });

  it('is kept by edits that do not name it, changed by one that does, and follows the Custom URL away', async () => {
    const d = await created({ endpoint_url: 'https://acct.r2.cloudflarestorage.com', provider: 'r2', region: 'auto' });
    const kept = await put(d.id, { config: { region: 'auto' }, name: `${d.name}-2` });
    expect(kept.json().config.provider).toBe('r2');
    const changed = await put(d.id, { config: { provider: 'b2' } }, kept.headers.etag as string);
    expect(changed.json().config.provider).toBe('b2');
    const toAws = await put(d.id, { config: { endpoint_url: null, region: null, secret: AWS_SECRET } }, changed.headers.etag as string);
    expect(toAws.statusCode, toAws.body).toBe(200);
    expect(toAws.json().config.provider).toBe('aws');
  });

  it('refuses a provider it does not know, on that field', async () => {
    const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody({ provider: 'azure-blob' }) });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0].loc).toEqual(['body', 'config', 'provider']);
  });
});

describe('the mask: saved secrets shown as Unstructured shows them', () => {
  const MASK = '**********';

  it('shows a saved secret and token as the mask, and none as null', async () => {
    const temporary = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN });
    expect(temporary.config).toMatchObject({ secret: MASK, token: MASK, has_secret: true, has_token: true });
    const anonymous = await created({ key: undefined, secret: undefined, anonymous: true });
    expect(anonymous.config).toMatchObject({ secret: null, token: null });
  });

  it('keeps the saved secret and token when the mask comes back, and records no change to them', async () => {
    const d = await created({ key: 'ASIAIOSFODNN7EXAMPLE', token: TOKEN });
    const response = await put(d.id, { config: { ...d.config, region: 'eu-west-1' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(await saved(d.id)).toMatchObject({ secret: AWS_SECRET, token: TOKEN, region: 'eu-west-1' });
    const activity = (await t.request({ method: 'GET', url: `/api/v1/destinations/${d.id}/activity` })).json() as { detail: string | null }[];
    expect(activity[0]?.detail).not.toMatch(/secret|token/);
  });

  it('refuses the mask with a new Custom URL or key: saved credentials never go where they were not entered for', async () => {
    const d = await created({ endpoint_url: 'https://minio.example.com:9000', key: 'minio', secret: 'minio-secret' });
    const response = await put(d.id, { config: { endpoint_url: 'https://elsewhere.example.com', secret: MASK } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0]).toMatchObject({
      loc: ['body', 'config', 'secret'],
      msg: expect.stringContaining('You changed the Custom URL'),
    });
    expect((await saved(d.id))?.endpoint_url).toBe('https://minio.example.com:9000');
  });

  it.each([
    ['on Amazon S3', {}],
    ['on a Custom URL, where any printable secret is allowed', { endpoint_url: 'https://minio.example.com:9000', key: 'minio' }],
  ])('refuses the mask as the secret of a new destination %s, on that field', async (_label, config) => {
    const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody({ ...config, secret: MASK }) });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([
      expect.objectContaining({ loc: ['body', 'config', 'secret'], msg: expect.stringContaining('stands for a saved AWS Secret Key') }),
    ]);
  });

  it('refuses the mask in a check of an unsaved config', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { type: 's3', config: { remote_url: 's3://b-1/', key: 'ASIAIOSFODNN7EXAMPLE', secret: AWS_SECRET, token: MASK } },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0]).toMatchObject({ loc: ['body', 'config', 'token'] });
  });
});
