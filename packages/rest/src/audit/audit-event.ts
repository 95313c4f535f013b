/** What the audit hook receives for every call (batch and list pages included), secrets removed. */
export interface AuditEvent {
  /** ISO time the call started. */
  at: string;
  portal: string;
  method: string;
  ok: boolean;
  /** HTTP status of the last attempt (0 when no answer came). */
  status: number;
  /** The portal's error code when it failed. */
  code?: string;
  durationMs: number;
  attempts: number;
  /** Milliseconds spent waiting for the rate limit, the operating budget or a limit refusal's backoff. */
  waitedMs: number;
  /** Whether credentials were renewed during the call. */
  renewed: boolean;
  /** The call's parameters, redacted. */
  params: unknown;
  /** Commands in a batch call. */
  commands?: number;
}
