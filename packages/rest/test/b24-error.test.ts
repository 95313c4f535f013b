import {
  B24Error,
  createB24Client,
  ERROR_CODES,
  errorFromBody,
  isRepeatable,
  webhookAuth,
} from "@b24kit/rest";
import { describe, expect, it } from "vitest";

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

  it("a refusal by the client itself, before any answer, names no HTTP status", () => {
    let error: unknown;
    try {
      createB24Client({
        auth: webhookAuth("https://portal.example/rest/1/abcdef1234567890/"),
        timeoutMs: -5,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(B24Error);
    expect((error as B24Error).code).toBe("INVALID_CLIENT_OPTIONS");
    expect((error as B24Error).message).toContain("timeoutMs");
    expect((error as B24Error).message).not.toContain("HTTP");
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

describe("the error-code registry", () => {
  it("holds every code the client raises itself", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const src = new URL("../src", import.meta.url).pathname;
    const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const raised = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(join(src, file), "utf8").matchAll(/code: "([A-Za-z_]+)"/g))
        raised.add(m[1]!);
    }
    expect(raised.size).toBeGreaterThan(8);
    expect([...raised].filter((code) => !(code in ERROR_CODES))).toEqual([]);
    // Our own codes are marked as ours; the portal's are not.
    expect(ERROR_CODES.ANSWER_TOO_LARGE!.client).toBe(true);
    expect(ERROR_CODES.expired_token!.client).toBeUndefined();
  });
});
