import { B24Error } from "@b24kit/rest";
import { MissingCapabilityError } from "../capabilities/missing-capability-error.js";
import type { Runtime } from "../core/runtime.js";
import { appOptions } from "../options/portal-options.js";
import { tenantKv } from "../options/tenant-kv.js";
import type { JobRunner, QueuedJob } from "../queue/job-queue.js";
import { ROBOT_JOB } from "../robots/robot-job.js";
import type { RobotHandlers } from "../robots/robot-types.js";
import { runRobot } from "../robots/run-robot.js";
import { canCallPortal } from "../tenants/tenant-state.js";
import { EVENT_JOB, type EventJobPayload, OFFLINE_DRAIN_JOB } from "./event-job.js";
import { eventMatcher } from "./event-matching.js";
import type { EventMetrics } from "./event-metrics.js";
import type { EventContext, EventHandlers } from "./event-types.js";
import { runOfflineDrain } from "./offline-runner.js";
import { workerClient } from "./worker-client.js";

/** Bot events go to the bot router when the app has one (bots/). */
export type BotDispatch = (input: {
  memberId: string;
  event: string;
  data: unknown;
  client: EventContext["b24"];
}) => Promise<"handled" | "ignored">;

export interface EventRunnerDeps {
  rt: Runtime;
  handlers: EventHandlers;
  bots?: BotDispatch;
  robots?: RobotHandlers;
  metrics: EventMetrics;
  enqueue: Parameters<typeof runOfflineDrain>[0]["enqueue"];
  /** The longest a job's REST call waits for limits before the job is postponed (default 2000 ms). */
  maxLimitWaitMs?: number;
  authConnector?: string;
}

/** Codes that mean "the portal is busy, come back later": the job is postponed, not failed. */
const LIMIT_CODES = new Set(["LIMIT_WAIT_EXCEEDED", "QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT"]);
const DEFAULT_POSTPONE_MS = 1000;
const TENANT_CACHE_MS = 1000;

/**
 * Runs queued jobs: an event goes to its handler with a context bound to its
 * tenant; a throttled portal's jobs are postponed as a group (the worker moves
 * on to other portals); a handler's failure is retried by the queue and, on
 * the last attempt, is a dead letter in the audit log and the metrics.
 */
