import type { InboundSurface } from "../audit/inbound-audit.js";

/** What a request's handling learns as it goes, for its audit line. */
export interface RequestScope {
  surface: InboundSurface;
  correlationId: string;
  /** The portal the request is for, once the route has read it. */
  memberId?: string;
  /** Set once the request proved it comes from that portal (a tenant on file): its audit line needs no look-up. */
  verified?: boolean;
  /** The client's IP address, when the server adapter told it (`FetchEnv.clientAddress`). */
  clientAddress?: string;
}

/** A route handler: the request, the path's named parts, its scope. */
export type RouteHandler = (
  request: Request,
  params: Record<string, string>,
  scope: RequestScope,
) => Promise<Response>;

interface Route {
  method: string;
  parts: string[];
  surface: InboundSurface;
  handler: RouteHandler;
}

/**
 * A small method + path router over web-standard Requests (`/b24/placements/:code`).
 * Paths are matched segment by segment; `:name` takes one decoded segment.
 */
export class WebRouter {
  readonly #routes: Route[] = [];

  on(method: string, path: string, surface: InboundSurface, handler: RouteHandler): this {
    this.#routes.push({ method, parts: split(path), surface, handler });
    return this;
  }

  /** The handler for the request and its params; `allowed` lists methods the path has when the method does not match. */
  match(
    method: string,
    pathname: string,
  ):
    | { handler: RouteHandler; params: Record<string, string>; surface: InboundSurface }
    | { allowed: string[] }
    | undefined {
    const parts = split(pathname);
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const params = matchParts(route.parts, parts);
      if (!params) continue;
      if (route.method === method || (method === "HEAD" && route.method === "GET"))
        return { handler: route.handler, params, surface: route.surface };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function split(path: string): string[] {
  return path.split("/").filter(Boolean);
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of pattern.entries()) {
    const part = parts[i] ?? "";
    if (segment.startsWith(":")) {
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment !== part) return undefined;
  }
  return params;
}
