import type { EmulatorHandle } from "../emulator.js";
import type { ModuleId, PlanId } from "../state/plans.js";
import type { PortalInfo } from "./control-types.js";
import { control } from "./emulator-control.js";

export interface TestPortalOptions {
  plan?: PlanId;
  modules?: ModuleId[];
  /**
   * The request bucket: "plan" keeps the plan's real limits (50 at 2/s, Enterprise 250 at 5/s);
   * the default lifts them so tests about something else never wait; or give your own.
   */
  limits?: "plan" | { burst: number; drainPerSecond: number };
}

const LIFTED = { burst: 100_000, drainPerSecond: 10_000 };

/** A fresh portal of its own (own tables, own id sequences), limits lifted unless asked for. */
export async function testPortal(emu: EmulatorHandle, options: TestPortalOptions = {}): Promise<PortalInfo> {
  const api = control(emu);
  const portal = await api.createPortal({
    ...(options.plan ? { plan: options.plan } : {}),
    ...(options.modules ? { modules: options.modules } : {}),
  });
  if (options.limits !== "plan")
    await api.updatePortal(portal.memberId, { bucket: options.limits ?? LIFTED });
  return portal;
}
