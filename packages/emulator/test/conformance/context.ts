import type { EmulatorHandle } from "@b24kit/emulator";
import { control, type InstalledApp, installApp, testPortal } from "@b24kit/emulator/testing";
import { call } from "../helpers.js";
import type { Caller, PageContext } from "./page-fixture.js";

/** A fresh portal for one page's fixture, with the callers the fixture asks for made on first use. */
export async function pageContext(emu: EmulatorHandle): Promise<PageContext> {
  const portal = await testPortal(emu);
  const apps = new Map<string, Promise<InstalledApp>>();
  const userHooks = new Map<string, Promise<string>>();
  const app = (scopes: string[]) => {
    const key = [...scopes].sort().join(",");
    let installed = apps.get(key);
    if (!installed) {
      installed = installApp(emu, portal.memberId, { scopes, appUrl: "https://app.example/" });
      apps.set(key, installed);
    }
    return installed;
  };
  const userHook = (scopes: string[]) => {
    const key = [...scopes].sort().join(",");
    let hook = userHooks.get(key);
    if (!hook) {
      hook = control(emu)
        .addUser(portal.memberId, { NAME: "Member", webhookScopes: scopes })
        .then((added) => added.webhookUrl);
      userHooks.set(key, hook);
    }
    return hook;
  };
  /** The classic base URL and the params to send for `as`. */
  const route = async (as: Caller, params: Record<string, unknown>) => {
    if (as === "admin") return { base: portal.adminWebhookUrl, params };
    if ("app" in as) {
      const { auth } = await app(as.app);
      // A fixture may pass another user's token of the same app as `auth`.
      return { base: auth.client_endpoint, params: { auth: auth.access_token, ...params } };
    }
    return { base: await userHook(as.user), params };
  };
  return {
    emu,
    portal,
    vars: {},
    app,
    async call(method, params = {}, as = "admin") {
      const to = await route(as, params);
      return call(to.base, method, to.params);
    },
    async callV3(method, params = {}, as = "admin") {
      const to = await route(as, params);
      // REST 3.0 sits beside the classic path: /rest/{user}/{code}/ → /rest/api/{user}/{code}/ (api-reference/rest-v3.md).
      return call(to.base.replace(/\/rest\//, "/rest/api/"), method, to.params);
    },
  };
}
