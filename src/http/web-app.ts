/**
 * Serves the built web app (web/dist, see src/cli/web-build.ts): hashed assets under /assets
 * (cached for a year, pre-compressed .br/.gz when the client accepts them) and index.html for
 * every client route — the SPA fallback. Never for the API, Open311, the docs or /healthz: those
 * keep their own 404. `/r/{unitCode}` (the QR page) sends the same shell from routes/intake.ts.
 */
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Paths the SPA fallback never answers. */
const SERVER_PATHS = /^\/(api|open311|docs|healthz|r)(\/|$)/;

/**
 * The Content-Security-Policy of the app's pages: its own scripts only; inline styles because
 * Ant Design injects its CSS-in-JS as <style> elements; images from itself, data: and blob:
 * (previews of photos before upload).
 */
export const WEB_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export interface WebApp {
  /** Folder of the built app (holds index.html and assets/). */
  dist: string;
  /** Sends the app's HTML shell; the client router takes the path from the address bar. */
  sendShell(reply: FastifyReply, status?: number): FastifyReply;
}

/** The web app in `dist`, or null when it has not been built. */
export function loadWebApp(dist: string): WebApp | null {
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) return null;
  const shell = readFileSync(indexFile, 'utf8');
  return {
    dist,
    sendShell: (reply, status = 200) => reply.status(status)
      .header('content-security-policy', WEB_CSP).header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer').header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8').send(shell),
  };
}

/** Registers the static assets and the SPA fallback for `web`. */
export const webAppRoutes = (web: WebApp): FastifyPluginAsync => async (app) => {
  const assets = join(web.dist, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets, prefix: '/assets/', decorateReply: false, preCompressed: true, index: false,
      cacheControl: false,
      setHeaders: (reply) => {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
        reply.header('x-content-type-options', 'nosniff');
      },
    });
  }
  // Top-level files of the build (favicon, robots.txt): known at start, served as they are.
  const topFiles = new Set(readdirSync(web.dist).filter((f) => f !== 'index.html' && statSync(join(web.dist, f)).isFile()));
  const TYPES: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon', txt: 'text/plain; charset=utf-8', json: 'application/json' };

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (SERVER_PATHS.test(path)) return reply.callNotFound();
    const name = path.slice(1);
    if (topFiles.has(name)) {
      const ext = name.split('.').pop() ?? '';
      return reply.header('cache-control', 'public, max-age=86400').type(TYPES[ext] ?? 'application/octet-stream')
        .send(createReadStream(join(web.dist, name)));
    }
    // A missing file (an old asset name, a typo with an extension) is a plain 404, not the app.
    if (/\.[a-z0-9]{1,5}$/i.test(name)) return reply.callNotFound();
    return web.sendShell(reply);
  });
};
