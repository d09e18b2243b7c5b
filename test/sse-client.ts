/** A minimal server-sent-events client over node:http for tests: read events one by one. */
import { request, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** The next event (comments skipped); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Comment lines seen so far (`: keep-alive`). */
  comments: string[];
  close(): void;
}

/** Opens a GET to `url` and parses the stream; resolves once the response headers arrive. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const queue: SseEvent[] = [];
      const waiters: ((e: SseEvent) => void)[] = [];
      const comments: string[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const e: SseEvent = { data: '' };
          let has = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('data: ')) { e.data += (e.data ? '\n' : '') + line.slice(6); has = true; }
            else if (line.startsWith('event: ')) { e.event = line.slice(7); has = true; }
            else if (line.startsWith('id: ')) e.id = line.slice(4);
          }
          if (!has) continue;
          const w = waiters.shift();
          if (w) w(e);
          else queue.push(e);
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        comments,
        next(timeoutMs = 5000) {
          const ready = queue.shift();
          if (ready) return Promise.resolve(ready);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
            waiters.push((e) => { clearTimeout(timer); ok(e); });
          });
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', (e) => reject(e));
    req.end();
  });
}
