import type { MethodCaller } from "@b24kit/rest";
import type { Runtime } from "../core/runtime.js";
import type { NewJob } from "../queue/job-queue.js";
import { drainOfflineEvents } from "./offline-drain.js";
import { readOfflineState, writeOfflineState } from "./offline-state.js";

/**
 * One drain of a tenant's offline queue (on ONOFFLINEEVENT and on the
 * periodic tick): only for tenants whose offline bindings the runtime made.
 */
export async function runOfflineDrain(input: {
  rt: Runtime;
  memberId: string;
  client: MethodCaller;
  enqueue(job: NewJob): Promise<boolean>;
}): Promise<void> {
  const { rt, memberId } = input;
  const state = await readOfflineState(rt.store, memberId);
  if (!state) return;
  const started = rt.now();
  const result = await drainOfflineEvents({
    client: input.client,
    memberId,
    enqueue: input.enqueue,
    now: rt.now,
    ...(state.connector ? { authConnector: state.connector } : {}),
    reservation: {
      get: async () => state.processId,
      set: async (processId) =>
        writeOfflineState(rt.store, memberId, {
          ...(state.connector ? { connector: state.connector } : {}),
          ...(processId ? { processId } : {}),
        }),
    },
  });
  if (result.read > 0)
    rt.audit.record(memberId, {
      kind: "event",
      action: "event.offline.drain",
      outcome: "ok",
      durationMs: rt.now() - started,
      detail: { ...result },
    });
}
