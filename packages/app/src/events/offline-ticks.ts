import type { Runtime } from "../core/runtime.js";
import type { JobQueue } from "../queue/job-queue.js";
import { OFFLINE_DRAIN_JOB } from "./event-job.js";
import { readOfflineState } from "./offline-state.js";

/**
 * The periodic read of every active tenant's offline queue, for changes whose
 * ONOFFLINEEVENT nudge was missed (the app was down). One job per tenant and
 * interval: its id is the interval's number, so several worker processes
 * ticking at once queue it once.
 */
export function startOfflineTicks(input: { rt: Runtime; queue: JobQueue; intervalMs: number }): {
  stop(): void;
} {
  const { rt, queue, intervalMs } = input;
  if (intervalMs <= 0 || !rt.manifest.events.some((e) => e.offline)) return { stop() {} };
  const tick = async () => {
    const tenants = await rt.store.admin.tenants({ states: ["active"] });
    const slot = Math.floor(rt.now() / intervalMs);
    for (const tenant of tenants) {
      if (!(await readOfflineState(rt.store, tenant.memberId))) continue;
      await queue.enqueue({
        memberId: tenant.memberId,
        id: `${OFFLINE_DRAIN_JOB}:${slot}`,
        kind: OFFLINE_DRAIN_JOB,
        payload: null,
      });
    }
  };
  // Once at start (the app may have been down), then every interval.
  const first = setTimeout(() => void tick().catch(() => {}), 0);
  const timer = setInterval(() => void tick().catch(() => {}), intervalMs);
  timer.unref?.();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
