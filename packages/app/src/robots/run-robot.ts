import type { B24Client } from "@b24kit/rest";
import type { GuardedClient } from "../capabilities/guarded-call.js";
import type { JsonValue } from "../options/json-value.js";
import type { PortalOptions } from "../options/portal-options.js";
import { tenantKv } from "../options/tenant-kv.js";
import type { QueuedJob } from "../queue/job-queue.js";
import type { AppStore } from "../storage/app-store.js";
import type { TenantRecord } from "../storage/records.js";
import type { RobotJobPayload } from "./robot-job.js";
import { type RobotHandlers, robotDocument } from "./robot-types.js";

export interface RobotRunDeps {
  handlers: RobotHandlers;
  store: AppStore;
  tenant: TenantRecord;
  b24: GuardedClient;
  client: B24Client;
  appOptions: PortalOptions;
}

/**
 * Runs a robot's handler and, when the robot waits, answers the portal with
 * its return values (api-reference/bizproc/bizproc-robot/bizproc-event-send.md).
 * A handler that throws is retried by the queue; the portal's robot waits
 * meanwhile (and times out if every attempt fails). Resolves false when the
 * app has no handler for the code: the robot is then answered with nothing,
 * so the portal's automation goes on.
 */
export async function runRobot(job: QueuedJob, deps: RobotRunDeps): Promise<boolean> {
  const run = job.payload as unknown as RobotJobPayload;
  const handler = deps.handlers[run.code];
  const log: string[] = [];
  const values = handler
    ? await handler({
        code: run.code,
        workflowId: run.workflowId,
        document: robotDocument(run.documentId),
        properties: run.properties,
        attempt: job.attemptsMade + 1,
        ...(run.userId ? { userId: run.userId } : {}),
        tenant: deps.tenant,
        b24: deps.b24,
        client: deps.client,
        kv: tenantKv(deps.store, job.memberId),
        appOptions: deps.appOptions,
        log: (message) => void log.push(message),
      })
    : undefined;
  if (!handler) log.push(`This application has no handler for the robot ${run.code}`);
  if (run.waitsForAnswer)
    await deps.b24.call("bizproc.event.send", {
      EVENT_TOKEN: run.eventToken,
      RETURN_VALUES: (values ?? {}) as Record<string, JsonValue>,
      ...(log.length ? { LOG_MESSAGE: log.join("\n") } : {}),
    });
  return handler !== undefined;
}
