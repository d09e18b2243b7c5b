/**
 * The citizen after submitting: a one-time code by SMS, supplementing, withdrawing and thanking.
 * Every body proves the case with exactly one of phone, code or token (app/citizen-proof.ts).
 * Limited per IP and per citizen; the POSTs honour Idempotency-Key.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CitizenSupplementBody, CitizenThankBody, CitizenWithdrawBody, supplementAsCitizen, thankAsCitizen, withdrawAsCitizen,
} from '../../app/citizen-actions.ts';
import type { Deps } from '../../app/deps.ts';
import { sendTrackingCode } from '../../app/tracking-code.ts';
import { perCitizen } from '../citizen-limit.ts';
import { TrackParams } from './public.ts';

const Outcome = z.object({ trackingNo: z.string(), status: z.string(), statusLabel: z.string() });

export const citizenRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  const limited = {
    config: { rateLimit: { max: deps.config.publicRateLimit, timeWindow: 60_000 }, idempotent: true },
    preHandler: perCitizen(app, deps),
  };

  app.post('/api/v1/track/:trackingNo/code', {
    ...limited,
    schema: {
      tags: ['citizen'], params: TrackParams,
      summary: 'Text a one-time code (6 digits, 10 minutes, 5 tries, used once) to the phone given at submission; the answer is the same whether or not a text went out',
      response: { 202: z.object({ sent: z.literal(true), expiresInSeconds: z.number() }) },
    },
  }, async (req, reply) => reply.status(202).send(await sendTrackingCode(deps, req.params.trackingNo)));

  app.post('/api/v1/track/:trackingNo/supplement', {
    ...limited,
    schema: {
      tags: ['citizen'], params: TrackParams, body: CitizenSupplementBody, response: { 200: Outcome },
      summary: 'Add information (and files uploaded before, by id) to a request that is not answered yet; resumes a request waiting for the citizen',
    },
  }, async (req) => supplementAsCitizen(deps, req.params.trackingNo, req.body));

  app.post('/api/v1/track/:trackingNo/withdraw', {
    ...limited,
    schema: { tags: ['citizen'], params: TrackParams, body: CitizenWithdrawBody, response: { 200: Outcome }, summary: 'Withdraw a request that is not resolved yet' },
  }, async (req) => withdrawAsCitizen(deps, req.params.trackingNo, req.body));

  app.post('/api/v1/track/:trackingNo/thank', {
    ...limited,
    schema: {
      tags: ['citizen'], params: TrackParams, body: CitizenThankBody,
      response: { 201: Outcome.extend({ praiseTrackingNo: z.string().nullable() }) },
      summary: 'Send a thank-you letter (表扬) for a resolved or closed request: it becomes a praise case addressed to the unit that handled it',
    },
  }, async (req, reply) => reply.status(201).send(await thankAsCitizen(deps, req.params.trackingNo, req.body)));
};
