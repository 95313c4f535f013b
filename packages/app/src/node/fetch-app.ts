/** What an adapter knows about the connection that the `Request` itself cannot say. */
export interface FetchEnv {
  /** The client's IP address: the socket's peer, or X-Forwarded-For's first hop behind a trusted proxy. */
  clientAddress?: string;
  /** The request's body as the adapter read it, for an app with `readsRawBody` (its Request then has none). */
  rawBody?: Uint8Array;
}

/** A web-standard app (as Hono's `app.fetch`): what the Node adapter serves. */
export interface FetchApp {
  fetch(request: Request, env?: FetchEnv): Promise<Response>;
  /** The app takes bodies as `env.rawBody` (cheaper than a web body stream); others get them in the Request. */
  readonly readsRawBody?: boolean;
}
