import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { RouteAccess } from '../security/route-access.ts';

/**
 * Paths that get a 404 rather than the browser app's page: anything under /api however it is cased (the API's), and
 * a file that is not there (/favicon.ico, a stale /assets/… chunk): the page in its place would answer 200 with HTML.
 */
function notAPage(url: string): boolean {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return true;
  }
  const last = pathname.split('/').pop() ?? '';
  return /^\/+api(?:\/|$)/i.test(pathname) || /\.[A-Za-z0-9]{1,8}$/.test(last);
}

/**
 * The built single-page app (dist/client): its files, and index.html for any other GET so deep links and reloads
 * work. Public by nature: it holds no data, the API it calls decides what the caller may see.
 */
export const browserAppPlugin: FastifyPluginAsync<{ clientDir: string | null; routeAccess: RouteAccess }> = async (app, options) => {
  // fastify-static registers its file routes without options of ours: this context declares them public.
  options.routeAccess.claim(app, 'browser-app', ['public'], 'public');
  const { clientDir } = options;
  const hasClient = clientDir !== null && fs.existsSync(path.join(clientDir, 'index.html'));
  if (hasClient) {
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: false,
      index: false,
      setHeaders(res, file) {
        // Hashed file names never change content: cache them for good; everything else revalidates.
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || notAPage(request.url)) {
      return reply.code(404).send({ detail: `Nothing here: ${request.method} ${request.url.split('?')[0]}` });
    }
    if (!hasClient) {
      return reply.code(404).type('text/plain').send('The browser app is not built: run npm run build (npm start does it).');
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
};
