import { B24Error, errorFromBody } from "../errors/b24-error.js";
import { onAbort } from "../time/abort-listeners.js";
import type { Clock } from "../time/clock.js";
import type { CallResult } from "../wire/call-result.js";
import type { FetchLike } from "../wire/fetch-like.js";
import type { RestCall, Send } from "./rest-call.js";

export type { FetchLike } from "../wire/fetch-like.js";

export interface TransportOptions {
  fetch: FetchLike;
  /** Per request, the body included; below the portal's own 60 s limit (docs/protocol.md §3.7). */
  timeoutMs: number;
  /** Answers larger than this are cut off with ANSWER_TOO_LARGE instead of filling memory. */
  maxAnswerBytes: number;
  clock: Clock;
}

/**
 * The portal answered with a redirect. Never followed here: the auth step
 * decides whether the new address may receive the call's credentials.
 */
export class PortalRedirect extends Error {
  constructor(
    readonly from: string,
    readonly location: string,
  ) {
    super("the portal answered with a redirect");
    this.name = "PortalRedirect";
  }
}

/**
 * REST 3.0's address of the same credentials: `…/rest/` → `…/rest/api/`,
 * `…/rest/1/code/` → `…/rest/api/1/code/` (api-reference/rest-v3.md).
 */
export function v3Base(baseUrl: string): string {
  return baseUrl.replace(/\/rest\/(?!api\/)/, "/rest/api/");
}

/** Failures before the request could have been read by the portal: safe to repeat even for writes. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** The TLS handshake refused the portal's certificate: nothing was sent, and repeating cannot help. */
const CERTIFICATE = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the portal";
  }
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

class AnswerTooLarge extends Error {}

/** Reads the body as text, refusing to hold more than `max` bytes of it. */
async function readCapped(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    throw new AnswerTooLarge();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new AnswerTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * The last step: one HTTP POST of the call as JSON (never data in a GET query
 * string: URLs have length limits and end up in logs), with `auth` in the body
 * for OAuth. Redirects are not followed (see PortalRedirect). The timeout,
 * on the client's clock, covers reading the body too; the caller's signal
 * aborts at once. Error envelopes become B24Errors.
 */
export function httpTransport(options: TransportOptions): Send {
  return async (call: RestCall): Promise<CallResult<unknown>> => {
    const endpoint = call.endpoint;
    if (!endpoint) throw new Error("transport: no endpoint (the auth step sets it)");
    const url = `${call.api === "v3" ? v3Base(endpoint.baseUrl) : endpoint.baseUrl}${call.method}`;
    const body = endpoint.accessToken ? { ...call.params, auth: endpoint.accessToken } : call.params;
    const controller = new AbortController();
    const stopTimer = new AbortController();
    let timedOut = false;
    options.clock.sleep(options.timeoutMs, stopTimer.signal).then(
      () => {
        timedOut = true;
        controller.abort(new Error(`no answer within ${options.timeoutMs} ms`));
      },
      () => {},
    );
    const abortWithCaller = () => controller.abort(call.signal?.reason);
    const stopListening = call.signal ? onAbort(call.signal, abortWithCaller) : () => {};
    if (call.signal?.aborted) abortWithCaller();
    call.trace.status = 0;
    try {
      const res = await options.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...call.headers },
        body: JSON.stringify(body),
        redirect: "manual",
        signal: controller.signal,
      });
      call.trace.status = res.status;
      if (res.type === "opaqueredirect") {
        // Browsers hide redirect targets from scripts: the portal moved and nobody here can see where.
        throw new B24Error({
          code: "PORTAL_MOVED",
          status: 302,
          method: call.method,
          description:
            "the portal answered with a redirect (its domain changed); read the new client_endpoint on the server side",
        });
      }
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel().catch(() => {});
        throw new PortalRedirect(url, new URL(location, url).toString());
      }
      const text = await readCapped(res, options.maxAnswerBytes);
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        throw new B24Error({
          code: "BAD_RESPONSE",
          status: res.status,
          method: call.method,
          description: `the portal answered with something that is not JSON: ${text.slice(0, 120)}`,
          retryable: res.status >= 500,
        });
      }
      const envelope = parsed as (CallResult<unknown> & { error?: unknown }) | undefined;
      if (res.ok && envelope && typeof envelope === "object" && envelope.error === undefined) return envelope;
      throw errorFromBody(res.status, parsed, call.method);
    } catch (error) {
      if (error instanceof B24Error || error instanceof PortalRedirect) throw error;
      if (call.signal?.aborted) throw call.signal.reason ?? error;
      if (error instanceof AnswerTooLarge) {
        throw new B24Error({
          code: "ANSWER_TOO_LARGE",
          status: call.trace.status,
          method: call.method,
          description: `the answer is larger than ${options.maxAnswerBytes} bytes`,
        });
      }
      const code = causeCode(error);
      if (code && !timedOut && CERTIFICATE.has(code))
        throw new B24Error({
          code: "CERTIFICATE_UNTRUSTED",
          status: 0,
          method: call.method,
          description: `the TLS certificate of ${hostOf(url)} is not trusted here (${code})`,
          mayHaveReachedPortal: false,
          cause: error,
        });
      throw new B24Error({
        code: timedOut ? "TIMEOUT" : "NETWORK_ERROR",
        status: 0,
        method: call.method,
        description: timedOut
          ? `no answer within ${options.timeoutMs} ms`
          : `${(error as Error).message}${code ? ` (${code})` : ""}`,
        mayHaveReachedPortal: timedOut || !code || !NOT_SENT.has(code),
        cause: error,
      });
    } finally {
      stopTimer.abort();
      stopListening();
    }
  };
}
