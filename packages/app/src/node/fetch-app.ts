/** What an adapter knows about the connection that the `Request` itself cannot say. */
export interface FetchEnv {
  /** The client's IP address: the socket's peer, or X-Forwarded-For's first hop behind a trusted proxy. */
  clientAddress?: string;
}

/** A web-standard app (as Hono's `app.fetch`): what the Node adapter serves. */
export interface FetchApp {
  fetch(request: Request, env?: FetchEnv): Promise<Response>;
}
