import type { FetchLike } from "../wire/fetch-like.js";

/** One request as the fake transport saw it. */
export interface FakeRequest {
  url: string;
  /** The REST method: the last path segment (`…/rest/1/abc/crm.deal.get` → `crm.deal.get`). */
  method: string;
  /** The JSON body, parsed (form bodies are parsed into a flat object). */
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** Aborts when the client gives up (timeout, caller's signal). */
  signal: AbortSignal | undefined;
}

/** What a handler returns: an answer, or a Response built by hand. */
export type FakeAnswer = { status?: number; body?: unknown; headers?: Record<string, string> } | Response;

export type FakeHandler = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

/** A success envelope as the portal writes it. */
export function ok(result: unknown, extra: Record<string, unknown> = {}): FakeAnswer {
  return { status: 200, body: { result, ...extra } };
}

/** An error envelope with its HTTP status. */
export function fail(status: number, error: string, description = ""): FakeAnswer {
  return { status, body: { error, error_description: description } };
}

/** A redirect (a renamed portal answers 302 to its new address). */
export function redirect(location: string, status = 302): FakeAnswer {
  return { status, body: "", headers: { location } };
}

/** What Node's fetch throws when the connection fails (`ECONNREFUSED`, `ECONNRESET`, …). */
export function networkError(code = "ECONNRESET"): Error {
  return Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });
}

/**
 * A `fetch` for the client's `fetch` option that answers from a handler and
 * records every request: the client's pipeline runs for real, only the network
 * is replaced. Throwing from the handler (e.g. `throw networkError()`) fails
 * the request as the network would.
 */
export function fakeTransport(handler: FakeHandler): FetchLike & { requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const fetchFn = async (url: string, init: RequestInit): Promise<Response> => {
    init.signal?.throwIfAborted();
    const text = typeof init.body === "string" ? init.body : "";
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    let body: Record<string, unknown> = {};
    if (text) {
      body = headers["content-type"]?.includes("json")
        ? (JSON.parse(text) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(text));
    }
    const request: FakeRequest = {
      url,
      method: new URL(url).pathname.split("/").filter(Boolean).at(-1) ?? "",
      body,
      headers,
      signal: init.signal ?? undefined,
    };
    requests.push(request);
    const answer = await handler(request);
    init.signal?.throwIfAborted();
    if (answer instanceof Response) return answer;
    const payload = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {});
    return new Response(payload, {
      status: answer.status ?? 200,
      headers: { "content-type": "application/json", ...answer.headers },
    });
  };
  return Object.assign(fetchFn, { requests });
}
