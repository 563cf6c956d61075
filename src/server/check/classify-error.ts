import { parseAccessDenied, type Denial } from '#shared/access-denied';
import { isKnownErrorCode } from '#shared/error-catalogue';

export const MAX_CODE_LENGTH = 64;

export type ClassifiedError = {
  code: string;
  bucketRegion: string | null;
  address?: string;
  port?: number;
  denial?: Denial | null;
  /** RequestTimeTooSkewed: how far this server's clock is ahead of S3's (negative: behind), in ms. */
  skewMs?: number | null;
  /** A rate limit's Retry-After (RFC 9110: seconds, or an HTTP date), in whole seconds from now. */
  retryAfterS?: number | null;
  /** AccessKeyLength: the length of the key sent, and the one the endpoint expects. */
  keyLength?: { sent: number; expected: number };
};

/** Answers that ask the client to come back later (S3's SlowDown, 503; the HTTP 429 some services send). */
const THROTTLED = new Set(['SlowDown', 'TooManyRequests', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded']);

/** At most this is said (a day): an endpoint's larger Retry-After is not taken at its word. */
const RETRY_AFTER_CAP_S = 86_400;

/** Retry-After as whole seconds from now: a count of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | null {
  const text = value?.trim().slice(0, 64);
  if (!text) return null;
  if (/^\d{1,9}$/.test(text)) return Math.min(Number(text), RETRY_AFTER_CAP_S);
  // An HTTP date names its day and month (IMF-fixdate, "Sun, 06 Dec 2026 10:00:30 GMT"); a bare "-5" is neither form.
  const at = /^[A-Za-z]{3},? /.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? null : Math.min(RETRY_AFTER_CAP_S, Math.max(0, Math.ceil((at - now) / 1000)));
}

/** `20250901T162148Z` (the request's X-Amz-Date, as S3 quotes it) → epoch ms. */
function amzTime(value: unknown): number | null {
  const m = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
}

type SdkError = {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
};

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'ConnectionRefused',
  ENOTFOUND: 'DnsNotFound',
  EAI_AGAIN: 'DnsNotFound',
  ECONNRESET: 'ConnectionReset',
  EPIPE: 'ConnectionReset',
  ETIMEDOUT: 'Timeout',
  ECONNABORTED: 'Timeout',
  EHOSTUNREACH: 'NetworkError',
  ENETUNREACH: 'NetworkError',
  // Each TLS mistake has its own fix: say which one it is (OpenSSL's verify codes, as Node reports them).
  CERT_HAS_EXPIRED: 'TlsCertExpired',
  CERT_NOT_YET_VALID: 'TlsCertExpired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TlsSelfSigned',
  SELF_SIGNED_CERT_IN_CHAIN: 'TlsSelfSigned',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TlsUnknownAuthority',
  UNABLE_TO_GET_ISSUER_CERT: 'TlsUnknownAuthority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TlsUnknownAuthority',
  CERT_UNTRUSTED: 'TlsUnknownAuthority',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TlsWrongHost',
  EPROTO: 'TlsError',
};

/**
 * An SDK or network error → a code of the shared catalogue (or the service's own code when it is one we do not
 * describe), plus the bucket's region when S3 named it. The raw message is never kept.
 */
export function classifyError(error: unknown): ClassifiedError {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const bucketRegion = e.$response?.headers?.['x-amz-bucket-region'] ?? null;
  if (status === 301 || e.name === 'PermanentRedirect') return { code: 'PermanentRedirect', bucketRegion };
  const refused = [e, e.cause].find((x) => (x as SdkError | undefined)?.code === 'EADDRNOTALLOWED') as { address: string; port: number } | undefined;
  if (refused) return { code: 'AddressNotAllowed', bucketRegion, address: refused.address, port: refused.port };
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.name === 'RequestTimeout') return { code: 'Timeout', bucketRegion };
  const network = e.code ?? (e.cause as SdkError | undefined)?.code;
  // An https:// URL on a port that answers plain HTTP: OpenSSL reads the HTTP answer as a TLS record.
  const text = `${e.message ?? ''} ${(e.cause as SdkError | undefined)?.message ?? ''}`;
  if (network === 'EPROTO' && /wrong version number|packet length too long|http request/i.test(text)) return { code: 'TlsNotHttps', bucketRegion };
  if (network && NETWORK_CODES[network]) return { code: NETWORK_CODES[network], bucketRegion };
  const name = e.name ?? e.Code;
  // S3 refuses to delete a version Object Lock holds with AccessDenied "…because object protected by object lock."
  if (name === 'AccessDenied' && /object lock/i.test(e.message ?? '')) return { code: 'ObjectLocked', bucketRegion };
  if (name === 'AccessDenied') return { code: 'AccessDenied', bucketRegion, denial: parseAccessDenied(e.message) };
  // MinIO answers a disabled user or access key with InvalidAccessKeyId "Your account is disabled; please contact
  // your administrator." (cmd/api-errors.go, ErrAccessKeyDisabled): not an unknown key.
  if (name === 'InvalidAccessKeyId' && /account is disabled/i.test(e.message ?? '')) return { code: 'AccessKeyDisabled', bucketRegion };
  // Cloudflare R2 refuses a key ID of another length than its own 32 characters with InvalidArgument "Credential
  // access key has length 64, should be 32": only the two numbers are kept.
  const length = name === 'InvalidArgument' ? /access key has length (\d{1,4}), should be (\d{1,4})/i.exec(e.message ?? '') : null;
  if (length) return { code: 'AccessKeyLength', bucketRegion, keyLength: { sent: Number(length[1]), expected: Number(length[2]) } };
  // Answers without an error body (HEAD, or a proxy's bare 403): the SDK names them after the status ("Forbidden",
  // "NotFound") or not at all ("Unknown"); the status is what S3 said.
  const nameless = !name || ['Unknown', 'UnknownError', 'Error', 'Forbidden', 'NotFound'].includes(name);
  if (nameless && status === 403) return { code: 'AccessDenied', bucketRegion, denial: null };
  if (nameless && status === 404) return { code: 'NoSuchBucket', bucketRegion };
  if (name === 'RequestTimeTooSkewed') {
    const requested = amzTime((e as Record<string, unknown>).RequestTime);
    const server = Date.parse(String((e as Record<string, unknown>).ServerTime ?? ''));
    return { code: name, bucketRegion, skewMs: requested !== null && Number.isFinite(server) ? requested - server : null };
  }
  if (name && THROTTLED.has(name)) return { code: 'SlowDown', bucketRegion, retryAfterS: retryAfterSeconds(e.$response?.headers?.['retry-after']) };
  if (status === 429) return { code: 'SlowDown', bucketRegion, retryAfterS: retryAfterSeconds(e.$response?.headers?.['retry-after']) };
  if (name && isKnownErrorCode(name)) return { code: name, bucketRegion };
  // A code we do not describe is the endpoint's own word: kept when it looks like a code, and never longer than 64
  // characters (a hostile endpoint's 10 KB "code" would otherwise be stored and shown).
  if (name && /^[A-Z][A-Za-z0-9]+$/.test(name) && name !== 'Error' && name !== 'UnknownError') {
    return { code: name.slice(0, MAX_CODE_LENGTH), bucketRegion };
  }
  return { code: status && status >= 500 ? 'InternalError' : network ? 'NetworkError' : 'Unknown', bucketRegion };
}
