/**
 * Attachments over HTTP. Uploads are multipart/form-data with one file part (any field name)
 * plus text fields; downloads carry the stored type, a safe Content-Disposition, nosniff and a
 * sandboxing CSP. Multipart parsing is registered in this scope only: other routes refuse it.
 *
 * Citizens: `POST /api/v1/track/{no}/attachments` (fields: one of phone, code, token — the
 * submission's access token serves right after submitting), `GET …/attachments/{id}?token=…`.
 * Staff who can see the case: `POST /api/v1/cases/{id}/attachments` (field purpose: reply |
 * internal), `GET /api/v1/cases/{id}/attachments[/{attId}]`; outside their scope, 404.
 */
import multipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  StaffPurpose, addAttachment, listAttachmentViews, openAsCitizen, openAttachment, uploadAsCitizen, type Upload,
} from '../../app/attachments.ts';
import { withProof } from '../../app/citizen-proof.ts';
import type { Deps } from '../../app/deps.ts';
import { contentDisposition, type AttachmentMime } from '../../domain/attachment.ts';
import { badInput } from '../../domain/errors.ts';
import { requireStaff, staffOf } from '../auth.ts';
import { perCitizen } from '../citizen-limit.ts';
import { parse } from '../errors.ts';
import { TrackParams } from './public.ts';

const CitizenUploadFields = withProof({});
const StaffUploadFields = z.object({ purpose: StaffPurpose });
const AttachmentParams = z.object({ id: z.string().max(64), attId: z.string().max(64) });

interface Part { type: 'file' | 'field'; filename?: string; value?: unknown; data?: Buffer }

/** The one file and the text fields of a multipart body; bad_input for anything else. */
function formOf(body: unknown): { upload: Upload; fields: Record<string, unknown> } {
  let upload: Upload | null = null;
  const fields: Record<string, unknown> = {};
  for (const [name, part] of Object.entries((body ?? {}) as Record<string, Part | Part[]>)) {
    if (Array.isArray(part)) throw badInput(name, 'must be given once');
    if (part?.type === 'file') {
      if (upload) throw badInput(name, 'one file per request');
      upload = { bytes: part.data ?? Buffer.alloc(0), filename: part.filename ?? null };
    } else if (part?.type === 'field') {
      fields[name] = part.value;
    }
  }
  if (!upload) throw badInput('file', 'is required: send multipart/form-data with one file');
  return { upload, fields };
}

async function sendFile(reply: FastifyReply, f: Awaited<ReturnType<typeof openAttachment>>) {
  return reply
    .header('content-type', f.meta.mime)
    .header('content-length', f.size)
    .header('content-disposition', contentDisposition(f.meta.filename, f.meta.mime as AttachmentMime))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(f.stream);
}

export const attachmentRoutes = (deps: Deps): FastifyPluginAsyncZod => async (app) => {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: deps.config.attachmentMaxBytes, files: 1, fields: 8, fieldSize: 1024, fieldNameSize: 64, parts: 10, headerPairs: 20 },
  });
  // Reads the whole form before validation (files are at most a few MB), so the idempotency key
  // can fingerprint it; a form the parser chokes on is the sender's fault: 400, not 500.
  app.addHook('preValidation', async (req) => {
    if (!req.isMultipart()) return;
    const body: Record<string, Part | Part[]> = {};
    try {
      for await (const part of req.parts()) {
        const p: Part = part.type === 'file'
          ? { type: 'file', filename: part.filename, data: await part.toBuffer() }
          : { type: 'field', value: part.value };
        const had = body[part.fieldname];
        body[part.fieldname] = had === undefined ? p : [...(Array.isArray(had) ? had : [had]), p];
      }
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) throw e;
      throw badInput('body', 'is not well-formed multipart/form-data');
    }
    req.body = body;
  });
  const perIp = { rateLimit: { max: deps.config.publicRateLimit, timeWindow: 60_000 } };
  const View = z.object({
    id: z.string(), filename: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), purpose: z.string(), createdAt: z.date(),
  });

  app.post('/api/v1/track/:trackingNo/attachments', {
    config: { ...perIp, idempotent: true },
    preHandler: perCitizen(app, deps),
    schema: {
      tags: ['citizen'], params: TrackParams, consumes: ['multipart/form-data'], response: { 201: View },
      summary: 'Attach a photo (JPEG, PNG, WebP, HEIC) or PDF to one\'s request: multipart with the file and one of phone, code, token',
    },
  }, async (req, reply) => {
    const { upload, fields } = formOf(req.body);
    const proof = parse(CitizenUploadFields, fields);
    return reply.status(201).send(await uploadAsCitizen(deps, req.params.trackingNo, proof, upload));
  });

  app.get('/api/v1/track/:trackingNo/attachments/:attId', {
    config: perIp,
    preHandler: perCitizen(app, deps),
    schema: {
      tags: ['citizen'], params: TrackParams.extend({ attId: z.string().max(64) }), querystring: withProof({}),
      summary: 'Download a file of one\'s request (one\'s own files and the reply\'s)',
    },
  }, async (req, reply) => sendFile(reply, await openAsCitizen(deps, req.params.trackingNo, req.query, req.params.attId)));

  await app.register(async (staff) => {
    const auth = staff.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));

    auth.post('/api/v1/cases/:id/attachments', {
      config: { idempotent: true },
      schema: {
        tags: ['cases'], params: z.object({ id: z.string().max(64) }), consumes: ['multipart/form-data'], response: { 201: View },
        summary: 'Attach a photo or PDF to a case one can see: multipart with the file and purpose reply (shown to the citizen) or internal',
      },
    }, async (req, reply) => {
      const { upload, fields } = formOf(req.body);
      const { purpose } = parse(StaffUploadFields, fields);
      return reply.status(201).send(await addAttachment(deps, staffOf(req), req.params.id, upload, purpose));
    });

    auth.get('/api/v1/cases/:id/attachments', {
      schema: { tags: ['cases'], params: z.object({ id: z.string().max(64) }), summary: 'The attachments of a case' },
    }, async (req) => ({ items: await listAttachmentViews(deps, staffOf(req), req.params.id) }));

    auth.get('/api/v1/cases/:id/attachments/:attId', {
      schema: { tags: ['cases'], params: AttachmentParams, summary: 'Download an attachment of a case one can see' },
    }, async (req, reply) => sendFile(reply, await openAttachment(deps, staffOf(req), req.params.id, req.params.attId)));
  });
};
