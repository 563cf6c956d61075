import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { sendAssumedRole, sendCallerIdentity, sendIamDone, sendS3Error, sendStsError } from './aws-errors.ts';
import { DIALECTS, type Dialect, type DialectName, type ErrorAnswer } from './dialects.ts';
import { BARE_403_BUCKETS, BUCKET_POLICIES, BUCKETS, findIdentity, ROLES, VERSIONED_BUCKETS, type Identity, type S3Action } from './identities.ts';
import { evaluate, type PolicyDocument } from './policy.ts';
import { computeSignature, decodeAwsChunked, describeSigning, parseAmzDate, parseAuthorization, parseRawQuery, spacedHex } from './sigv4.ts';

export type ObjectVersion = { key: string; versionId: string; deleteMarker: boolean };

export type RecordedRequest = { operation: string; accessKeyId: string; bucket: string | null; key: string | null };

export type LocalS3 = {
  /** `http://127.0.0.1:<port>`: the S3 and STS endpoint. */
  endpoint: string;
  port: number;
  /** Every authenticated request that reached an operation, in order. */
  requests: RecordedRequest[];
  /** Milliseconds added before answering each request (for benchmarks); may be changed while running. */
  latencyMs: number;
  /** How far this endpoint's clock is from the machine's (tests of a server whose clock is off); may be changed. */
  clockOffsetMs: number;
  /**
   * Awaited before each allowed operation is served, once it is recorded (tests that need a check caught between two
   * requests, such as a cancel after the probe was written); may be changed while running.
   */
  beforeServing: ((request: RecordedRequest) => Promise<void>) | null;
  /**
   * Whose answers it gives: AWS's (the default), or another service's (dialects.ts: Ceph's RADOS Gateway with its STS
   * engine on, MinIO, Cloudflare R2, Backblaze B2), each as that service documents them. May be changed while running.
   */
  dialect: DialectName;
  /** Access keys whose user is disabled (answered as the dialect does: UserSuspended on Ceph, say). */
  suspended: Set<string>;
  /** Buckets whose quota is full: writes are answered as the dialect does (QuotaExceeded on Ceph). */
  quotaFull: Set<string>;
  /** Its storage is full: every write is answered so (MinIO's XMinioStorageFull). */
  storageFull: boolean;
  /** While set, every request is answered as the dialect's rate limit, with this Retry-After (seconds). */
  throttleSeconds: number | null;
  /** Replaces an identity's IAM policy until `null` restores its own (tests of the app's generated policy). */
  setPolicy(accessKeyId: string, policy: PolicyDocument | null): void;
  /** Puts a trust policy on a role (as a customer pastes the one the app shows), or `null` for the role's own. */
  setTrustPolicy(roleArn: string, trust: PolicyDocument | null): void;
  /**
   * How long credentials from AssumeRole live, whatever DurationSeconds asked (tests of the app's refresh: AWS's
   * shortest is 15 minutes); null: as asked. May be changed while running.
   */
  assumedRoleLifetimeMs: number | null;
  listKeys(bucket: string, prefix?: string): Promise<string[]>;
  /** Every version and delete marker a versioned bucket holds under `prefix` (what ListObjectVersions would show). */
  versions(bucket: string, prefix?: string): ObjectVersion[];
  close(): Promise<void>;
};

