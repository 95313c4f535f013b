import { configFromEnv, createApp } from "@b24kit/app";
import { serve } from "@b24kit/app/node";
import { sqliteJobQueue, sqliteStore } from "@b24kit/app/sqlite";

/** Text from the portal goes into HTML escaped: the page shell prints what a handler returns as is. */
const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const store = sqliteStore({ file: "data/app.db" }); // the schema is created on start
const queue = sqliteJobQueue({ file: "data/queue.db" }); // events wait here for the workers

const app = createApp({
  config: configFromEnv(), // B24KIT_PUBLIC_URL, B24KIT_CLIENT_ID, … (below)
  store,
  manifest: {
    version: "1",
    scopes: ["crm", "placement", "user"],
    placements: [{ placement: "CRM_DEAL_DETAIL_TAB", title: "Insights" }],
    events: [{ event: "ONCRMDEALUPDATE", offline: true }],
    requires: { methods: ["crm.deal.get"] },
  },
  queue,
  events: {
    ONCRMDEALUPDATE: async (ctx) => {
      const deal = await ctx.b24.call<{ TITLE: string }>("crm.deal.get", { id: ctx.data.FIELDS.ID });
      await ctx.kv.set(`seen:${ctx.id}`, deal.result.TITLE); // ctx.id: the same change has the same id
    },
  },
  page: async (ctx) => `${await ctx.capabilityNotice()}<h1>Hello, ${html(ctx.user.name)}</h1>`,
  placements: {
    CRM_DEAL_DETAIL_TAB: async (ctx) => {
      const deal = await ctx.b24.call<{ TITLE: string }>("crm.deal.get", { id: ctx.options.ID });
      return `<h1>${html(deal.result.TITLE)}</h1>`;
    },
  },
  api: { refresh: async (ctx) => ctx.b24.call("crm.deal.list", { select: ["ID"] }) },
});
await serve(app, { port: Number(process.env.PORT ?? 3000) });
