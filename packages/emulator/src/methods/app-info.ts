import type { MethodDef } from "../calls/method-def.js";
import { RestError } from "../calls/rest-error.js";

/** app.info outside an app answers 400, not the 403 of WRONG_AUTH_TYPE (docs/protocol.md §10.1). */
const noAppContext = () => new RestError(400, "ACCESS_DENIED", "Access denied! Application context required");

export const appInfoMethods: MethodDef[] = [
  {
    name: "app.info",
    scope: "basic",
    run: (ctx) => {
      const { caller, portal } = ctx;
      if (caller.kind !== "oauth" || !caller.clientId) throw noAppContext();
      const app = ctx.world.apps.get(caller.clientId);
      const installation = portal.installations.get(caller.clientId);
      if (!app) throw noAppContext();
      // The app's stable numeric id (the one in /marketplace/app/{id}/ links of the portal UI).
      const localId = app.id;
      const status = installation?.status ?? (caller.clientId.startsWith("local.") ? "L" : "F");
      const plan = portal.profile;
      return {
        result: {
          ID: localId,
          CODE: app.code,
          VERSION: installation?.version ?? app.version,
          STATUS: status,
          INSTALLED: installation?.installed ?? false,
          PAYMENT_EXPIRED: installation?.paymentRequired ? "Y" : "N",
          // Paid periods are not modelled: null as for free and local apps.
          DAYS: null,
          LANGUAGE_ID: "en",
          LICENSE: plan.license,
          LICENSE_TYPE: plan.licenseType,
          LICENSE_FAMILY: plan.licenseFamily,
        },
      };
    },
  },
];
