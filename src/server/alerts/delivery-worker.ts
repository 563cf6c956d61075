import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { holdSecrets } from '../logger.ts';
import { AddressNotAllowedError, type SsrfGuard } from '../security/ssrf-guard.ts';
import type { ClaimedDelivery, DeliveryOutcome, WebhooksRepository } from '../store/webhooks-repository.ts';
import type { Alerts } from './alerts.ts';
import { bodyFor, receiverOf } from './receiver-text.ts';

/** Waits before each retry: 5 attempts in all over about 40 minutes, then the delivery is given up. */
export const BACKOFF_MS = [30_000, 2 * 60_000, 8 * 60_000, 30 * 60_000];
const TIMEOUT_MS = 10_000;
const LEASE_MS = 60_000;
const CREDENTIALS_SWEEP_MS = 15_000;

/**
 * The Standard Webhooks headers (standardwebhooks.com): `webhook-id` (the event's id: the same on every retry, so a
 * receiver can drop a repeat), `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">`, keyed with the secret's bytes) — verifiable with that project's library in most languages.
 */
export function signedHeaders(secret: string, eventId: string, body: string, at: Date): Record<string, string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new StandardWebhook(secret).sign(eventId, at, body),
  };
}

export type DeliveryWorkerOptions = {
  webhooks: WebhooksRepository;
  alerts: Alerts;
  /** WEBHOOK_ALLOWLIST's guard: receivers on private addresses only when listed. */
  guard: SsrfGuard;
  log: FastifyBaseLogger;
  now?: () => Date;
  backoffMs?: number[];
  pollMs?: number;
  timeoutMs?: number;
  /** Each attempt's outcome (the metrics count them). */
  onOutcome?: (kind: DeliveryOutcome['kind']) => void;
};

/**
 * Sends queued webhook deliveries: claims due ones with a lease (one instance sends each), POSTs the signed event
 * through the SSRF guard, and records the answer — delivered, retried after BACKOFF_MS, or given up. Also sweeps the
 * credentials' clock for the alerts (`Alerts.sweepCredentials`).
 */
export class DeliveryWorker {
  private readonly id = `deliveries-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private again = false;
  private lastSweep = 0;
  private stopped = false;

  constructor(private readonly options: DeliveryWorkerOptions) {}

  private now = () => this.options.now?.() ?? new Date();

  start() {
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    this.kick();
  }

  /** Something was queued: send now rather than at the next poll. */
  kick() {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.running = this.tick().finally(() => {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round: the credentials sweep when due, then every due delivery. Resolves when they are recorded. */
  async tick(): Promise<void> {
    try {
      const now = this.now();
      if (now.getTime() - this.lastSweep >= CREDENTIALS_SWEEP_MS) {
        this.lastSweep = now.getTime();
        await this.options.alerts.sweepCredentials(now);
      }
      const due = await this.options.webhooks.claimDue(this.id, now, new Date(now.getTime() + LEASE_MS), 20);
      await Promise.all(due.map((delivery) => this.deliver(delivery)));
    } catch (error) {
      this.options.log.error({ err: error }, 'webhook deliveries failed');
    }
  }

  private async deliver(delivery: ClaimedDelivery) {
    // The URL carries a token (Slack, Teams) and the secret signs: neither may reach a log line, whatever logs them.
    const release = holdSecrets([delivery.url, delivery.secret]);
    try {
      const answer = await this.post(delivery);
      const outcome = this.outcome(delivery, answer);
      await this.options.webhooks.record(delivery.id, outcome, this.now());
      this.options.onOutcome?.(outcome.kind);
    } finally {
      release();
    }
  }

  private outcome(delivery: ClaimedDelivery, answer: { statusCode: number | null; error: string | null }): DeliveryOutcome {
    if (answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300)
      return { kind: 'delivered', statusCode: answer.statusCode };
    const error = answer.error ?? `The receiver answered ${answer.statusCode}`;
    const backoff = this.options.backoffMs ?? BACKOFF_MS;
    // A refusal by the SSRF rules will not change by waiting.
    const retryable = !error.startsWith('Not sent:');
    const wait = backoff[delivery.attempts];
    if (!retryable || wait === undefined) return { kind: 'failed', statusCode: answer.statusCode, error };
    return { kind: 'retry', retryAt: new Date(this.now().getTime() + wait), statusCode: answer.statusCode, error };
  }

  private post(delivery: ClaimedDelivery): Promise<{ statusCode: number | null; error: string | null }> {
    const url = new URL(delivery.url);
    const body = bodyFor(receiverOf(url), delivery.payload);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 's3-destinations-admin (webhook)',
      'x-s3admin-event': delivery.type,
      'x-s3admin-delivery': delivery.id,
      ...signedHeaders(delivery.secret, delivery.eventId, body, this.now()),
      'content-length': String(Buffer.byteLength(body)),
    };
    const send = url.protocol === 'https:' ? https.request : http.request;
    const agent = url.protocol === 'https:' ? this.options.guard.httpsAgent : this.options.guard.httpAgent;
    return new Promise((resolve) => {
      const request = send(
        url,
        { method: 'POST', headers, agent: agent as http.Agent, timeout: this.options.timeoutMs ?? TIMEOUT_MS },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ statusCode: response.statusCode ?? null, error: null }));
          response.on('error', () => resolve({ statusCode: response.statusCode ?? null, error: null }));
        },
      );
      // Idle or not: a receiver that trickles its answer is cut off at the same bound (the lease outlives it).
      const timeout = () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
      request.on('timeout', timeout);
      const deadline = setTimeout(timeout, this.options.timeoutMs ?? TIMEOUT_MS).unref();
      request.on('close', () => clearTimeout(deadline));
      request.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ statusCode: null, error: describeFailure(error, url.host, this.options.timeoutMs ?? TIMEOUT_MS) }),
      );
      request.end(body);
    });
  }
}

/** A failed attempt in words, naming the host only (the path may carry a token). */
function describeFailure(error: NodeJS.ErrnoException, host: string, timeoutMs: number): string {
  if (error instanceof AddressNotAllowedError) {
    return `Not sent: ${host} resolves to an address this server may not reach (private, loopback or metadata); an administrator can allow it with WEBHOOK_ALLOWLIST`;
  }
  if (error.code === 'TIMEOUT') return `${host} did not answer within ${timeoutMs / 1000} s`;
  if (error.code === 'ECONNREFUSED') return `${host} refused the connection`;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `${host} could not be found (DNS)`;
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT')) return `${host}'s certificate is not trusted (${error.code})`;
  return `Could not reach ${host} (${error.code ?? 'network error'})`;
}
