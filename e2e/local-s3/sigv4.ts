import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingHttpHeaders } from 'node:http';

export type Authorization = {
  accessKeyId: string;
  day: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
};

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): Authorization | null {
  const match = header ? AUTH.exec(header) : null;
  if (!match) return null;
  const [, accessKeyId = '', day = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  return { accessKeyId, day, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** `20261124T101500Z` → Date, or null. */
export function parseAmzDate(value: string | undefined): Date | null {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

/** Decodes a raw query by hand: URLSearchParams would turn '+' into a space, and `?uploads` must stay `uploads: ''`. */
export function parseRawQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const part of raw.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1));
    const existing = query[name];
    query[name] = existing === undefined ? value : [existing, value].flat();
  }
  return query;
}

/**
 * Recomputes the signature with the AWS SDK's own signer: only the headers named in SignedHeaders, the raw Host and
 * the raw encoded path (S3 signs the path as sent; other services escape it), and the signing date of X-Amz-Date.
 */
export async function computeSignature(input: {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  auth: Authorization;
  secretAccessKey: string;
  signingDate: Date;
}): Promise<string> {
  const { auth } = input;
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = input.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: input.secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: auth.service !== 's3',
    applyChecksum: false,
  });
  const request = new HttpRequest({
    method: input.method,
    protocol: 'http:',
    hostname: 'localhost',
    path: input.rawPath,
    query: parseRawQuery(input.rawQuery),
    headers,
    body: input.body,
  });
  const signed = await signer.sign(request, { signingDate: input.signingDate });
  return /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
}

/** Strips `aws-chunked` framing (chunk signatures, trailers) so the store keeps the object's own bytes. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd === -1) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** Bytes as S3 quotes them in an error: lower-case hex pairs separated by spaces. */
export const spacedHex = (text: string) =>
  Buffer.from(text, 'utf8')
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');

/**
 * The canonical request and string to sign as S3 computed them, which a SignatureDoesNotMatch answer quotes back (with
 * every signed header, the session token included) so a client can compare them with its own.
 */
export function describeSigning(input: {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  auth: Authorization;
  amzDate: string;
}): { canonicalRequest: string; stringToSign: string } {
  const { auth } = input;
  const header = (name: string) => {
    const value = input.headers[name];
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
  };
  const query = Object.entries(parseRawQuery(input.rawQuery))
    .flatMap(([name, value]) => [value].flat().map((v) => `${rfc3986(name)}=${rfc3986(v)}`))
    .sort()
    .join('&');
  const canonicalRequest = [
    input.method,
    input.rawPath,
    query,
    `${auth.signedHeaders.map((name) => `${name}:${header(name)}`).join('\n')}\n`,
    auth.signedHeaders.join(';'),
    header('x-amz-content-sha256') || 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const digest = createHash('sha256').update(canonicalRequest).digest('hex');
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, `${auth.day}/${auth.region}/${auth.service}/aws4_request`, digest].join('\n');
  return { canonicalRequest, stringToSign };
}
