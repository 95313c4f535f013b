import type { OAuthTokens } from "@b24kit/rest";
import type { Runtime } from "../core/runtime.js";
import { readOfflineState, writeOfflineState } from "../events/offline-state.js";
import { type ApplyReport, applyManifest } from "../manifest/apply-manifest.js";
import { applyOfflineBindings } from "../manifest/apply-offline.js";
import type { TenantRecord } from "../storage/records.js";

export interface InstallOutcome {
  tenant: TenantRecord;
  report: ApplyReport;
}

/**
 * Installs (or re-installs) the app for a verified portal: the tenant and its
 * tokens, then the manifest's bindings, then the capability probe. The tenant
 * stays `installing` until the portal confirms the installation (installFinish
 * → ONAPPINSTALL, or an installed app.info on the next open) unless `finish`.
 */
export async function installTenant(
  rt: Runtime,
  input: {
    memberId: string;
    clientEndpoint: string;
    tokens: OAuthTokens;
    scopes: string[];
    appStatus?: string;
    applicationToken?: string;
    finish: boolean;
  },
): Promise<InstallOutcome> {
  await rt.tenants.beginInstall({
    memberId: input.memberId,
    domain: new URL(input.clientEndpoint).host,
    clientEndpoint: input.clientEndpoint,
    serverEndpoint: `${rt.config.oauthServer}rest/`,
    scopes:
      input.scopes.length > 0 ? input.scopes : (input.tokens.scope ?? "").split(/[,\s]+/).filter(Boolean),
    ...(input.appStatus ? { appStatus: input.appStatus } : {}),
    tokens: { ...input.tokens, clientEndpoint: input.clientEndpoint },
    ...(input.applicationToken ? { applicationToken: input.applicationToken } : {}),
  });
  rt.clients.drop(input.memberId);
  const report = await reapply(rt, input.memberId);
  const tenant = input.finish
    ? await rt.tenants.transition(input.memberId, "finish")
    : await rt.tenants.get(input.memberId);
  if (!tenant) throw new Error(`tenant ${input.memberId} vanished during its install`);
  return { tenant, report };
}

const BOTS_KEY = "b24kit:bots";

/** Applies the manifest to the portal again (install, update, admin open after an update) and probes it. */
export async function reapply(rt: Runtime, memberId: string): Promise<ApplyReport> {
  const client = rt.clients.forPortal(memberId);
  const bots = rt.store.tenant(memberId).kv;
  const previousBots = JSON.parse((await bots.get(BOTS_KEY)) ?? "{}") as Record<string, number>;
  const report = await applyManifest(client, rt.manifest, rt.urls, { previousBots });
  // The ids of the bots registered here: the next apply unregisters those the manifest dropped.
  if (Object.keys(report.bots).length > 0 || Object.keys(previousBots).length > 0)
    await bots.set(BOTS_KEY, JSON.stringify(report.bots));
  if (rt.manifest.events.some((e) => e.offline)) {
    const offline = await applyOfflineBindings(client, rt.manifest, rt.authConnector);
    report.bound.push(...offline.bound);
    report.unbound.push(...offline.unbound);
    report.failed.push(...offline.failed);
    // Bindings made earlier keep the connector they were made with.
    const known = await readOfflineState(rt.store, memberId);
    if (!known || offline.bound.length > 0)
      await writeOfflineState(rt.store, memberId, {
        ...(offline.connector ? { connector: offline.connector } : {}),
        ...(known?.processId ? { processId: known.processId } : {}),
      });
  }
  await rt.store.tenant(memberId).update({ manifestVersion: rt.manifest.version, updatedAt: rt.now() });
  rt.audit.record(memberId, {
    at: rt.now(),
    kind: "lifecycle",
    action: "manifest.apply",
    outcome: report.failed.length > 0 ? "error" : "ok",
    detail: {
      version: rt.manifest.version,
      bound: report.bound,
      unbound: report.unbound,
      failed: report.failed,
    },
  });
  await rt.capabilities.refresh(memberId).catch(() => {});
  return report;
}
