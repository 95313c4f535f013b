import type { FrameContext, FrameHandler } from "@b24kit/app";
import { DealUnavailableError, isAccessDenied, loadDealSnapshot } from "./deal-snapshot.js";
import { type StoredScore, scoreKey, scoreSnapshot, storedScores } from "./scoring.js";
import { readSettings } from "./settings.js";
import { recomputeAsUser } from "./user-recompute.js";
import { contactTabBody } from "./views/contact-tab.js";
import { dashboardBody, type StageSummary } from "./views/dashboard.js";
import { dealTabBody, dealUnavailableBody } from "./views/deal-tab.js";
import { noticeBlock, STYLE } from "./views/html.js";
import { toolbarWidgetBody } from "./views/toolbar-widget.js";

const NO_DEAL_ACCESS = noticeBlock(
  "You cannot see deals",
  "Your CRM role does not let you see deals, so Deal insights has nothing to show you. Ask your Bitrix24 administrator to give your role access to deals.",
);

/** The card's id from PLACEMENT_OPTIONS (`{"ID":"42"}`), or undefined when it is not a positive integer. */
function cardId(ctx: FrameContext): number | undefined {
  const id = Number(ctx.options.ID);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** Fits the portal's frame to the page once the SDK is up (tabs otherwise keep their first height). */
const FIT_FRAME = `<script>b24kit.ready.then(function (b24) { if (b24.parent.resizeWindowAuto) return b24.parent.resizeWindowAuto(); }).catch(function () {});</script>`;

function framed(ctx: FrameContext, title: string, body: string): Response {
  return ctx.page({ title, body: `${body}${FIT_FRAME}`, head: STYLE });
}

/**
 * The deal tab reads as the user who opened it (ctx.asUser): the portal applies
 * their CRM role, so a deal their role hides is answered in plain words, never
 * shown with the app's wider rights.
 */
export const dealTab: FrameHandler = async (ctx) => {
  const id = cardId(ctx);
  if (!id) return framed(ctx, "Insights", dealUnavailableBody("Open this tab from a deal card."));
  try {
    const snapshot = await loadDealSnapshot(ctx.asUser, id);
    const score = scoreSnapshot(snapshot, await readSettings(ctx.appOptions));
    const last = (await ctx.kv.get(scoreKey(id))) as unknown as StoredScore | undefined;
    const tasksNote = snapshot.tasks === undefined ? "Tasks are not available on this portal." : "";
    return framed(
      ctx,
      String(snapshot.deal.TITLE ?? "Insights"),
      dealTabBody(snapshot, score, last, tasksNote),
    );
  } catch (error) {
    if (error instanceof DealUnavailableError)
      return framed(ctx, "Insights", dealUnavailableBody(error.message));
    throw error;
  }
};

export const contactTab: FrameHandler = async (ctx) => {
  const id = cardId(ctx);
  if (!id) return framed(ctx, "Insights", dealUnavailableBody("Open this tab from a contact card."));
  const batch = await ctx.asUser.batch({
    contact: ["crm.contact.get", { id }],
    deals: [
      "crm.deal.list",
      { filter: { CONTACT_ID: id }, select: ["ID", "TITLE", "STAGE_ID", "OPPORTUNITY", "CURRENCY_ID"] },
    ],
  });
  if (batch.errors.contact)
    return framed(
      ctx,
      "Insights",
      `<main>${noticeBlock("Deal insights cannot show this contact", "You do not have access to this contact in CRM, or it no longer exists.")}</main>`,
    );
  const deals = batch.errors.deals ? [] : batch.get<Array<Record<string, unknown>>>("deals");
  const scores = new Map((await storedScores(ctx.kv)).map((s) => [s.dealId, s]));
  return framed(ctx, "Insights", contactTabBody(batch.get("contact"), deals, scores));
};

/** The toolbar button: the click is the request, so the widget recomputes and saves, as the user, before it renders. */
export const toolbarWidget: FrameHandler = async (ctx) => {
  const id = cardId(ctx);
  if (!id) return framed(ctx, "Score", dealUnavailableBody("Open this from a deal card."));
  const pressed = await recomputeAsUser(ctx, id, "button");
  if (pressed.outcome !== "saved") return framed(ctx, "Score", dealUnavailableBody(pressed.message));
  return framed(ctx, "Score", toolbarWidgetBody(pressed.result));
};

/**
 * The app's own page and its left-menu item: the pipeline by stage (every deal,
 * read as the user, so each sees what their role shows), the best scores, and
 * the settings. On a portal without CRM the capability notice says why it is empty.
 */
export const dashboard: FrameHandler = async (ctx) => {
  const notice = await ctx.capabilityNotice();
  if (!(await ctx.can("crm.deal.list")))
    return framed(ctx, "Deal insights", `<main><h1>Deal insights</h1>${notice}</main>`);
  // The user's own preference, saved by the page through the SDK as that user (user.option.set).
  const mineOnly = await ctx.asUser
    .call<string | null>("user.option.get", { option: "mineOnly" })
    .then((r) => r.result === "Y")
    .catch(() => false);
  const stages = new Map<string, StageSummary>();
  let currency = "";
  try {
    for await (const deal of ctx.asUser.list<Record<string, unknown>>("crm.deal.list", {
      select: ["ID", "STAGE_ID", "OPPORTUNITY", "CURRENCY_ID"],
      order: { ID: "ASC" },
      ...(mineOnly ? { filter: { ASSIGNED_BY_ID: ctx.user.id } } : {}),
    })) {
      const stageId = String(deal.STAGE_ID ?? "");
      const entry = stages.get(stageId) ?? { stageId, deals: 0, amount: 0 };
      entry.deals += 1;
      entry.amount += Number(deal.OPPORTUNITY ?? 0);
      stages.set(stageId, entry);
      currency ||= String(deal.CURRENCY_ID ?? "");
    }
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return framed(ctx, "Deal insights", `<main><h1>Deal insights</h1>${NO_DEAL_ACCESS}</main>`);
  }
  const body = dashboardBody({
    userName: ctx.user.name,
    admin: ctx.user.admin,
    stages: [...stages.values()],
    currency,
    top: await storedScores(ctx.kv),
    settings: await readSettings(ctx.appOptions),
    mineOnly,
  });
  return framed(ctx, "Deal insights", `${notice}${body}`);
};
