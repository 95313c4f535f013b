import { randomUUID } from "node:crypto";

/** Headers a proxy, load balancer or calling service uses to name a request. */
const INBOUND_HEADERS = ["x-request-id", "x-correlation-id"] as const;

/**
 * An id we accept from outside: 1–128 characters of letters, digits and
 * `._:-` (UUIDs, ULIDs, AWS/GCP trace ids). Anything else — long values, spaces,
 * quotes, newlines — could forge log lines or bloat rows, and is replaced.
 */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isSaneCorrelationId(value: unknown): value is string {
  return typeof value === "string" && SANE_ID.test(value);
}

export function newCorrelationId(): string {
  return randomUUID();
}

type HeaderSource =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>
  | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof headers.get === "function")
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The correlation id of an inbound request: its `X-Request-Id` or
 * `X-Correlation-Id` when that looks sane, else a new one. Takes web
 * `Headers` or Node's lower-cased header object. The value is a label, never
 * an authority: anyone can send any id, so nothing is decided on it.
 */
export function correlationIdFrom(headers: HeaderSource): string {
  for (const name of INBOUND_HEADERS) {
    const value = header(headers, name)?.trim();
    if (isSaneCorrelationId(value)) return value;
  }
  return newCorrelationId();
}
