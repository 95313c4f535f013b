import { control, testEmulator } from "@b24kit/emulator/testing";
import { AjaxError, B24Hook, B24OAuth } from "@bitrix24/b24jssdk";
import { afterAll, describe, expect, it } from "vitest";

// The official SDK, unmodified and with its default settings, against the emulator over HTTPS
// (the emulator's CA is trusted through NODE_EXTRA_CA_CERTS, set before the workers start).
const emu = await testEmulator();
afterAll(() => emu.close());

describe("official @bitrix24/b24jssdk against the emulator", () => {
  it("B24Hook: adds 120 deals through batches, reads them back with its list helpers, types an unknown method", async () => {
    const b24 = B24Hook.fromWebhookUrl(emu.portals[0]!.adminWebhookUrl as string);
    const titles = Array.from({ length: 120 }, (_, i) => `SDK deal ${i}`);
    for (let start = 0; start < titles.length; start += 50) {
      const calls = titles
        .slice(start, start + 50)
        .map((TITLE) => ["crm.deal.add", { fields: { TITLE, OPPORTUNITY: 10 } }]);
      const result = await b24.actions.v2.batch.make({
        calls: calls as any,
        options: { isHaltOnError: true },
      });
      expect(result.isSuccess).toBe(true);
    }

    const listed = await b24.actions.v2.callList.make({
      method: "crm.deal.list",
      params: { select: ["ID", "TITLE"] },
    });
    expect(listed.isSuccess).toBe(true);
    const rows = listed.getData() as Array<{ ID: string; TITLE: string }>;
    expect(rows.map((r) => r.TITLE)).toEqual(titles);
    expect(new Set(rows.map((r) => r.ID)).size).toBe(120);

    const pages: number[] = [];
    for await (const page of b24.actions.v2.fetchList.make({
      method: "crm.item.list",
      params: { entityTypeId: 2, select: ["id", "title"] },
      idKey: "id",
      customKeyForResult: "items",
    })) {
      pages.push((page as unknown[]).length);
    }
    expect(pages).toEqual([50, 50, 20]);

    const error = await b24.actions.v2.call
      .make({ method: "crm.deal.nosuchmethod" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AjaxError);
    expect((error as AjaxError).code).toBe("ERROR_METHOD_NOT_FOUND");
    expect((error as AjaxError).status).toBe(404);
  });

  it("B24OAuth: keeps working across an access-token expiry by refreshing at the emulator's token endpoint", async () => {
    const memberId = emu.portals[0]!.memberId as string;
    const app = (await control(emu).send("POST", "apps", { scopes: ["crm", "user"] })).body;
    const { auth } = (
      await control(emu).send("POST", `portals/${memberId}/install`, { clientId: app.clientId })
    ).body;
    const b24 = new B24OAuth(
      {
        applicationToken: auth.application_token,
        userId: auth.user_id,
        memberId: auth.member_id,
        accessToken: auth.access_token,
        refreshToken: auth.refresh_token,
        expires: auth.expires,
        expiresIn: auth.expires_in,
        scope: auth.scope,
        domain: auth.domain,
        clientEndpoint: auth.client_endpoint,
        serverEndpoint: auth.server_endpoint,
        status: auth.status,
      } as any,
      { clientId: app.clientId, clientSecret: app.clientSecret },
    );
    const before = await b24.actions.v2.call.make({ method: "profile" });
    expect((before.getData() as any).result.ID).toBe("1");

    const refreshesBefore = (await control(emu).send("GET", "oauth/stats")).body.byGrant.refresh_token ?? 0;
    await control(emu).send("POST", "clock", { advanceSeconds: 3700 });
    const after = await b24.actions.v2.call.make({
      method: "crm.deal.add",
      params: { fields: { TITLE: "after expiry" } },
    });
    expect(after.isSuccess).toBe(true);
    const stats = (await control(emu).send("GET", "oauth/stats")).body;
    expect((stats.byGrant.refresh_token ?? 0) - refreshesBefore).toBe(1);
    expect(stats.errors).toEqual({});
    const again = await b24.actions.v2.call.make({ method: "profile" });
    expect(again.isSuccess).toBe(true);
  });
});
