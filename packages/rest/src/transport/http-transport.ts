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
    const attempt = await postOnce(fetchFn, target, payload, options);
    if (attempt.kind === "answer") return attempt.answer;
    if (moves >= MAX_MOVES) {
      throw new B24Error({
        code: "BAD_RESPONSE",
        status: 302,
        description: "too many redirects",
        kind: "transport",
      });
    }
    const next = new URL(attempt.location, target).toString();
    if (new URL(target).protocol === "https:" && new URL(next).protocol !== "https:") {
      // The body carries the access token: never follow a move to plain HTTP.
      throw new B24Error({
        code: "BAD_RESPONSE",
        status: 302,
        description: `refusing to follow a redirect from https to ${next}`,
        kind: "transport",
        retryable: false,
      });
    }
    options.onMoved?.(target, next);
    target = next;
  }
}

type Attempt = { kind: "answer"; answer: PortalAnswer } | { kind: "moved"; location: string };

/**
 * One POST, with its own abort controller wired to the caller's signal and
 * the timeout (which covers reading the body too); both are undone in
 * `finally`, because callers often share one long-lived signal across
 * thousands of calls.
 */
async function postOnce(
  fetchFn: FetchLike,
  target: string,
  payload: string,
  options: PostOptions,
): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`no answer within ${options.timeoutMs} ms`));
  }, options.timeoutMs);
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  try {
    const res = await fetchFn(target, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: payload,
      redirect: "manual",
      signal: controller.signal,
    });
    if (res.type === "opaqueredirect") {
      // Browsers hide redirect targets from scripts: the portal moved and we cannot see where.
      throw new B24Error({
        code: "PORTAL_MOVED",
        status: 302,
        kind: "portal",
        retryable: false,
        description:
          "the portal answered with a redirect (its domain changed); read the new client_endpoint on the server side",
      });
    }
    const location = res.headers.get("location");
    if ([301, 302, 307, 308].includes(res.status) && location) {
      await res.body?.cancel();
      return { kind: "moved", location };
    }
    const text = await res.text();
    try {
      return {
        kind: "answer",
        answer: { status: res.status, body: text ? JSON.parse(text) : undefined, url: target },
      };
    } catch {
      throw new B24Error({
        code: "BAD_RESPONSE",
        status: res.status,
        description: `the portal answered with something that is not JSON: ${text.slice(0, 120)}`,
        kind: "transport",
        retryable: res.status >= 500,
      });
    }
  } catch (error) {
    if (error instanceof B24Error) throw error;
    if (options.signal?.aborted) throw options.signal.reason ?? error;
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
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
