import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  type InstalledApp,
  installApp,
  testEmulator,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appCall, call } from "./helpers.js";

// Automation robots end to end over HTTP (api-reference/bizproc/bizproc-robot/): an app
// registers a robot, an admin places it on a deal stage on the automation page, moving a
// deal there POSTs the robot's handler, bizproc.event.send completes it, and the deal's
// page shows the result; a robot that never answers times out.
let emu: EmulatorHandle;
let handler: HandlerServer;
let app: InstalledApp;
let memberId: string;
let hook: string;
/** The admin's webhook with the bizproc scope (the default admin webhook has not got it). */
let bizprocHook: string;

const robot = (code: string, extra: Record<string, unknown> = {}) => ({
  CODE: code,
  HANDLER: `${handler.url}robot`,
  NAME: { en: "Score this deal" },
  USE_SUBSCRIPTION: "Y",
  PROPERTIES: { threshold: { Name: "Threshold", Type: "int", Default: "50" } },
  RETURN_PROPERTIES: { score: { Name: "Score", Type: "int" } },
  FILTER: { INCLUDE: [["crm", "CCrmDocumentDeal"]] },
  ...extra,
});

const form = async (path: string, fields: Record<string, string>) => {
  const res = await fetch(`${emu.url}${path.replace(/^\//, "")}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text() };
};
const page = async (path: string) => (await fetch(`${emu.url}${path.replace(/^\//, "")}`)).text();
const bizproc = (method: string, params: Record<string, unknown> = {}) =>
  appCall(app.auth.client_endpoint, app.auth.access_token, method, params);

beforeAll(async () => {
  emu = await testEmulator();
  handler = await handlerServer();
  // The default portal: the one the pages at emu.url show.
  memberId = emu.portals[0]!.memberId as string;
  hook = emu.portals[0]!.adminWebhookUrl as string;
  app = await installApp(emu, memberId, { scopes: ["crm", "bizproc"] });
  bizprocHook = (await control(emu).addWebhook(memberId, { scopes: ["crm", "bizproc"] })).url;
});
afterAll(async () => {
  await handler.close();
  await emu.close();
});

describe("bizproc.robot.*", () => {
  it("add, list, update, delete, with the documented refusals", async () => {
    expect((await bizproc("bizproc.robot.add", robot("crud"))).body.result).toBe(true);
    const again = await bizproc("bizproc.robot.add", robot("crud"));
    expect(again.body.error).toBe("ERROR_ACTIVITY_ALREADY_INSTALLED");
    expect((await bizproc("bizproc.robot.list")).body.result).toEqual(["crud"]);
    expect((await bizproc("bizproc.robot.update", { CODE: "crud", FIELDS: {} })).body.error_description).toBe(
      "No fields to update",
    );
    expect(
      (await bizproc("bizproc.robot.update", { CODE: "crud", FIELDS: { NAME: "Renamed" } })).body.result,
    ).toBe(true);
    expect((await bizproc("bizproc.robot.delete", { CODE: "crud" })).body.result).toBe(true);
    expect((await bizproc("bizproc.robot.delete", { CODE: "crud" })).body.error).toBe(
      "ERROR_ACTIVITY_NOT_FOUND",
    );
    const bad = await bizproc("bizproc.robot.add", robot("bad code!"));
    expect(bad.body).toMatchObject({
      error: "ERROR_ACTIVITY_VALIDATION_FAILURE",
      error_description: "Wrong activity code!",
    });
    const unnamed = await bizproc("bizproc.robot.add", { ...robot("p"), PROPERTIES: { x: { Type: "int" } } });
    expect(unnamed.body.error_description).toBe("Empty property NAME x!");
    const ftp = await bizproc("bizproc.robot.add", robot("ftp", { HANDLER: "ftp://example.com/robot" }));
    expect(ftp.body.error).toBe("ERROR_UNSUPPORTED_PROTOCOL");
    // A webhook has no app to own a robot.
    const viaHook = await call(bizprocHook, "bizproc.robot.list");
    expect({
      status: viaHook.status,
      error: viaHook.body.error,
      text: viaHook.body.error_description,
    }).toEqual({
      status: 403,
      error: "ACCESS_DENIED",
      text: "Application context required",
    });
  });

  it("a robot placed on a stage runs when a deal enters it; event.send completes it on the deal's page", async () => {
    await bizproc("bizproc.robot.add", robot("score"));
    const automation = await page("/crm/deal/automation/0/");
    expect(automation).toContain("Score this deal");
    const robotId = /<option value="(\d+)">Score this deal<\/option>/.exec(automation)?.[1];
    expect(robotId).toBeDefined();
    const added = await form("/crm/deal/automation/0/", {
      action: "add",
      stage: "EXECUTING",
      robotId: robotId!,
      [`values[r${robotId}][threshold]`]: "70",
    });
    expect(added.status).toBe(200);
    expect(added.text).toContain("was added to Executing");

    const deal = (await call(hook, "crm.deal.add", { fields: { TITLE: "Robot deal", STAGE_ID: "NEW" } })).body
      .result as number;
    await control(emu).eventsIdle();
    expect(handler.requests.filter((r) => r.path === "/robot")).toHaveLength(0);

    await call(hook, "crm.deal.update", { id: deal, fields: { STAGE_ID: "EXECUTING" } });
    const [post] = await handler.waitFor((r) => r.path === "/robot");
    expect(post!.body).toMatchObject({
      code: "score",
      document_id: ["crm", "CCrmDocumentDeal", `DEAL_${deal}`],
      document_type: ["crm", "CCrmDocumentDeal", "DEAL"],
      properties: { threshold: "70" },
      use_subscription: "Y",
      auth: { member_id: memberId, application_token: expect.any(String), access_token: expect.any(String) },
    });
    const token = (post!.body as { event_token: string }).event_token;
    expect(token).toMatch(/^[0-9a-f]{14}\.\d{8}\|A\d{5}_\d{5}_\d{5}_\d{5}\|[0-9a-f]+$/);
    expect(await page(`/crm/deal/details/${deal}/`)).toContain("waiting for the application");

    // The handler's own token answers (any user may: the token is the credential).
    const sent = await appCall(app.auth.client_endpoint, post!.body.auth.access_token, "bizproc.event.send", {
      EVENT_TOKEN: token,
      RETURN_VALUES: { score: 87, undeclared: 1 },
      LOG_MESSAGE: "Scored 87",
    });
    expect(sent.body.result).toBe(true);
    const details = await page(`/crm/deal/details/${deal}/`);
    expect(details).toContain('data-status="completed"');
    expect(details).toContain("score: 87");
    expect(details).not.toContain("undeclared");
    expect(details).toContain("Scored 87");
    // A token answers once.
    const twice = await bizproc("bizproc.event.send", { EVENT_TOKEN: token, RETURN_VALUES: { score: 1 } });
    expect({ status: twice.status, error: twice.body.error }).toEqual({
      status: 403,
      error: "ACCESS_DENIED",
    });
    // Saving the deal again in the same stage starts nothing new.
    await call(hook, "crm.deal.update", { id: deal, fields: { TITLE: "Renamed, same stage" } });
    await control(emu).eventsIdle();
    expect(handler.requests.filter((r) => r.path === "/robot")).toHaveLength(1);
  });

  it("the automation page is an administrator's, and an app's update takes its robots off the list", async () => {
    const user = await control(emu).addUser(memberId, { NAME: "Plain", LAST_NAME: "User", ADMIN: false });
    await form("/_portal/ui-user", { userId: String(user.user.ID), back: "/" });
    const refused = await fetch(`${emu.url}crm/deal/automation/0/`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Only an administrator can set up automation rules.");
    await form("/_portal/ui-user", { userId: "1", back: "/" });

    await control(emu).request("POST", `portals/${memberId}/apps/${app.clientId}/update`, {});
    expect((await bizproc("bizproc.robot.list")).body.result).toEqual([]);
    expect(await page("/crm/deal/automation/0/")).toContain(
      "Blocked: the application no longer offers this robot.",
    );
  });
  it("registered again, the robot runs again; one that never answers times out after robotTimeoutSeconds", async () => {
    // The rule placed before the update was blocked; the same code brings it back (bizproc-robot-delete.md).
    expect((await bizproc("bizproc.robot.add", robot("score"))).body.result).toBe(true);
    const deal = (await call(hook, "crm.deal.add", { fields: { TITLE: "Silent", STAGE_ID: "EXECUTING" } }))
      .body.result as number;
    const [post] = await handler.waitFor(
      (r) => r.path === "/robot" && r.body.document_id?.[2] === `DEAL_${deal}`,
    );
    await control(emu).advanceClock(86_401);
    expect(await page(`/crm/deal/details/${deal}/`)).toContain('data-status="timed_out"');
    // The app's own token has expired by now: the admin's webhook answers (any user may).
    const late = await call(bizprocHook, "bizproc.event.send", { EVENT_TOKEN: post!.body.event_token });
    expect(late.body.error).toBe("ACCESS_DENIED");
  });
});
