import { B24Error } from "../errors/b24-error.js";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface PostOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called when the portal answered 302 (domain moved); the body is re-posted to the new URL. */
  onMoved?: (from: string, to: string) => void;
}

export interface PortalAnswer {
  status: number;
  body: unknown;
  /** Where the answer finally came from (differs after a domain move). */
  url: string;
}

/** Failures before the request could have been read by the portal: safe to repeat even for writes. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);
const MAX_MOVES = 3;

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/**
 * POSTs JSON to the portal (never data in a GET query string: URLs have length
 * limits and end up in logs). Follows 302 domain moves by re-posting the body,
 * which most HTTP stacks would turn into a GET without it (protocol.md §3.6).
 */
export async function postJson(
  fetchFn: FetchLike,
  url: string,
  body: unknown,
  options: PostOptions,
): Promise<PortalAnswer> {
  const payload = JSON.stringify(body);
  let target = url;
  for (let moves = 0; ; moves++) {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetchFn(target, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: payload,
        redirect: "manual",
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const timedOut = timeout.aborted;
      const code = causeCode(error);
      throw new B24Error({
        code: timedOut ? "TIMEOUT" : "NETWORK_ERROR",
        status: 0,
        description: timedOut
          ? `no answer within ${options.timeoutMs} ms`
          : `${(error as Error).message}${code ? ` (${code})` : ""}`,
        kind: "transport",
        mayHaveReachedPortal: timedOut || !code || !NOT_SENT.has(code),
        cause: error,
      });
    }
    const location = res.headers.get("location");
    if ((res.status === 301 || res.status === 302 || res.status === 307 || res.status === 308) && location) {
      await res.body?.cancel();
      if (moves >= MAX_MOVES) {
        throw new B24Error({
          code: "BAD_RESPONSE",
          status: res.status,
          description: "too many redirects",
          kind: "transport",
        });
      }
      const next = new URL(location, target).toString();
      options.onMoved?.(target, next);
      target = next;
      continue;
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new B24Error({
        code: "BAD_RESPONSE",
        status: res.status,
        description: `the portal answered with something that is not JSON: ${text.slice(0, 120)}`,
        kind: "transport",
        retryable: res.status >= 500,
      });
    }
    return { status: res.status, body: parsed, url: target };
  }
}
