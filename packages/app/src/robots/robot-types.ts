import type { B24Client } from "@b24kit/rest";
import type { GuardedClient } from "../capabilities/guarded-call.js";
import type { FormObject } from "../inbound/read-body.js";
import type { PortalOptions } from "../options/portal-options.js";
import type { TenantKv } from "../options/tenant-kv.js";
import type { TenantRecord } from "../storage/records.js";

/** The record a robot runs on: `["crm", "CCrmDocumentDeal", "DEAL_42"]` read as entity and id. */
export interface RobotDocument {
  /** `["crm", "CCrmDocumentDeal", "DEAL_42"]` as the portal sent it. */
  documentId: string[];
  /** DEAL, LEAD, CONTACT, COMPANY (or the portal's other document types). */
  entity: string;
  /** The record's id, when the document id ends in one. */
  id?: number;
}

/** What a robot's handler gets (createApp `robots: { CODE(ctx) {…} }`). */
export interface RobotContext {
  code: string;
  /** The run's id on the portal; the same on every retry of this run. */
  workflowId: string;
  document: RobotDocument;
  /** The values the admin gave the robot's properties (form-decoded: strings, lists, objects). */
  properties: FormObject;
  /** 1 on the first run; more when earlier runs failed (at least once). */
  attempt: number;
  userId?: number;
  tenant: TenantRecord;
  /** REST as the app on this portal (as events' ctx.b24). */
  b24: GuardedClient;
  client: B24Client;
  kv: TenantKv;
  /** The app's options on this portal (app.option), as events' ctx.appOptions. */
  appOptions: PortalOptions;
  /** A line for the workflow's log, sent with the answer (LOG_MESSAGE). */
  log(message: string): void;
}

/**
 * A robot's work. What it returns are the return values (`returnProperties` of the manifest)
 * the runtime sends with bizproc.event.send when the robot waits for an answer.
 */
export type RobotHandler = (
  ctx: RobotContext,
) => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

/** Handlers by robot code (as the manifest declares them). */
export type RobotHandlers = Record<string, RobotHandler>;

/** `DEAL_42` → { entity: "DEAL", id: 42 }. */
export function robotDocument(documentId: string[]): RobotDocument {
  const last = documentId[documentId.length - 1] ?? "";
  const match = /^([A-Z_]+?)_(\d+)$/.exec(last);
  return match?.[1] && match[2]
    ? { documentId, entity: match[1], id: Number(match[2]) }
    : { documentId, entity: last };
}
