import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { randomUUID } from 'node:crypto';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { trustPrincipalOf } from '#shared/iam-role';
import { holdSecrets } from '../logger.ts';
import { classifyError } from './classify-error.ts';

/** The server's own key for assuming roles (AWS_ROLE_BASE_*), or null for the SDK's credential chain. */
export type RoleBaseKey = { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null;

export type AssumedCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };

export type AssumedRole = { credentials: AssumedCredentials; assumedArn: string; obtainedAt: number };

/** Who this server is when it assumes roles: the principal a trust policy names, or why it cannot say. */
export type ServerPrincipal = { ok: true; callerArn: string; principalArn: string } | { ok: false; code: string; problem: string };

/** The agents requests go out through (the check's: SSRF guard and outbound proxy). */
type Via = { httpAgent?: HttpAgent; httpsAgent?: HttpsAgent };

export type RoleSessionsOptions = {
  base: RoleBaseKey;
  now?: () => number;
};

/** Refresh this long before credentials run out: 5 minutes, or half their life when they live shorter than 10. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const PRINCIPAL_KEPT_MS = 5 * 60_000;
const PRINCIPAL_FAILURE_KEPT_MS = 15_000;
/** AWS's default role session: an hour. */
const SESSION_SECONDS = 3600;

/**
 * The server's side of the "IAM role" method: its base identity (a key set by the operator, or the SDK's credential
 * chain), the principal a customer's trust policy must name, and the temporary credentials of each role — assumed with
 * the connector's external ID, kept in memory only, and assumed again before they run out, so nothing a user pasted
 * ever expires. Credentials are cached per (role, external ID): another connector naming the same role with another
 * external ID never gets them.
 */
export class RoleSessions {
  private readonly cache = new Map<string, Promise<AssumedRole>>();
  private principalCache: { at: number; value: Promise<ServerPrincipal> } | null = null;
  private readonly now: () => number;
  /** The agents STS is reached through outside a check (the server's principal): the checks' (proxy, SSRF guard). */
  private agents: Via = {};

  constructor(private readonly options: RoleSessionsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** An STS client signing as the base identity; through the check's agents (SSRF guard, outbound proxy) when given. */
  private sts(region: string, via?: Via): STSClient {
    const agents = via ?? this.agents;
    const config: STSClientConfig = {
      region,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, ...agents }),
      ...(this.options.base ? { credentials: this.options.base } : {}),
    };
    return new STSClient(config);
  }

  /** Sends STS requests made outside a check the way checks send theirs (HTTPS_PROXY, the SSRF guard). */
  useAgents(agents: Via) {
    this.agents = agents;
  }

  /** The principal for trust policies (a role session's ARN becomes its role's), kept a few minutes. */
  principal(region = 'us-east-1'): Promise<ServerPrincipal> {
    const kept = this.principalCache;
    if (kept && this.now() - kept.at < PRINCIPAL_KEPT_MS) return kept.value;
    const value = this.sts(region)
      .send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(5_000) })
      .then(
        (answer): ServerPrincipal => ({ ok: true, callerArn: answer.Arn ?? '', principalArn: trustPrincipalOf(answer.Arn ?? '') }),
        (error: unknown): ServerPrincipal => {
          const code = (error as { name?: string }).name === 'CredentialsProviderError' ? 'NoBaseCredentials' : classifyError(error).code;
          return { ok: false, code, problem: principalProblem(code) };
        },
      );
    this.principalCache = { at: this.now(), value };
    // A failure is asked again soon: the operator may be fixing it right now.
    void value.then((result) => {
      if (!result.ok && this.principalCache?.value === value)
        this.principalCache = { at: this.now() - PRINCIPAL_KEPT_MS + PRINCIPAL_FAILURE_KEPT_MS, value };
    });
    return value;
  }

  /**
   * Tries the role without any external ID. AWS refusing is what should happen; AWS accepting means the role's trust
   * policy lacks the sts:ExternalId condition, so anyone using this server could name the role (the confused deputy).
   */
  async acceptsWithoutExternalId(roleArn: string, region: string, signal: AbortSignal, via?: Via): Promise<boolean> {
    try {
      await this.assume(roleArn, null, region, signal, via);
      return true;
    } catch (error) {
      if (classifyError(error).code === 'AccessDenied') return false;
      throw error;
    }
  }

  /** The role's credentials: cached while they have time left, else assumed again (with the external ID). */
  async credentials(roleArn: string, externalId: string, region: string, signal: AbortSignal, via?: Via): Promise<AssumedRole & { reused: boolean }> {
    const key = `${roleArn}\n${externalId}`;
    const cached = this.cache.get(key);
    if (cached) {
      const held = await cached.catch(() => null);
      if (held && this.fresh(held)) return { ...held, reused: true };
    }
    const assumed = this.assume(roleArn, externalId, region, signal, via);
    this.cache.set(key, assumed);
    // A refusal is not kept: the next check asks AWS again (the trust policy may have been fixed since).
    assumed.catch(() => {
      if (this.cache.get(key) === assumed) this.cache.delete(key);
    });
    return { ...(await assumed), reused: false };
  }

  private fresh(role: AssumedRole): boolean {
    const expires = role.credentials.expiration.getTime();
    return expires - this.now() > Math.min(REFRESH_MARGIN_MS, (expires - role.obtainedAt) / 2);
  }

  private async assume(roleArn: string, externalId: string | null, region: string, signal: AbortSignal, via?: Via): Promise<AssumedRole> {
    const obtainedAt = this.now();
    const answer = await this.sts(region, via).send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        // Names the server in the customer's CloudTrail: which app, and one session per assumption.
        RoleSessionName: `s3-destinations-admin-${randomUUID().slice(0, 8)}`,
        DurationSeconds: SESSION_SECONDS,
        ...(externalId === null ? {} : { ExternalId: externalId }),
      }),
      { abortSignal: signal },
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('STS answered AssumeRole without credentials');
    // Redacted by value from every log line while they can be used (an SDK error may quote a canonical request).
    const release = holdSecrets([c.SecretAccessKey, c.SessionToken]);
    setTimeout(release, Math.max(0, c.Expiration.getTime() - Date.now()) + 60_000).unref();
    return {
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration },
      assumedArn: answer.AssumedRoleUser?.Arn ?? roleArn,
      obtainedAt,
    };
  }
}

function principalProblem(code: string): string {
  if (code === 'NoBaseCredentials') {
    return 'This server has no AWS credentials to assume roles with: set AWS_ROLE_BASE_ACCESS_KEY_ID and AWS_ROLE_BASE_SECRET_ACCESS_KEY, or run it with an AWS identity (instance or task role).';
  }
  if (code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch') {
    return "AWS does not accept this server's base credentials (AWS_ROLE_BASE_* or its credential chain): check the key and secret.";
  }
  if (code === 'ExpiredToken')
    return "This server's base credentials have expired: renew them (AWS_ROLE_BASE_SESSION_TOKEN) or use a role of the machine.";
  return `STS could not be asked who this server is (${code}): check the way from this server to STS.`;
}
