import { hex } from "../ids.js";

/** An app as its vendor registered it (docs/protocol.md §1.1: `local.<hex>.<digits>` / `app.<hex>.<digits>`). */
export interface AppRecord {
  /** The app's stable numeric id (app.info ID, `/marketplace/app/{id}/`). */
  id: number;
  clientId: string;
  clientSecret: string;
  code: string;
  /** What the portal's menu and marketplace show. */
  name?: string;
  /** A local app exists on one portal only (§1.1): the member_id of its first install. */
  localTo?: string;
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
  name?: string;
  version?: number;
  local?: boolean;
}

/** Highest app id handed out in this process (ids never repeat, restored apps included). */
let lastAppId = 0;

/**
 * Takes in an app record restored from a state file: keeps its id (or gives
 * one to records saved before ids existed) and never hands that id out again.
 */
export function adoptApp(app: AppRecord): AppRecord {
  if (!Number.isInteger(app.id) || app.id <= 0) app.id = ++lastAppId;
  lastAppId = Math.max(lastAppId, app.id);
  return app;
}

export function newApp(init: AppInit): AppRecord {
  const digits = String(Math.floor(10_000_000 + Math.random() * 89_999_999));
  const prefix = init.local === false ? "app" : "local";
  const clientId = `${prefix}.${hex(7)}.${digits}`;
  const scopes = typeof init.scopes === "string" ? init.scopes.split(/[,\s]+/) : (init.scopes ?? []);
  const app: AppRecord = {
    id: ++lastAppId,
    clientId,
    clientSecret: hex(24),
    code: init.code ?? clientId,
    scopes: scopes.filter(Boolean),
    version: init.version ?? 1,
    placements: init.placements ?? [],
  };
  if (init.name) app.name = init.name;
  if (init.appUrl) app.appUrl = init.appUrl;
  if (init.installUrl) app.installUrl = init.installUrl;
  if (init.installHandlerUrl) app.installHandlerUrl = init.installHandlerUrl;
  if (init.redirectUrl) app.redirectUrl = init.redirectUrl;
  return app;
}
