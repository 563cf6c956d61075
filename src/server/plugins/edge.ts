import fastifyHelmet from '@fastify/helmet';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.ts';
import { hostAllowed, type AllowedHost } from '../security/allowed-hosts.ts';

export type EdgePluginOptions = { publicOrigin: string; allowedHosts: AllowedHost[] };

/**
 * Every host a request names, all of which must be ours: the Host header as received; the host a trusted proxy
 * forwards (`X-Forwarded-Host`, which Fastify's `request.host` prefers under TRUST_PROXY) — judging only that one would
 * let any client behind a proxy that passes the header on choose the host (DNS rebinding); and an absolute-form
 * target's authority, which overrides Host (RFC 9112, 3.2.2).
 */
function addressedHosts(request: FastifyRequest): string[] {
  const hosts = [request.headers.host ?? '', request.host];
  const target = request.raw.url ?? '';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return hosts;
  try {
    return [...hosts, new URL(target).host];
  } catch {
    return [''];
  }
}

/**
 * What every request meets first, whatever route it reaches or error it ends in: the security headers (registered
 * before any hook that can refuse a request, so 4xx answers carry them too), the Host check against DNS rebinding,
 * and one log line per answer.
 */
export const edgePlugin = fp<EdgePluginOptions>(
  async (app, { publicOrigin, allowedHosts }) => {
    const https = publicOrigin.startsWith('https:');
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Radix's scroll lock injects a <style> element and the timeline sets bar widths inline: styles may be
          // inline, scripts never (decision note 006).
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      hsts: https ? { maxAge: 31_536_000 } : false,
    });

    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
      if (request.routeOptions.config.anyHost) return;
      if (!addressedHosts(request).every((host) => hostAllowed(host, allowedHosts))) {
        throw new HttpError(
          421,
          'This server does not answer for that host name: use the address in PUBLIC_ORIGIN (or add the name to ALLOWED_HOSTS)',
        );
      }
    });

    app.addHook('onResponse', async (request, reply) => {
      request.log.info({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
    });
  },
  { name: 'edge' },
);
