import {
  type AppConfig,
  type AppConfigInput,
  type AppManifestInput,
  type AppStore,
  type B24App,
  createApp,
  type JobQueue,
} from "@b24kit/app";

/**
 * What the app asks of every portal that installs it. The runtime applies it on install (binds the
 * placement and the event to this app's URLs) and again whenever `version` changes.
 */
export const manifest = {
  version: "1",
  scopes: ["crm", "placement", "user"],
  placements: [{ placement: "CRM_DEAL_DETAIL_TAB", title: "Deal summary" }],
  // offline: true — changes made while the app is down reach the handler once it is back.
  events: [{ event: "ONCRMDEALUPDATE", offline: true }],
  requires: { methods: ["crm.deal.get"] },
} satisfies AppManifestInput;

interface Deal {
  ID: string;
  TITLE: string;
}

/** What the event handler keeps per deal (in the app's own database, per portal). */
interface SeenUpdate {
  title: string;
  at: string;
}

/** The portal's data is user input: escape it before it goes into HTML. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export interface BuildAppOptions {
  config: AppConfigInput | AppConfig;
  store: AppStore;
  queue: JobQueue;
}

/** The app: one deal tab and one event handler. `src/server.ts` serves it; the tests build their own. */
export function buildApp({ config, store, queue }: BuildAppOptions): B24App {
  return createApp({
    manifest,
    config,
    store,
    queue,
    // The app's own page (the portal's menu opens it).
    page: async (ctx) =>
      `${await ctx.capabilityNotice()}<main><h1>Hello, ${escapeHtml(ctx.user.name)}</h1>` +
      "<p>Open a deal and pick the “Deal summary” tab.</p></main>",
    placements: {
      // The deal card's tab: rendered on the server once the runtime has verified the portal's POST.
      CRM_DEAL_DETAIL_TAB: async (ctx) => {
        const id = String(ctx.options.ID ?? "");
        const deal = await ctx.b24.call<Deal>("crm.deal.get", { id });
        const seen = (await ctx.kv.get(`deal-update:${id}`)) as SeenUpdate | null | undefined;
        const last = seen
          ? `<p id="last-update">Last change seen: “${escapeHtml(seen.title)}” at ${escapeHtml(seen.at)}</p>`
          : '<p id="last-update">No change seen yet.</p>';
        return `<main><h1 id="deal-title">${escapeHtml(deal.result.TITLE)}</h1>${last}</main>`;
      },
    },
    events: {
      // Runs from the queue (at least once): keyed by the deal, so running it twice changes nothing.
      ONCRMDEALUPDATE: async (ctx) => {
        const id = String(ctx.data.FIELDS.ID);
        const deal = await ctx.b24.call<Deal>("crm.deal.get", { id });
        const seen: SeenUpdate = { title: deal.result.TITLE, at: new Date(ctx.ts * 1000).toISOString() };
        await ctx.kv.set(`deal-update:${id}`, { ...seen });
      },
    },
  });
}
