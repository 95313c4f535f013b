/**
 * Bodies a server adapter read already, handed over beside the Request
 * instead of inside it (`FetchEnv.rawBody`): building a web body stream for a
 * few hundred bytes and reading it back costs more than the rest of an event's
 * acknowledgement. Keyed weakly: gone with the request.
 */
const RAW_BODIES = new WeakMap<Request, Uint8Array>();

export function attachRawBody(request: Request, bytes: Uint8Array): void {
  RAW_BODIES.set(request, bytes);
}

export function rawBodyOf(request: Request): Uint8Array | undefined {
  return RAW_BODIES.get(request);
}
