import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSsrfGuard, parseAllowlist } from '../security/ssrf-guard.ts';
import type { ClaimedDelivery, DeliveryOutcome, WebhooksRepository } from '../store/webhooks-repository.ts';
import type { Alerts } from './alerts.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { receiverOf, textFor } from './receiver-text.ts';

const HOSTILE = '<!channel> <https://evil.example/r|Re-enter your AWS keys> & [click](https://evil.example) **now** # _x_';

describe('the text each chat receiver gets', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/x', 'slack'],
    ['https://hooks.slack-gov.com/services/T0/B0/x', 'slack'],
    ['https://contoso.webhook.office.com/webhookb2/x', 'teams'],
    ['https://outlook.office.com/webhook/x', 'teams'],
    ['https://prod-01.westus.logic.azure.com/workflows/x', 'teams'],
    ['https://hooks.slack.com.evil.example/services/x', 'other'],
    ['https://example.com/hooks', 'other'],
  ])('%s is a %s receiver', (url, receiver) => {
    expect(receiverOf(new URL(url))).toBe(receiver);
  });

  it('escapes &, < and > for Slack, so no mention or disguised link survives', () => {
    const text = textFor('slack', HOSTILE);
    expect(text).toBe('&lt;!channel&gt; &lt;https://evil.example/r|Re-enter your AWS keys&gt; &amp; [click](https://evil.example) **now** # _x_');
    expect(text).not.toMatch(/<[!@#h]/);
  });

  it('escapes HTML and Markdown for Teams, leaving web addresses as they are', () => {
    const text = textFor('teams', `${HOSTILE} https://admin.example/destinations/1`);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('\\[click\\]\\(https://evil.example)');
    expect(text).toContain('\\*\\*now\\*\\* \\# \\_x\\_');
    expect(text.endsWith(' https://admin.example/destinations/1')).toBe(true);
  });

  it('gives programs the text unchanged', () => {
    expect(textFor('other', HOSTILE)).toBe(HOSTILE);
  });
});

describe('a delivery to a Slack receiver', () => {
  // hooks.slack.com resolves to a receiver on loopback (an injected lookup, allowed by the guard's allowlist).
  let bodies: string[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end();
    });
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('sends the escaped text, and keeps the structured fields as they were', async () => {
    bodies = [];
    const event = {
      id: 'e1',
      type: 'check.failing',
      created_at: new Date().toISOString(),
      text: `“${HOSTILE}” is failing`,
      destination: { id: 'd1', name: HOSTILE, url: 'x' },
      check: null,
      credentials: null,
    };
    const delivery: ClaimedDelivery = {
      id: 'd1',
      webhookId: 'w1',
      eventId: 'e1',
      type: 'check.failing',
      payload: JSON.stringify(event),
      attempts: 0,
      url: `http://hooks.slack.com:${port}/services/T0/B0/x`,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    };
    const recorded: DeliveryOutcome[] = [];
    let claimed = false;
    const webhooks = {
      claimDue: async () => (claimed ? [] : ((claimed = true), [delivery])),
      record: async (_id: string, outcome: DeliveryOutcome) => void recorded.push(outcome),
    } as unknown as WebhooksRepository;
    const lookup = ((_host: string, options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as never;
    const guard = createSsrfGuard(parseAllowlist([`127.0.0.1:${port}`]), lookup);
    const worker = new DeliveryWorker({
      webhooks,
      alerts: { sweepCredentials: async () => 0 } as unknown as Alerts,
      guard,
      log: pino({ enabled: false }),
    });
    await worker.tick();
    expect(recorded).toEqual([{ kind: 'delivered', statusCode: 200 }]);
    const sent = JSON.parse(bodies[0] ?? '{}');
    expect(sent.text).toBe(`“${textFor('slack', HOSTILE)}” is failing`);
    expect(sent.destination.name).toBe(HOSTILE);
    guard.httpAgent.destroy();
  });
});
