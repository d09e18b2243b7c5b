/**
 * Open311 answers in the format the URL asks for (`….json` or `….xml`), and its errors as the
 * spec's list of `{code, description}`: 400 for bad input, 403 for the API key, 404 for unknown
 * ids and services. The code in the body is the HTTP status.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.ts';
import { HTTP_STATUS } from '../errors.ts';
import { toXml, type XmlValue } from './xml.ts';

export const FORMATS = ['json', 'xml'] as const;
export type Format = (typeof FORMATS)[number];

const CONTENT_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/** The format of a URL by its extension; XML (the spec's required format) when there is none. */
export const formatOfUrl = (url: string): Format => (/\.json(?:$|\?)/.test(url) ? 'json' : 'xml');

/** An error the Open311 error handler answers in the spec's format. */
export const open311Error = (status: 400 | 403 | 404, description: string) =>
  new DomainError(status === 400 ? 'bad_input' : status === 403 ? 'forbidden' : 'not_found', description);

/** The format path parameter, checked. @throws bad_input for anything but json or xml */
export function formatParam(format: string): Format {
  if ((FORMATS as readonly string[]).includes(format)) return format as Format;
  throw open311Error(400, `format: ${format} is not supported; use xml or json`);
}

/** Sends `value` as JSON, or as XML under `root` (lists become one child element per item). */
export function send(reply: FastifyReply, format: Format, root: string, value: XmlValue, status = 200) {
  const body = format === 'json' ? JSON.stringify(value) : toXml(root, value);
  return reply.status(status).type(CONTENT_TYPE[format]).send(body);
}

/** Sends the spec's error list. */
export function sendErrors(reply: FastifyReply, format: Format, status: number, description: string) {
  return send(reply, format, 'errors', [{ code: status, description }], status);
}

/** The error handler of the Open311 routes: every error in the spec's format. */
export function open311ErrorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  const format = formatOfUrl(req.url);
  if (err instanceof DomainError) return sendErrors(reply, format, HTTP_STATUS[err.code], err.message);
  const fe = err as FastifyError;
  if (fe.statusCode === 429) return sendErrors(reply, format, 429, 'too many requests; try again later');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return sendErrors(reply, format, 400, fe.message);
  req.log.error({ err }, 'unhandled error');
  return sendErrors(reply, format, 500, 'something went wrong on our side; please try again');
}
