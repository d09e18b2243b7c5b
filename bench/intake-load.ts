/**
 * The load generator for bench/intake.bench.ts, run as a child process (so autocannon does not
 * share the server's event loop): `fork()` it with `--import tsx` and the options as JSON in
 * argv[2]; it sends back one LoadResult over IPC and exits.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Up to 3 `status body` samples of non-2xx responses. */
  samples: string[];
  /** CPU time this process used, as a share of one core. */
  cpu: number;
}

const BODY = {
  content: '玉塘街道田寮社区某小区门口路灯坏了一个多月，晚上很黑，老人孩子出行不安全，请尽快派人维修。',
  type: 'complaint',
  category: '市政设施',
  unitCode: '440311005',
  address: '光明区玉塘街道田寮社区',
  citizen: { name: '张三', phone: '' },
};

async function load(opts: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const samples: string[] = [];
  const cpu0 = process.cpuUsage();
  const r = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [{
      method: 'POST',
      path: '/api/v1/requests',
      headers: { 'content-type': 'application/json' },
      // A different citizen every request: 138 + 8 digits.
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...BODY, citizen: { ...BODY.citizen, phone: `138${String(n++ % 1e8).padStart(8, '0')}` } }) }),
      onResponse: (status, body) => {
        if ((status < 200 || status > 299) && samples.length < 3) samples.push(`${status} ${body.slice(0, 300)}`);
      },
    }],
  });
  const cpu = process.cpuUsage(cpu0);
  return {
    ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, seconds: r.duration,
    p50: r.latency.p50, p99: r.latency.p99, samples, cpu: (cpu.user + cpu.system) / 1e6 / r.duration,
  };
}

process.on('disconnect', () => process.exit(1)); // the parent died: do not linger
const result = await load(JSON.parse(process.argv[2]!) as LoadOptions);
process.send!(result, () => process.exit(0));
