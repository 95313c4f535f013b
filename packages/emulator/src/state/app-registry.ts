import { hex } from "../ids.js";

/** An app as its vendor registered it (protocol.md §1.1: `local.<hex>.<digits>` / `app.<hex>.<digits>`). */
export interface AppRecord {
  clientId: string;
  clientSecret: string;
  code: string;
  scopes: string[];
  version: number;
  /** Main page (UI apps). */
  appUrl?: string;
  /** Installer opened in a frame (UI apps with installer). */
  installUrl?: string;
  /** Server-side install POST (headless apps). */
  installHandlerUrl?: string;
  /** Where /oauth/authorize/ redirects; defaults to appUrl. */
  redirectUrl?: string;
  placements: unknown[];
}

export interface AppInit {
  scopes?: string[] | string;
  appUrl?: string;
  installUrl?: string;
  installHandlerUrl?: string;
  redirectUrl?: string;
  placements?: unknown[];
  code?: string;
  version?: number;
  local?: boolean;
}

export function newApp(init: AppInit): AppRecord {
  const digits = String(Math.floor(10_000_000 + Math.random() * 89_999_999));
  const prefix = init.local === false ? "app" : "local";
  const clientId = `${prefix}.${hex(7)}.${digits}`;
  const scopes = typeof init.scopes === "string" ? init.scopes.split(/[,\s]+/) : (init.scopes ?? []);
  const app: AppRecord = {
    clientId,
    clientSecret: hex(24),
    code: init.code ?? clientId,
    scopes: scopes.filter(Boolean),
    version: init.version ?? 1,
    placements: init.placements ?? [],
  };
  if (init.appUrl) app.appUrl = init.appUrl;
  if (init.installUrl) app.installUrl = init.installUrl;
  if (init.installHandlerUrl) app.installHandlerUrl = init.installHandlerUrl;
  if (init.redirectUrl) app.redirectUrl = init.redirectUrl;
  return app;
}
