// Open-loop load over keep-alive connections: requests leave on a fixed schedule whether or not
// earlier ones were answered (as a portal's event queue sends), so a slow server shows up as
// latency, not as a politely lower rate. node:http's keep-alive Agent carries them.
import { Agent, request } from "node:http";

export interface LoadResult {
  /** Requests answered 200. */
  ok: number;
  /** Everything else: other statuses, connection errors, timeouts (status 0). */
  errors: number;
  statuses: Record<string, number>;
  /** Send → end of the response, ms, of the 200s. */
  latencies: number[];
  /** First send → last response end, ms. */
  elapsedMs: number;
}

export interface LoadOptions {
  url: string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** The form body of request i. */
  body(i: number): string;
  timeoutMs?: number;
  /** Stop sending early once this says so (checked before each send). */
  until?: () => boolean;
}

/** Plenty of sockets: a request never waits for a free one unless the server stalls that many. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export async function openLoop(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  let total = Math.max(1, Math.round(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  const result: LoadResult = { ok: 0, errors: 0, statuses: {}, latencies: [], elapsedMs: 0 };
  const start = performance.now();
  let lastEnd = start;
  let sent = 0;
  let settled = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const settle = (status: number, latencyMs: number) => {
    lastEnd = performance.now();
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    if (status === 200) {
      result.ok++;
      result.latencies.push(latencyMs);
    } else result.errors++;
    if (++settled === total) finish();
  };

  const send = (i: number) => {
    const body = options.body(i);
    const sentAt = performance.now();
    let answered = false;
    const once = (status: number) => {
      if (answered) return;
      answered = true;
      settle(status, performance.now() - sentAt);
    };
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        res.resume();
        res.once("end", () => once(res.statusCode ?? 0));
        res.once("error", () => once(0));
      },
    );
    req.once("timeout", () => req.destroy(new Error("timeout")));
    req.once("error", () => once(0));
    req.end(body);
  };

  // Every request whose time has come leaves now; then sleep until the next one is due.
  const tick = () => {
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) {
      if (options.until?.()) {
        total = sent;
        if (settled === total) finish();
        return;
      }
      send(sent++);
    }
    if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
  };
  tick();
  await done;
  result.elapsedMs = lastEnd - start;
  return result;
}

/**
 * As fast as the server takes them: `concurrency` requests in flight, each followed by the next
 * (a flooding portal). Resolves with the answers by status.
 */
export async function closedLoop(options: {
  url: string;
  total: number;
  concurrency: number;
  body(i: number): string;
}): Promise<Record<string, number>> {
  const target = new URL(options.url);
  const statuses: Record<string, number> = {};
  let next = 0;
  const post = (body: string) =>
    new Promise<number>((resolve) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.once("end", () => resolve(res.statusCode ?? 0));
          res.once("error", () => resolve(0));
        },
      );
      req.once("error", () => resolve(0));
      req.end(body);
    });
  const lane = async () => {
    while (next < options.total) {
      const status = await post(options.body(next++));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return statuses;
}

export interface Summary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

export function summarize(r: LoadResult): Summary {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    rps: round(r.ok / (r.elapsedMs / 1000), 1),
    p50Ms: round(percentile(sorted, 0.5), 2),
    p99Ms: round(percentile(sorted, 0.99), 2),
    maxMs: round(sorted.at(-1) ?? 0, 2),
    errors: r.errors,
  };
}

/** Nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
