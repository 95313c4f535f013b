import {
  type AppConfigInput,
  type AppStore,
  appOptions,
  type B24App,
  type CreateAppOptions,
  createApp,
  type JobQueue,
  tenantKv,
} from "@b24kit/app";
import { recompute } from "./api.js";
import { insightsBot } from "./bot.js";
import { onDealUpdate } from "./deal-sync.js";
import { DEAL_HEALTH, dealHealth } from "./field-type.js";
import { contactTab, dashboard, dealTab, toolbarWidget } from "./frames.js";
import { MANIFEST } from "./manifest.js";
import { scoreThisDeal } from "./robot.js";

export interface DealInsightsOptions {
  config: AppConfigInput;
  store: AppStore;
  queue: JobQueue;
  logger?: CreateAppOptions["logger"];
  /** In-process event workers (0 in a web process of the cluster profile). */
  workers?: number;
  /** Token refresh single-flight across processes (cluster profile); in-process when absent. */
  refreshLock?: CreateAppOptions["refreshLock"];
}

/** Deal insights on `@b24kit/app`: everything the app is, independent of where it runs. */
export function createDealInsights(options: DealInsightsOptions): B24App {
  const { store } = options;
  const app: B24App = createApp({
    config: options.config,
    store,
    queue: options.queue,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.refreshLock ? { refreshLock: options.refreshLock } : {}),
    manifest: MANIFEST,
    page: dashboard,
    placements: {
      CRM_DEAL_DETAIL_TAB: dealTab,
      CRM_CONTACT_DETAIL_TAB: contactTab,
      CRM_DEAL_DETAIL_TOOLBAR: toolbarWidget,
      LEFT_MENU: dashboard,
    },
    api: { recompute },
    events: { ONCRMDEALUPDATE: onDealUpdate },
    robots: { score_deal: scoreThisDeal },
    fieldTypes: { [DEAL_HEALTH]: dealHealth },
    bots: insightsBot({
      clientFor: (memberId) => app.forPortal(memberId),
      kvFor: (memberId) => tenantKv(store, memberId),
      optionsFor: (memberId) => appOptions(app.forPortal(memberId)),
    }),
  });
  return app;
}
