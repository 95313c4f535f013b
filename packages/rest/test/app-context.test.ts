import { testEmulator, testPortal } from "@b24kit/emulator/testing";
import { B24Error, createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, expect, it } from "vitest";

// Methods that answer only an app, called through a webhook: the error says what is missing (an app's
// tokens), not that the user lacks rights, whatever code the portal refuses with.
const emu = await testEmulator();
afterAll(() => emu.close());

async function refusal(run: () => Promise<unknown>): Promise<B24Error> {
  const error = await run().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(B24Error);
  return error as B24Error;
}

it("learnPlan() through a webhook says it needs an installed app's tokens, and leaves the limits alone", async () => {
  const portal = await testPortal(emu, { plan: "enterprise" });
  const b24 = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });
  const error = await refusal(() => b24.learnPlan());
  expect(error.code).toBe("ACCESS_DENIED");
  expect(error.method).toBe("app.info");
  expect(error.message).toContain("learnPlan() reads the plan from app.info, which answers only an app");
  expect(error.message).toContain("limits: STANDARD_LIMITS, or ENTERPRISE_LIMITS");
  expect(error.message).not.toContain("rights");
  expect(b24.limiter!.burst).toBe(50);
});

it("other app-only methods through a webhook blame the missing app context, under each code", async () => {
  const portal = await testPortal(emu);
  const b24 = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });
  const appInfo = await refusal(() => b24.call("app.info")); // ACCESS_DENIED
  const option = await refusal(() => b24.call("app.option.get")); // AccessException
  const bind = await refusal(() =>
    b24.call("event.bind", { event: "ONCRMDEALADD", handler: "https://app.example/h" }),
  ); // WRONG_AUTH_TYPE
  expect([appInfo.code, option.code, bind.code]).toEqual([
    "ACCESS_DENIED",
    "AccessException",
    "WRONG_AUTH_TYPE",
  ]);
  for (const error of [appInfo, option, bind]) {
    expect(error.message).toContain("this method needs an app context (the OAuth tokens of an installed app");
    expect(error.message).not.toContain("rights");
  }
});
