import { describe, expect, it } from "vitest";
import { B24Error, errorFromBody, isRepeatable } from "../src/index.js";

describe("B24Error", () => {
  it("classifies portal codes and keeps code and status", () => {
    const e = errorFromBody(
      401,
      { error: "METHOD_CONFIRM_WAITING", error_description: "Waiting for confirmation" },
      "voximplant.user.get",
    );
    expect(e).toBeInstanceOf(B24Error);
    expect(e).toMatchObject({
      code: "METHOD_CONFIRM_WAITING",
      status: 401,
      kind: "access",
      retryable: false,
      method: "voximplant.user.get",
    });
    expect(e.message).toContain("administrator must approve");
    expect(errorFromBody(503, { error: "QUERY_LIMIT_EXCEEDED" })).toMatchObject({
      kind: "limit",
      retryable: true,
      mayHaveReachedPortal: false,
    });
    expect(errorFromBody(400, { error: "", error_description: "Not found" })).toMatchObject({
      kind: "invalid",
      retryable: false,
    });
    expect(errorFromBody(500, { error: "PORTAL_DELETED" })).toMatchObject({
      kind: "portal",
      retryable: false,
    });
  });

  it("knows which calls are safe to repeat", () => {
    expect(
      [
        "crm.deal.list",
        "crm.deal.get",
        "profile",
        "crm.deal.update",
        "app.option.set",
        "disk.folder.getchildren",
      ].every(isRepeatable),
    ).toBe(true);
    expect(
      ["crm.deal.add", "im.message.add", "imbot.register", "tasks.task.add", "some.new.method"].some(
        isRepeatable,
      ),
    ).toBe(false);
  });
});
