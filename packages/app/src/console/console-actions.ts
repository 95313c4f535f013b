import { B24Error } from "@b24kit/rest";
import { AppError } from "../core/app-error.js";
import { scrubText } from "../logging/secret-redaction.js";
import type { ConsoleDeps } from "./console-deps.js";

/** The messages after an action, by key: the redirect carries the key (and an error code), never text. */
export const FLASH = {
  "probe-ok": "The portal was probed again; its plan and capabilities are up to date.",
  "probe-failed": "The probe failed",
  "refresh-ok": "The tokens were refreshed.",
  "refresh-failed": "The token refresh failed",
  "replay-ok": "The dead letter was queued again; a worker runs it next.",
  "replay-missing": "No such dead letter (replayed already?).",
  "replay-failed": "The replay failed",
  "no-queue": "This app has no event queue.",
} as const;

export type FlashKey = keyof typeof FLASH;

/** The flash of a redirect after an action: a known key and, optionally, an error code. */
export function flashOf(request: Request): { text: string; bad?: boolean } | undefined {
  const params = new URL(request.url).searchParams;
  const key = params.get("done") ?? "";
  if (!(key in FLASH)) return undefined;
  const code = params.get("code") ?? "";
  const text = FLASH[key as FlashKey] + (/^[\w.:-]{1,64}$/.test(code) ? `: ${code}` : "");
  return { text, ...(key.endsWith("-ok") ? {} : { bad: true }) };
}

/** What an action did; `code` (an error code) is safe to show. */
export interface ActionResult {
  ok: boolean;
  flash: FlashKey;
  code?: string;
}

function codeOf(error: unknown): string {
  if (error instanceof B24Error || error instanceof AppError) return error.code;
  return error instanceof Error ? error.name : "ERROR";
}

/** One `operator` line in the tenant's audit log per action, whatever its outcome. */
async function audited(
  deps: ConsoleDeps,
  memberId: string,
  operator: string,
  action: string,
  detail: Record<string, unknown>,
  failed: FlashKey,
  run: () => Promise<ActionResult & { detail?: Record<string, unknown> }>,
): Promise<ActionResult> {
  const started = deps.rt.now();
  let result: ActionResult & { detail?: Record<string, unknown> };
  try {
    result = await run();
  } catch (error) {
    result = {
      ok: false,
      flash: failed,
      code: codeOf(error),
      detail: {
        errorCode: codeOf(error),
        error: scrubText(error instanceof Error ? error.message : String(error)),
      },
    };
  }
  await deps.rt.audit.record(memberId, {
    kind: "operator",
    action,
    outcome: result.ok ? "ok" : "error",
    durationMs: deps.rt.now() - started,
    detail: { operator, ...detail, ...result.detail },
  });
  return { ok: result.ok, flash: result.flash, ...(result.code ? { code: result.code } : {}) };
}

/** Probes the portal again (plan, scopes, methods, features) and stores what it found. */
export function rerunProbe(deps: ConsoleDeps, memberId: string, operator: string): Promise<ActionResult> {
  return audited(deps, memberId, operator, "console probe", {}, "probe-failed", async () => {
    await deps.rt.capabilities.refresh(memberId);
    return { ok: true, flash: "probe-ok" };
  });
}

/**
 * Renews the tenant's tokens now, through its own client (the refresh lock, the vault's
 * compare-and-swap, the `oauth` audit line): as the client does when the portal refuses a token.
 */
export function forceRefresh(deps: ConsoleDeps, memberId: string, operator: string): Promise<ActionResult> {
  return audited(deps, memberId, operator, "console token refresh", {}, "refresh-failed", async () => {
    const client = deps.rt.clients.forPortal(memberId);
    const current = await client.auth.current();
    const forced = new B24Error({
      code: "expired_token",
      status: 401,
      kind: "auth",
      description: "an operator asked for new tokens",
      retryable: false,
    });
    await client.auth.renew(current, forced);
    const tokens = await deps.rt.store.tenant(memberId).tokens.load();
    return {
      ok: true,
      flash: "refresh-ok",
      detail: tokens ? { expiresAt: new Date(tokens.expiresAt).toISOString() } : {},
    };
  });
}

/** Puts a dead-lettered job back in the queue as a fresh job (`queue.retryDead`). */
export function replayDeadLetter(
  deps: ConsoleDeps,
  memberId: string,
  operator: string,
  jobId: string,
): Promise<ActionResult> {
  return audited(deps, memberId, operator, "console replay", { job: jobId }, "replay-failed", async () => {
    if (!deps.queue) return { ok: false, flash: "no-queue" };
    const [job] = (await deps.queue.deadLetters({ memberId, limit: 10_000 })).filter((j) => j.id === jobId);
    const replayed = await deps.queue.retryDead(memberId, jobId);
    const event =
      job && typeof job.payload === "object" && job.payload && "event" in job.payload
        ? String(job.payload.event)
        : job?.kind;
    const detail = event ? { event } : {};
    return replayed
      ? { ok: true, flash: "replay-ok", detail }
      : { ok: false, flash: "replay-missing", detail };
  });
}
