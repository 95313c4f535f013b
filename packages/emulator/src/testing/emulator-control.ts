import type { EmulatorHandle } from "../emulator.js";
import type {
  AppRegistration,
  AuthData,
  Fault,
  Installation,
  PlacementRequest,
  PortalInfo,
  PortalInput,
  PortalPatch,
  PortalStats,
} from "./control-types.js";

/** A message as the control API shows it (`GET portals/{m}/chat/{dialog}/messages`). */
interface ChatMessage {
  id: number;
  chatId: number;
  authorId: number;
  text: string;
  system: boolean;
  /** ISO date with offset. */
  date: string;
  params: Record<string, unknown>;
}

/** A method the emulator implements, with its scope and documentation page (null: not in the catalogue). */
export interface ImplementedMethod {
  name: string;
  scope: string;
  page: string | null;
}

/**
 * The control API, typed (routes in the emulator's README). Every method is
 * one request; failures reject with the control API's own message.
 */
export class EmulatorControl {
  constructor(private readonly emu: Pick<EmulatorHandle, "control" | "controlExchange">) {}

  /** Any route, for what has no method here yet; rejects with the control API's message on 4xx/5xx. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.emu.control<T>(method, path, body);
  }

  /** Any route, resolving with the status and body whatever the status (tests of the control API itself). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read control answers deep; the route decides the shape
  send<T = Record<string, any>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    return this.emu.controlExchange<T>(method, path, body);
  }

  createPortal(input: PortalInput = {}): Promise<PortalInfo> {
    return this.request("POST", "portals", input);
  }

  updatePortal(memberId: string, patch: PortalPatch): Promise<Record<string, unknown>> {
    return this.request("PATCH", `portals/${memberId}`, patch);
  }

  deletePortal(memberId: string): Promise<unknown> {
    return this.request("DELETE", `portals/${memberId}`);
  }

  /** Renames the portal: its old address answers 302 from now on. */
  moveDomain(memberId: string): Promise<{ previousDomain: string; domain: string; clientEndpoint: string }> {
    return this.request("POST", `portals/${memberId}/domain`, {});
  }

  seed(
    memberId: string,
    counts: { deals?: number; contacts?: number; companies?: number; leads?: number },
  ): Promise<{ seeded: Record<string, number> }> {
    return this.request("POST", `portals/${memberId}/seed`, counts);
  }

  async stats(memberId: string): Promise<PortalStats> {
    return (await this.request<{ requests: PortalStats }>("GET", `portals/${memberId}/stats`)).requests;
  }

  async resetStats(memberId: string): Promise<void> {
    await this.request("DELETE", `portals/${memberId}/stats`);
  }

  /** The methods this emulator implements (the other documented ones answer 501 EMULATOR_METHOD_NOT_EMULATED). */
  methods(): Promise<{
    classic: ImplementedMethod[];
    v3: ImplementedMethod[];
    documented: { classic: number; v3: number };
  }> {
    return this.request("GET", "methods");
  }

  async fault(memberId: string, fault: Fault): Promise<void> {
    await this.request("POST", `portals/${memberId}/faults`, fault);
  }

  /** Adds a user (and an incoming webhook of theirs with every scope, unless `webhookScopes` says less). */
  addUser(
    memberId: string,
    user: Record<string, unknown>,
  ): Promise<{ user: { ID: number } & Record<string, unknown>; webhookUrl: string }> {
    return this.request("POST", `portals/${memberId}/users`, user);
  }

  /** A person writes in the messenger as the portal's UI would (bots get their events). */
  chatWrite(
    memberId: string,
    message: { fromUserId: number; dialogId: string | number; message: string },
  ): Promise<{ messageId: number; chatId: number }> {
    return this.request("POST", `portals/${memberId}/chat/messages`, message);
  }

  /** A dialog as `userId` sees it, oldest message first. */
  async chatDialog(memberId: string, dialogId: string | number, userId: number): Promise<ChatMessage[]> {
    const path = `portals/${memberId}/chat/${dialogId}/messages?userId=${userId}`;
    return (await this.request<{ messages: ChatMessage[] }>("GET", path)).messages;
  }

  addWebhook(memberId: string, hook: { scopes: string[]; userId?: number }): Promise<{ url: string }> {
    return this.request("POST", `portals/${memberId}/webhooks`, hook);
  }

  registerApp(registration: AppRegistration): Promise<{ clientId: string; clientSecret: string }> {
    return this.request("POST", "apps", registration);
  }

  install(memberId: string, clientId: string, userId?: number): Promise<Installation & { auth: AuthData }> {
    return this.request("POST", `portals/${memberId}/install`, { clientId, ...(userId ? { userId } : {}) });
  }

  installation(memberId: string, clientId: string): Promise<Installation> {
    return this.request("GET", `portals/${memberId}/apps/${clientId}`);
  }

  /** Fresh OAuth data for an installed app acting as `userId` (default the admin), without re-installing. */
  tokens(memberId: string, clientId: string, userId?: number): Promise<AuthData> {
    return this.request("POST", `portals/${memberId}/apps/${clientId}/tokens`, userId ? { userId } : {});
  }

  /** The request the portal sends when `userId` opens the app's page: its installer while an admin's install is unfinished. */
  openApp(
    memberId: string,
    clientId: string,
    open: { userId?: number; options?: Record<string, unknown> } = {},
  ): Promise<PlacementRequest & { install: boolean }> {
    return this.request("POST", `portals/${memberId}/apps/${clientId}/open`, open);
  }

  /** What the installer's `installFinish()` does: the install is done, ONAPPINSTALL goes to its handlers. */
  async finishInstall(memberId: string, clientId: string): Promise<void> {
    await this.request("POST", `portals/${memberId}/apps/${clientId}/install-finish`, {});
  }

  /** The request the portal would send to the app when `userId` opens `placement`. */
  openPlacement(
    memberId: string,
    open: {
      clientId: string;
      placement: string;
      options?: Record<string, unknown>;
      userId?: number;
      uri?: string;
    },
  ): Promise<PlacementRequest> {
    return this.request("POST", `portals/${memberId}/placements/open`, open);
  }

  /** Moves the emulator's clock (token expiry, limits, offline-event ages). */
  async advanceClock(seconds: number): Promise<void> {
    await this.request("POST", "clock", { advanceSeconds: seconds });
  }

  /** Resolves once every event delivery in flight has finished. */
  async eventsIdle(): Promise<void> {
    await this.request("POST", "events/idle");
  }
}

/** The typed control client of an emulator. */
export function control(emu: Pick<EmulatorHandle, "control" | "controlExchange">): EmulatorControl {
  return new EmulatorControl(emu);
}