const SKEW_MS = 15 * 60 * 1000;
const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The S3 operation and the IAM action it needs, from a path-style request. */
function operationOf(method: string, key: string | null, query: Record<string, unknown>): [string, S3Action | null] {
  if (key === null) {
    if (method === 'GET' && 'location' in query) return ['GetBucketLocation', 's3:ListBucket'];
    if (method === 'GET') return [query['list-type'] === '2' ? 'ListObjectsV2' : 'ListObjects', 's3:ListBucket'];
    if (method === 'HEAD') return ['HeadBucket', 's3:ListBucket'];
    return [`${method}Bucket`, null];
  }
  if (method === 'POST' && 'uploads' in query) return ['CreateMultipartUpload', 's3:PutObject'];
  if (method === 'PUT' && 'uploadId' in query) return ['UploadPart', 's3:PutObject'];
  if (method === 'POST' && 'uploadId' in query) return ['CompleteMultipartUpload', 's3:PutObject'];
  if (method === 'DELETE' && 'uploadId' in query) return ['AbortMultipartUpload', 's3:AbortMultipartUpload'];
  if (method === 'DELETE' && 'versionId' in query) return ['DeleteObjectVersion', 's3:DeleteObjectVersion'];
  if (method === 'PUT') return ['PutObject', 's3:PutObject'];
  if (method === 'DELETE') return ['DeleteObject', 's3:DeleteObject'];
  if (method === 'GET' || method === 'HEAD') return [method === 'GET' ? 'GetObject' : 'HeadObject', 's3:GetObject'];
  return [`${method}Object`, null];
}

const accountOf = (arn: string) => /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? '';

/** The principal a policy names for a caller: a role session is its role (arn:…:iam::…:role/name). */
const principalOf = (arn: string) => arn.replace(/^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.*$/, 'arn:$1:iam::$2:role/$3');

function truncateList(xml: string, maxKeys: number): string {
  const contents = xml.match(/<Contents>[\s\S]*?<\/Contents>/g) ?? [];
  const kept = contents.slice(0, maxKeys);
  const truncated = contents.length > maxKeys;
  const body = xml.replace(/<Contents>[\s\S]*<\/Contents>/, kept.join(''));
  return body
    .replace(/<KeyCount>\d+<\/KeyCount>/, `<KeyCount>${kept.length}</KeyCount>`)
    .replace(/<MaxKeys>\d+<\/MaxKeys>/, `<MaxKeys>${maxKeys}</MaxKeys>`)
    .replace(/<IsTruncated>\w+<\/IsTruncated>/, `<IsTruncated>${truncated}</IsTruncated>`);
}

/**
 * s3rver's store removes a folder once a delete empties it, so a delete running beside a write into that folder (or
 * another delete emptying it) fails with a 500 that S3 never sends: S3 has no folders, and runs deletes and writes to
 * one bucket at once. Its store keeps emptied folders instead (listings read object files only, and the whole
 * directory goes when the endpoint closes), so requests reach it at once, as they reach S3.
 */
