import { isIP } from "node:net";
import { z } from "zod";
import type { PortalInput } from "./control/portal-input.js";
import { PLANS } from "./state/plans.js";

export interface EmulatorOptions {
  /** Main port (control API, OAuth server, default portal); 0 picks a free one. Default 8480. */
  port?: number;
  host?: string;
  /** Serve plain HTTP instead of HTTPS. */
  http?: boolean;
  /** SQLite file to keep state in across restarts; in memory when absent. */
  stateFile?: string;
  /** Where the local CA lives (default: $B24KIT_HOME or ~/.b24kit, subfolder "ca"). */
  caDir?: string;
  /** Plan of the default portal. */
  plan?: PortalInput["plan"];
  /** `--require-https`: handler and placement URLs must be https (settings.requireHttpsHandlers). */
  requireHttpsHandlers?: boolean;
  /** `--handler-ca`: PEM bundle trusted for https handlers (settings.handlerCaBundle). */
  handlerCaBundle?: string;
  /**
   * Host names besides the listening address, 127.0.0.1, localhost and ::1 under which the emulator
   * answers (a tunnel's name, a hosts-file alias). Requests for any other Host are refused.
   */
  allowedHosts?: string[];
  /** `--strict-events`: slow or failing event handlers fail loudly and lose their binding (settings.strictEventDelivery). */
  strictEventDelivery?: boolean;
}

/** A name a certificate can carry: letters, digits, dots and dashes. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function isHost(value: string): boolean {
  // 256.1.1.1 is no address, and no name either.
  return isIP(value) !== 0 || (!/^[\d.]+$/.test(value) && HOST_NAME.test(value));
}

/** What each option takes, in the words of the error that refuses it. */
const ALLOWED: { [K in keyof EmulatorOptions]-?: [schema: z.ZodType, allowed: string] } = {
  port: [z.number().int().min(0).max(65535), "a port number 0..65535 (0 picks a free one)"],
  host: [z.string().refine(isHost), "an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name"],
  http: [z.boolean(), "true or false"],
  stateFile: [z.string().min(1), "a file path"],
  caDir: [z.string().min(1), "a folder path"],
  plan: [z.enum(Object.keys(PLANS)), `one of ${Object.keys(PLANS).join(", ")}`],
  requireHttpsHandlers: [z.boolean(), "true or false"],
  handlerCaBundle: [
    z.string().regex(/-----BEGIN CERTIFICATE-----/),
    "a PEM bundle of certificates (-----BEGIN CERTIFICATE-----)",
  ],
  allowedHosts: [z.array(z.string().refine(isHost)), "a list of host names or IP addresses"],
  strictEventDelivery: [z.boolean(), "true or false"],
};

const optionsSchema = z
  .object(Object.fromEntries(Object.entries(ALLOWED).map(([key, [schema]]) => [key, schema.optional()])))
  .strict();

function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : (JSON.stringify(value) ?? "undefined");
}

/**
 * `startEmulator`'s options, checked before anything listens: a wrong value
 * would otherwise surface later and elsewhere (a plan as a 500 on every REST
 * call, a host as a certificate error, a port as Node's "NaN"), and a misspelt
 * key from JavaScript would be ignored. Throws one error naming every problem.
 */
export function checkEmulatorOptions(options: EmulatorOptions): void {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (parsed.success) return;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys")
      return `unknown option${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")} (known: ${Object.keys(ALLOWED).join(", ")})`;
    if (issue.path.length === 0) return `the options must be an object, got ${shown(options)}`;
    const key = String(issue.path[0]) as keyof EmulatorOptions;
    const given = (options as Record<string, unknown>)[key];
    return `${key} must be ${ALLOWED[key]?.[1] ?? issue.message}, got ${shown(given)}`;
  });
  throw new Error(`startEmulator: ${[...new Set(problems)].join("; ")}`);
}
