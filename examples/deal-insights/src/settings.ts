import type { PortalOptions } from "@b24kit/app";

/** The portal-wide settings an administrator changes on the dashboard (app.option.*). */
export interface Settings {
  /** Deals at or above this amount get the "big deal" points. */
  bigDealAmount: number;
}

export const DEFAULT_SETTINGS: Settings = { bigDealAmount: 50_000 };

/** The option's name in app.option.* (one key: the frame's own setAppOption writes the same store). */
export const BIG_DEAL_OPTION = "bigDealAmount";

/** The portal's settings, defaults for what is unset or unreadable (the value comes from the portal). */
export async function readSettings(options: PortalOptions): Promise<Settings> {
  const raw = await options.get(BIG_DEAL_OPTION).catch(() => undefined);
  const amount = Number(raw);
  return { bigDealAmount: Number.isFinite(amount) && amount > 0 ? amount : DEFAULT_SETTINGS.bigDealAmount };
}