function keepEmptiedFolders(s3rver: S3rver) {
  // The store is not in s3rver's types; its deleteObject unlinks the object's three files, then removes folders.
  const store = (s3rver as unknown as { store: { getResourcePath(bucket: string, key: string, kind: string): string; deleteObject: unknown } }).store;
  store.deleteObject = async (bucket: string, key: string) => {
    const files = ['object', 'object.md5', 'metadata.json'].map((kind) => store.getResourcePath(bucket, key, kind));
    await Promise.all(
      files.map((file) =>
        fs.promises.unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}

/**
 * s3rver behind a gateway that does what s3rver does not: verify SigV4 against the identity table, enforce tokens,
 * expiry, permissions and bucket regions, answer sts:GetCallerIdentity, and reply with AWS's exact error XML.
 */
export async function startLocalS3(
  options: { latencyMs?: number; port?: number; assumedRoleLifetimeMs?: number; dialect?: DialectName } = {},
): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-s3-'));
  const s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: Object.keys(BUCKETS).map((name) => ({ name, configs: [] })),
  });
  keepEmptiedFolders(s3rver);
  const backend = (await s3rver.run()) as AddressInfo;
  const requests: RecordedRequest[] = [];
  const policies = new Map<string, PolicyDocument>();
  const trusts = new Map<string, PolicyDocument>();
  // Credentials handed out by AssumeRole, by access key ID: known to S3 and STS until they expire.
  const assumed = new Map<string, Identity>();
  // Versioned buckets: bucket → key → versions, oldest first.
  const versionStore = new Map<string, Map<string, ObjectVersion[]>>();
  const versionsOf = (bucket: string, key: string) => {
    const keys = versionStore.get(bucket) ?? new Map<string, ObjectVersion[]>();
    versionStore.set(bucket, keys);
    const list = keys.get(key) ?? [];
    keys.set(key, list);
    return list;
  };
  const newVersionId = () => randomBytes(24).toString('base64url');

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    url: string,
    body: Buffer,
    rewrite?: (xml: string) => string,
    extraHeaders: Record<string, string> = {},
  ): Promise<void> =>
    new Promise<void>((done) => {
      const headers: http.OutgoingHttpHeaders = {};
      const drop = new Set([
        'authorization',
        'x-amz-security-token',
        'host',
        'content-length',
        'transfer-encoding',
        'expect',
        'content-encoding',
        'x-amz-decoded-content-length',
        'x-amz-trailer',
      ]);
      for (const [name, value] of Object.entries(req.headers)) if (!drop.has(name) && value !== undefined) headers[name] = value;
      const encoding = req.headers['content-encoding']
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== 'aws-chunked');
      if (encoding?.length) headers['content-encoding'] = encoding.join(',');
      headers['content-length'] = body.length;
      const upstream = http.request({ host: '127.0.0.1', port: backend.port, method: req.method, path: url, headers }, (answer) => {
        if (!rewrite || answer.statusCode !== 200) {
          const ok = (answer.statusCode ?? 500) < 300;
          res.writeHead(answer.statusCode ?? 502, ok ? { ...answer.headers, ...extraHeaders } : answer.headers);
          answer.pipe(res);
          answer.on('end', done);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const xml = Buffer.from(rewrite(Buffer.concat(chunks).toString('utf8')));
          res.writeHead(200, { ...answer.headers, 'content-length': xml.length });
          res.end(xml);
          done();
        });
      });
      upstream.on('error', () => {
        sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
        done();
      });
      upstream.end(body);
    });

  const deleteFromBackend = (rawPath: string) =>
    new Promise<void>((done) =>
      http
        .request({ host: '127.0.0.1', port: backend.port, method: 'DELETE', path: rawPath }, (answer) => answer.resume().on('end', done))
        .on('error', () => done())
        .end(),
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (gateway.latencyMs > 0) await new Promise((r) => setTimeout(r, gateway.latencyMs));
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const method = req.method ?? 'GET';
    let body = await readBody(req);
    const isSts = method === 'POST' && rawPath === '/' && /(^|&)Action=/.test(body.toString('latin1'));
    const fail = (status: number, code: string, message: string, extra?: Record<string, string>, headers?: Record<string, string>) =>
      isSts ? sendStsError(res, status, code, message) : sendS3Error(res, status, code, message, extra, headers);

    const auth = parseAuthorization(req.headers.authorization);
    const dialect: Dialect = DIALECTS[gateway.dialect];
    if (dialect.server) res.setHeader('server', dialect.server);
    /** The dialect's answer, as an S3 error body (the other services answer STS requests in S3's shape too). */
    const answer = ([status, code, message]: ErrorAnswer, headers?: Record<string, string>) => sendS3Error(res, status, code, message, {}, headers);
    if (gateway.throttleSeconds !== null && dialect.throttled) return answer(dialect.throttled, { 'retry-after': String(gateway.throttleSeconds) });
    if (!auth) {
      // Unsigned: STS refuses; S3 judges the request as anonymous, by the bucket policy alone.
      return isSts ? fail(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token') : serveS3(null, null);
    }
    if (isSts && dialect.sts) return answer(dialect.sts);
    const known: Identity | undefined = findIdentity(auth.accessKeyId) ?? assumed.get(auth.accessKeyId);
    // A service with keys of one length refuses any other before it looks the key up (R2).
    const identity = dialect.keyLength && auth.accessKeyId.length !== dialect.keyLength ? undefined : known;
    if (!identity && dialect.unknownKey) return answer(dialect.unknownKey(auth.accessKeyId.length));
    if (!identity) {
      return isSts
        ? fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
        : fail(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
            AWSAccessKeyId: auth.accessKeyId,
          });
    }
    const amzDate = req.headers['x-amz-date'];
    const signingDate = parseAmzDate(Array.isArray(amzDate) ? amzDate[0] : amzDate);
    if (!signingDate || auth.day !== String(amzDate).slice(0, 8)) {
      return fail(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; the date does not match the scope.');
    }
    const serverTime = new Date(Date.now() + gateway.clockOffsetMs);
    if (Math.abs(serverTime.getTime() - signingDate.getTime()) > SKEW_MS) {
      // S3 says when it received the request by its own clock, and how much skew it allows.
      return fail(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        { RequestTime: String(amzDate), ServerTime: serverTime.toISOString().replace(/\.\d{3}Z$/, 'Z'), MaxAllowedSkewMilliseconds: String(SKEW_MS) },
        { date: serverTime.toUTCString() },
      );
    }
    const expected = await computeSignature({
      method,
      rawPath,
      rawQuery,
      headers: req.headers,
      body,
      auth,
      secretAccessKey: identity.secretAccessKey,
      signingDate,
    });
    if (expected !== auth.signature && dialect.badSignature) return answer(dialect.badSignature);
    if (expected !== auth.signature) {
      // S3 quotes what it computed so the client can compare, in this order (the fields are not in S3's
      // ErrorResponses page; they are what S3 sends); the canonical request holds every signed header, the session
      // token included, as text and as bytes.
      const { canonicalRequest, stringToSign } = describeSigning({ method, rawPath, rawQuery, headers: req.headers, auth, amzDate: String(amzDate) });
      return fail(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        {
          AWSAccessKeyId: auth.accessKeyId,
          StringToSign: stringToSign,
          SignatureProvided: auth.signature,
          StringToSignBytes: spacedHex(stringToSign),
          CanonicalRequest: canonicalRequest,
          CanonicalRequestBytes: spacedHex(canonicalRequest),
        },
      );
    }
    const token = req.headers['x-amz-security-token'];
    if (identity.sessionToken && token === undefined && !isSts) {
      // A temporary key without its session token is unknown to S3 as a key.
      return fail(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
        AWSAccessKeyId: auth.accessKeyId,
      });
    }
    if ((identity.sessionToken ?? undefined) !== token) {
      return isSts
        ? fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
        : fail(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    }
    if (identity.expiresAt && identity.expiresAt.getTime() <= Date.now()) {
      return isSts
        ? fail(403, 'ExpiredToken', 'The security token included in the request is expired')
        : // S3 names the expired token back, as <Token-0>.
          fail(400, 'ExpiredToken', 'The provided token has expired.', { 'Token-0': String(token) });
    }
    const payloadHash = req.headers['x-amz-content-sha256'];
    if (typeof payloadHash === 'string' && /^[0-9a-f]{64}$/.test(payloadHash)) {
      if (createHash('sha256').update(body).digest('hex') !== payloadHash) {
        return fail(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
    }
    if (dialect.suspended && gateway.suspended.has(identity.accessKeyId)) return answer(dialect.suspended);
    if (isSts) {
      const params = new URLSearchParams(body.toString('utf8'));
      if (auth.service === 'iam') return serveIam(identity, params);
      if (params.get('Action') === 'AssumeRole') return assumeRole(identity, params);
      requests.push({ operation: 'GetCallerIdentity', accessKeyId: auth.accessKeyId, bucket: null, key: null });
      return sendCallerIdentity(res, { arn: identity.arn, userId: identity.userId, account: accountOf(identity.arn) });
    }
    return serveS3(identity, auth.region);

    /**
     * sts:AssumeRole, judged as AWS judges it: the caller's own policy must allow sts:AssumeRole on the role, and the
     * role's trust policy must allow the caller's principal (a role session counts as its role), with its conditions
     * (sts:ExternalId). Every refusal — no permission, not trusted, wrong or missing external ID, no such role — is the
     * same AccessDenied, worded as STS words it ("User: <caller> is not authorized to perform: sts:AssumeRole on
     * resource: <role>", as AWS re:Post's knowledge center article on AssumeRole errors quotes it).
     */
    function assumeRole(caller: Identity, params: URLSearchParams) {
      const roleArn = params.get('RoleArn') ?? '';
      const sessionName = params.get('RoleSessionName') ?? '';
      const externalId = params.get('ExternalId') ?? undefined;
      const seconds = Number(params.get('DurationSeconds') ?? 3600);
      requests.push({
        operation: 'AssumeRole',
        accessKeyId: caller.accessKeyId,
        bucket: null,
        key: externalId === undefined ? null : `external-id:${externalId}`,
      });
      // STS's validation errors (AWS's "1 validation error detected" form, with the member's constraint).
      if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
        return fail(
          400,
          'ValidationError',
          `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
        );
      }
      if (!Number.isInteger(seconds) || seconds < 900) {
        return fail(
          400,
          'ValidationError',
          `1 validation error detected: Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
        );
      }
      const role = ROLES[roleArn];
      const principal = principalOf(caller.arn);
      const request = { action: 'sts:AssumeRole', resource: roleArn, principalArn: principal, keys: { 'sts:ExternalId': externalId } };
      const mayAssume = evaluate(request, policies.get(caller.accessKeyId) ?? caller.policy, null).allowed;
      const trusted = role !== undefined && evaluate(request, null, trusts.get(roleArn) ?? role.trust).allowed;
      if (!role || !mayAssume || !trusted) {
        return fail(403, 'AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      }
      const [, partition = 'aws', account = '', name = ''] = /^arn:([a-z-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) ?? [];
      const lifetime = gateway.assumedRoleLifetimeMs ?? seconds * 1000;
      const issued: Identity = {
        accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(48).toString('base64')}`,
        expiresAt: new Date(Date.now() + lifetime),
        arn: `arn:${partition}:sts::${account}:assumed-role/${name}/${sessionName}`,
        userId: `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 16).toUpperCase()}:${sessionName}`,
        policy: role.policy,
      };
      assumed.set(issued.accessKeyId, issued);
      return sendAssumedRole(res, {
        arn: issued.arn,
        assumedRoleId: issued.userId,
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken ?? '',
        expiration: issued.expiresAt ?? new Date(),
      });
    }

    /**
     * IAM's UpdateAssumeRolePolicy (what `aws iam update-assume-role-policy` sends): how a customer's admin puts the
     * trust policy the app shows on their role. Errors as IAM words them (IAM API Reference, UpdateAssumeRolePolicy).
     */
    function serveIam(caller: Identity, params: URLSearchParams) {
      const iamFail = (status: number, code: string, message: string) => sendStsError(res, status, code, message, 'iam');
      const action = params.get('Action') ?? '';
      const roleName = params.get('RoleName') ?? '';
      requests.push({ operation: action, accessKeyId: caller.accessKeyId, bucket: null, key: roleName });
      if (action !== 'UpdateAssumeRolePolicy') return iamFail(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
      const roleArn = Object.keys(ROLES).find((arn) => arn === `arn:aws:iam::${accountOf(caller.arn)}:role/${roleName}`);
      const resource = `arn:aws:iam::${accountOf(caller.arn)}:role/${roleName}`;
      const decision = evaluate(
        { action: 'iam:UpdateAssumeRolePolicy', resource, principalArn: null, keys: {} },
        policies.get(caller.accessKeyId) ?? caller.policy,
        null,
      );
      if (!decision.allowed)
        return iamFail(
          403,
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: iam:UpdateAssumeRolePolicy on resource: role ${roleName}`,
        );
      if (!roleArn) return iamFail(404, 'NoSuchEntity', `The role with name ${roleName} cannot be found.`);
      let document: PolicyDocument;
      try {
        document = JSON.parse(params.get('PolicyDocument') ?? '') as PolicyDocument;
        if (!Array.isArray(document.Statement)) throw new Error('no statements');
      } catch {
        return iamFail(400, 'MalformedPolicyDocument', 'This policy contains invalid Json');
      }
      trusts.set(roleArn, document);
      return sendIamDone(res, action);
    }

    /** An S3 operation by `identity`, or by anyone (anonymous, unsigned) when it is null. */
    async function serveS3(identity: Identity | null, signedRegion: string | null) {
      const [, bucketPart = '', ...keyParts] = rawPath.split('/');
      const bucket = decodeURIComponent(bucketPart);
      const key = keyParts.length > 0 && keyParts.join('/') !== '' ? decodeURIComponent(keyParts.join('/')) : null;
      const query = parseRawQuery(rawQuery);
      const [operation, action] = operationOf(method, key, query);
      // No bucket named (ListBuckets): S3 refuses it to anyone anonymous.
      if (bucket === '' && !identity) return fail(403, 'AccessDenied', 'Access Denied');
      if (BARE_403_BUCKETS.has(bucket)) {
        res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'BARE403' });
        return res.end();
      }
      const region = BUCKETS[bucket];
      if (region === undefined) {
        return fail(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
      }
      // An unsigned request names no region; this one endpoint serves every region, so it is taken as the right one.
      if (signedRegion !== null && region !== signedRegion && !(DIALECTS[gateway.dialect] as Dialect).anyRegion) {
        return fail(
          301,
          'PermanentRedirect',
          'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
          { Endpoint: `s3.${region}.amazonaws.com`, Bucket: bucket },
          { 'x-amz-bucket-region': region },
        );
      }
      const resource = `arn:aws:s3:::${bucket}${key ? `/${key}` : ''}`;
      const sse = req.headers['x-amz-server-side-encryption'];
      const decision =
        action === null
          ? ({ allowed: false, explicit: false, policy: 'identity-based' } as const)
          : evaluate(
              {
                action,
                resource,
                principalArn: identity?.arn ?? null,
                keys: {
                  's3:prefix': operation.startsWith('ListObjects') && typeof query.prefix === 'string' ? query.prefix : undefined,
                  's3:x-amz-server-side-encryption': typeof sse === 'string' ? sse : undefined,
                },
              },
              identity ? (policies.get(identity.accessKeyId) ?? identity.policy) : null,
              BUCKET_POLICIES[bucket] ?? null,
            );
      if (!decision.allowed) {
        // AWS's wording for same-account requests (S3 User Guide, "Troubleshoot access denied (403 Forbidden) errors").
        const denied = `${action ?? operation}`;
        const why = decision.explicit
          ? `with an explicit deny in ${decision.policy === 'identity-based' ? 'an' : 'a'} ${decision.policy} policy`
          : `because no ${decision.policy} policy allows the ${denied} action`;
        if (dialect.denied) return answer(dialect.denied);
        // An anonymous request gets S3's plain "Access Denied": there is no user to name.
        if (!identity) return fail(403, 'AccessDenied', 'Access Denied');
        return fail(403, 'AccessDenied', `User: ${identity.arn} is not authorized to perform: ${denied} on resource: "${resource}" ${why}`);
      }
      if (action === 's3:PutObject' && dialect.quotaFull && gateway.quotaFull.has(bucket)) return answer(dialect.quotaFull);
      if (action === 's3:PutObject' && dialect.storageFull && gateway.storageFull) return answer(dialect.storageFull);
      const recorded = { operation, accessKeyId: identity?.accessKeyId ?? 'anonymous', bucket, key };
      requests.push(recorded);
      if (gateway.beforeServing) await gateway.beforeServing(recorded);
      // Versioning, which s3rver lacks (S3 User Guide, "Retaining multiple versions of objects with S3 Versioning"):
      // a write adds a version; a delete without a version id adds a delete marker and removes nothing; a delete of a
      // version removes it — unless Object Lock holds it.
      const versioning = key !== null ? VERSIONED_BUCKETS[bucket] : undefined;
      let versionHeaders: Record<string, string> = {};
      if (versioning && key !== null) {
        const list = versionsOf(bucket, key);
        if (operation === 'PutObject' || operation === 'CompleteMultipartUpload') {
          const versionId = newVersionId();
          list.push({ key, versionId, deleteMarker: false });
          versionHeaders = { 'x-amz-version-id': versionId };
        } else if (operation === 'DeleteObject') {
          const versionId = newVersionId();
          list.push({ key, versionId, deleteMarker: true });
          versionHeaders = { 'x-amz-version-id': versionId, 'x-amz-delete-marker': 'true' };
        } else if (operation === 'DeleteObjectVersion') {
          const versionId = String(query.versionId);
          const index = list.findIndex((version) => version.versionId === versionId);
          if (index !== -1 && versioning.objectLock && !list[index]?.deleteMarker) {
            return fail(403, 'AccessDenied', 'Access Denied because object protected by object lock.');
          }
          const removed = index === -1 ? undefined : list.splice(index, 1)[0];
          res.writeHead(204, { 'x-amz-version-id': versionId, ...(removed?.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}) });
          res.end();
          // The bytes s3rver holds go once no version of the key is left.
          if (list.length === 0) await deleteFromBackend(rawPath);
          return;
        }
      }
      // s3rver answers AbortMultipartUpload with MethodNotAllowed; S3 answers 204.
      if (operation === 'AbortMultipartUpload') {
        res.writeHead(204);
        return res.end();
      }
      const streaming = String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
      if (streaming || req.headers['content-encoding']?.includes('aws-chunked')) body = decodeAwsChunked(body);
      // s3rver fails (InternalError) on a truncated ListObjectsV2: list everything, then truncate as S3 would.
      const maxKeys = operation === 'ListObjectsV2' && typeof query['max-keys'] === 'string' ? Number(query['max-keys']) : null;
      const forwardQuery = rawQuery
        .split('&')
        .filter((p) => p && !p.startsWith('X-Amz-') && !p.startsWith('x-id=') && !(maxKeys !== null && p.startsWith('max-keys=')))
        .join('&');
      const own = (DIALECTS[gateway.dialect] as Dialect).rewrite?.[operation];
      const rewrite = maxKeys === null ? own : (xml: string) => (own ? own(truncateList(xml, maxKeys)) : truncateList(xml, maxKeys));
      const send = () => forward(req, res, forwardQuery ? `${rawPath}?${forwardQuery}` : rawPath, body, rewrite, versionHeaders);
      return send();
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendS3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const gateway: LocalS3 = {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests,
    latencyMs: options.latencyMs ?? 0,
    clockOffsetMs: 0,
    dialect: options.dialect ?? 'aws',
    suspended: new Set(),
    quotaFull: new Set(),
    storageFull: false,
    throttleSeconds: null,
    beforeServing: null,
    setPolicy(accessKeyId, policy) {
      if (policy) policies.set(accessKeyId, policy);
      else policies.delete(accessKeyId);
    },
    setTrustPolicy(roleArn, trust) {
      if (trust) trusts.set(roleArn, trust);
      else trusts.delete(roleArn);
    },
    assumedRoleLifetimeMs: options.assumedRoleLifetimeMs ?? null,
    versions(bucketName, prefix = '') {
      const keys = versionStore.get(bucketName) ?? new Map<string, ObjectVersion[]>();
      return [...keys.entries()].filter(([key]) => key.startsWith(prefix)).flatMap(([, list]) => list);
    },
    async listKeys(bucketName, prefix = '') {
      const xml = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: backend.port, path: `/${bucketName}?list-type=2&prefix=${encodeURIComponent(prefix)}` }, (r) => {
            let text = '';
            r.on('data', (c: Buffer) => (text += c.toString()));
            r.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1] ?? '');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await s3rver.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
  return gateway;
}
