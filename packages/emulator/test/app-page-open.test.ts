import { control, handlerServer, openApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";

// The app's own page as the portal opens it (docs/protocol.md §2.1–2.2; settings/app-installation/index.md).
const emu = await testEmulator();
const handler = await handlerServer();
afterAll(async () => {
  await handler.close();
  await emu.close();
});

describe("opening the app page (control API: apps/{c}/open, testing kit: openApp)", () => {
  it("gives an admin the installer while the install is unfinished, then the app page; others wait", async () => {
    const portal = await testPortal(emu);
    const api = control(emu);
    const app = await api.registerApp({
      scopes: ["crm"],
      appUrl: `${handler.url}app`,
      installUrl: `${handler.url}install`,
    });
    await api.install(portal.memberId, app.clientId);
    const { user } = await api.addUser(portal.memberId, { NAME: "Employee" });

    const installer = await openApp(emu, portal.memberId, { clientId: app.clientId });
    expect(installer.request.install).toBe(true);
    expect(new URL(installer.request.url).pathname).toBe("/install");
    expect(installer.request.fields).toMatchObject({ PLACEMENT: "DEFAULT", member_id: portal.memberId });
    expect(installer.request.fields.AUTH_ID).toMatch(/\w{16,}/);
    expect(installer.request.fields.APPLICATION_TOKEN).toMatch(/\w{16,}/);
    const arrived = handler.requests.find((r) => r.path.startsWith("/install"));
    expect(arrived?.body.AUTH_ID).toBe(installer.request.fields.AUTH_ID);

    const refused = await api.send("POST", `portals/${portal.memberId}/apps/${app.clientId}/open`, {
      userId: user.ID,
    });
    expect(refused.status).toBe(409);

    await api.finishInstall(portal.memberId, app.clientId);
    const page = await openApp(emu, portal.memberId, { clientId: app.clientId, userId: user.ID });
    expect(page.request.install).toBe(false);
    expect(new URL(page.request.url).pathname).toBe("/app");
    expect(new URL(page.request.url).searchParams.get("DOMAIN")).toBe(portal.domain);
  });
});