export function createEventRunner(deps: EventRunnerDeps): JobRunner {
  const { rt } = deps;
  const matcher = eventMatcher(rt);
  /** Portals that said "slow down", until when: their jobs wait without running. */
  const throttledUntil = new Map<string, number>();
  /**
   * Tenant records read in the last second: a burst of one portal's events reads its record once.
   * A state change (uninstall) is seen within that second; the portal's own answers stay the authority.
   */
  const recent = new Map<string, { tenant: Awaited<ReturnType<Runtime["tenants"]["get"]>>; at: number }>();
  const tenantOf = async (memberId: string) => {
    const hit = recent.get(memberId);
    if (hit && rt.now() - hit.at < TENANT_CACHE_MS) return hit.tenant;
    const tenant = await rt.tenants.get(memberId);
    if (recent.size >= 10_000) recent.clear();
    recent.set(memberId, { tenant, at: rt.now() });
    return tenant;
  };

  return async (job: QueuedJob) => {
    const waitMs = (throttledUntil.get(job.memberId) ?? 0) - rt.now();
    if (waitMs > 0) return { postponeMs: waitMs };
    const tenant = await tenantOf(job.memberId);
    if (!tenant || !canCallPortal(tenant.state)) {
      deps.metrics.event(eventName(job), "skipped");
      return undefined;
    }
    const client = rt.clients.forPortal(job.memberId);
    const b24 = rt.capabilities.guard(
      job.memberId,
      workerClient(client, {
        maxLimitWaitMs: deps.maxLimitWaitMs ?? 2000,
        ...(deps.authConnector ? { authConnector: deps.authConnector } : {}),
      }) as typeof client,
    );
    const started = rt.now();
    try {
      if (job.kind === OFFLINE_DRAIN_JOB || eventName(job) === "ONOFFLINEEVENT") {
        await runOfflineDrain({ rt, memberId: job.memberId, client: b24, enqueue: deps.enqueue });
        return undefined;
      }
      if (job.kind === ROBOT_JOB) {
        const handled = await runRobot(job, {
          handlers: deps.robots ?? {},
          store: rt.store,
          tenant,
          b24,
          client,
          appOptions: appOptions(client, { limitBytes: rt.config.optionLimitBytes }),
        });
        deps.metrics.event("ROBOT", handled ? "processed" : "unhandled");
        return undefined;
      }
      if (job.kind !== EVENT_JOB) throw new Error(`No runner for jobs of kind ${job.kind}`);
      const stored = job.payload as unknown as EventJobPayload;
      if (await matcher.isDuplicate(job, stored)) {
        deps.metrics.event(stored.event, "duplicate");
        return undefined;
      }
      const handled = await dispatch(stored, job, { tenant, b24, client });
      deps.metrics.event(stored.event, handled ? "processed" : "unhandled", rt.now() - stored.receivedAt);
      return undefined;
    } catch (error) {
      const retryAfter = limitWait(error);
      if (retryAfter !== undefined) {
        throttledUntil.set(job.memberId, rt.now() + retryAfter);
        deps.metrics.postponed(eventName(job));
        return { postponeMs: retryAfter };
      }
      const permanent = error instanceof MissingCapabilityError;
      const dead = permanent || job.attemptsMade + 1 >= job.maxAttempts;
      deps.metrics.event(eventName(job), dead ? "dead" : "failed");
      rt.audit.record(job.memberId, {
        kind: "event",
        action: eventName(job),
        outcome: "error",
        durationMs: rt.now() - started,
        detail: {
          job: job.id,
          attempt: job.attemptsMade + 1,
          of: job.maxAttempts,
          deadLetter: dead,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        },
      });
      // A capability the portal lacks will not appear on a retry: recorded above, not repeated.
      if (permanent) return undefined;
      throw error;
    }
  };

  async function dispatch(
    stored: EventJobPayload,
    job: QueuedJob,
    bound: Pick<EventContext, "tenant" | "b24" | "client">,
  ): Promise<boolean> {
    if (deps.bots && stored.event.startsWith("ONIMBOT")) {
      const routed = await deps.bots({
        memberId: job.memberId,
        event: stored.event,
        data: stored.data,
        client: bound.b24,
      });
      if (routed === "handled") return true;
    }
    const handler = deps.handlers[stored.event];
    if (!handler) return false;
    const ctx: EventContext = {
      id: job.id,
      event: stored.event,
      data: stored.data,
      ts: stored.ts,
      source: stored.source,
      ...(stored.userId ? { userId: stored.userId } : {}),
      attempt: job.attemptsMade + 1,
      ...bound,
      appOptions: appOptions(bound.client, { limitBytes: rt.config.optionLimitBytes }),
      kv: tenantKv(rt.store, job.memberId),
    };
    await handler(ctx);
    return true;
  }
}

function eventName(job: QueuedJob): string {
  if (job.kind === ROBOT_JOB) return "ROBOT";
  if (job.kind !== EVENT_JOB) return job.kind;
  const payload = job.payload as { event?: unknown } | null;
  return typeof payload?.event === "string" ? payload.event : "UNKNOWN";
}

/** How long to hold a portal's jobs after a limit answer, or undefined for other errors. */
function limitWait(error: unknown): number | undefined {
  const cause = error instanceof MissingCapabilityError ? undefined : error;
  if (!(cause instanceof B24Error) || !LIMIT_CODES.has(cause.code)) return undefined;
  const retryAfter = (cause as B24Error & { retryAfterMs?: number }).retryAfterMs;
  return typeof retryAfter === "number" && retryAfter > 0 ? retryAfter : DEFAULT_POSTPONE_MS;
}
