/**
 * Intake channels: QR codes and the page they open (public), mailboxes (public list, admin
 * settings) and the operator's walk-in/hotline registration.
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../app/deps.ts';
import { MailboxBody, listMailboxes, setMailbox } from '../../app/mailboxes.ts';
import { getQrUnit, qrImage } from '../../app/qr.ts';
import { IntakeBody, registerIntake } from '../../app/register-intake.ts';
import { DomainError } from '../../domain/errors.ts';
import { requireStaff, staffOf } from '../auth.ts';
import { SUBMIT_PAGE_CSP, renderMissingPage, renderSubmitPage } from '../submit-page.ts';
import type { WebApp } from '../web-app.ts';

const Code = z.object({ code: z.string().max(40) });
const CACHE_DAY = 'public, max-age=86400';

/** With `web`, `/r/{unitCode}` opens the web app's QR page (same URL as the printed codes); without, a server-rendered form. */
export const intakeRoutes = (deps: Deps, web: WebApp | null = null): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/units/:code/qr.png', {
    schema: { tags: ['units'], summary: '书记在线 QR code of a district, street, community or site (PNG)', params: Code },
  }, async (req, reply) => reply.header('cache-control', CACHE_DAY).type('image/png').send(await qrImage(deps, req.params.code, 'png')));

  app.get('/api/v1/units/:code/qr.svg', {
    schema: { tags: ['units'], summary: '书记在线 QR code of a district, street, community or site (SVG)', params: Code },
  }, async (req, reply) => reply.header('cache-control', CACHE_DAY).type('image/svg+xml').send(await qrImage(deps, req.params.code, 'svg')));

  app.get('/r/:code', { schema: { hide: true, params: Code } }, async (req, reply) => {
    if (web) {
      const found = await getQrUnit(deps, req.params.code).then(() => true, (e) => {
        if (e instanceof DomainError && e.code === 'not_found') return false;
        throw e;
      });
      return web.sendShell(reply, found ? 200 : 404);
    }
    reply.header('content-security-policy', SUBMIT_PAGE_CSP).header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8');
    try {
      const unit = await getQrUnit(deps, req.params.code);
      return reply.header('cache-control', 'public, max-age=300').send(renderSubmitPage(unit));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'not_found') return reply.status(404).send(renderMissingPage());
      throw e;
    }
  });

  app.get('/api/v1/mailboxes', {
    schema: { tags: ['mailboxes'], summary: '局长信箱: the open mailboxes of bureaus (public)' },
  }, async () => listMailboxes(deps));

  app.register(async (scope) => {
    const auth = scope.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));

    auth.put('/api/v1/units/:code/mailbox', {
      schema: { tags: ['mailboxes'], summary: 'Open, edit or close a bureau\'s mailbox (admin)', params: Code, body: MailboxBody },
    }, async (req) => setMailbox(deps, staffOf(req), req.params.code, req.body));

    auth.post('/api/v1/intake', {
      config: { idempotent: true },
      schema: {
        tags: ['cases'], body: IntakeBody,
        summary: 'Register a walk-in visit or hotline call for a citizen (operator); `then` dispatches or answers it at once',
      },
    }, async (req, reply) => reply.status(201).send(await registerIntake(deps, staffOf(req), req.body)));
  });
};
