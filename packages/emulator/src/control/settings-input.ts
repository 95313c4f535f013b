import { z } from "zod";
import type { EmulatorSettings } from "../state/settings.js";
import { describeIssues } from "./control-body.js";

const status = z.number().int().min(100).max(599);
const positiveMs = z.number().int().positive();

/**
 * What `PATCH settings` may change, each key with the values it takes: an
 * unknown key or a wrong value is refused (400) and nothing is stored, so a
 * typo cannot quietly leave the emulator behaving otherwise than asked.
 */
const settingsPatch = z
  .object({
    oauthErrorStatus: z.record(z.string(), status),
    refreshTokenGraceSeconds: z.number().int().min(0),
    batchLengthMode: z.enum(["per-command", "request"]),
    portalDeletedStatus: status,
    requireHttps: z.boolean(),
    strictEventDelivery: z.boolean(),
    strictEventTimeoutMs: positiveMs,
    eventFailuresBeforeUnbind: z.number().int().positive(),
    eventTimeoutMs: positiveMs,
    requireHttpsHandlers: z.boolean(),
    handlerCaBundle: z
      .string()
      .regex(/-----BEGIN CERTIFICATE-----/, "a PEM bundle (-----BEGIN CERTIFICATE-----)"),
    eventAuthExtras: z.boolean(),
    eventRefreshToken: z.enum(["documented", "always"]),
    placementBindErrorStatus: status,
    installScopeSeparator: z.string().min(1).max(3),
    robotTimeoutSeconds: z.number().int().positive(),
  } satisfies { [K in keyof EmulatorSettings]-?: z.ZodType })
  .partial()
  .strict();

/** The settings to merge, or the problems in words that name each key. */
export function parseSettingsPatch(body: unknown): Partial<EmulatorSettings> | string {
  const parsed = settingsPatch.safeParse(body ?? {});
  if (parsed.success) return parsed.data as Partial<EmulatorSettings>;
  return describeIssues(settingsPatch, parsed.error.issues, "setting");
}
