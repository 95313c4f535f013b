import { type BotHandlers, dispatchBotEvent } from "@b24kit/app";
import type { MethodCaller } from "@b24kit/rest";

export const bots: BotHandlers = {
  insights: {
    commands: {
      help: () => "Try /deal 42",
      deal: async (ctx) => {
        const deal = await ctx.client.call<{ TITLE: string }>("crm.deal.get", { id: ctx.args[0] });
        const link = `/crm/deal/details/${ctx.args[0]}/`;
        await ctx.reply(`Deal: ${deal.result.TITLE}`, { keyboard: [{ TEXT: "Open", LINK: link }] });
      },
    },
    message: (ctx) => `You said: ${ctx.text}`, // anything that is not /command
    join: (ctx) => `Hello, ${ctx.user?.firstName}`, // ONIMBOTJOINCHAT
    delete: () => {}, // ONIMBOTDELETE
  },
};

/** For one bot event the portal POSTed (its form decoded) on the portal memberId, with that portal's client. */
export function onBotEvent(body: { event: string; data: unknown }, client: MethodCaller, memberId: string) {
  return dispatchBotEvent({ event: body.event, data: body.data, client, memberId }, bots); // "handled" | "ignored"
}
