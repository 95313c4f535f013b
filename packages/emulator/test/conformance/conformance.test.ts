import { readFileSync } from "node:fs";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RestReply } from "../helpers.js";
import { pageContext } from "./context.js";
import type { Caller, MethodPage, PageContext } from "./page-fixture.js";
import { PAGES } from "./pages/index.js";
import { shapeMismatches, TIME_SHAPE } from "./shape.js";

// The documentation conformance suite: each fixture holds one page's facts (pages/*.ts);
// this file calls the emulator the documented way and compares.
const emu = await testEmulator();
afterAll(() => emu.close());
const implemented = await control(emu).methods();

/** REST 3.0 errors are `{error: {code, message}}` (api-reference/rest-v3.md); classic ones `{error, error_description}`. */
const v3Error = (reply: RestReply) =>
  reply.body.error as unknown as { code?: string; message?: string } | undefined;
const codeOf = (reply: RestReply, v3: boolean): unknown => (v3 ? v3Error(reply)?.code : reply.body.error);
const messageOf = (reply: RestReply, v3: boolean): unknown =>
  v3 ? v3Error(reply)?.message : reply.body.error_description;

function describePage(fixture: MethodPage) {
  describe(`${fixture.method} (${fixture.page})`, () => {
    let ctx: PageContext;
    const send = (params: Record<string, unknown>, as: Caller = "admin") =>
      fixture.v3 ? ctx.callV3(fixture.method, params, as) : ctx.call(fixture.method, params, as);
    const paramsOf = (p: MethodPage["calls"][number]["params"]) => (typeof p === "function" ? p(ctx) : p);

    beforeAll(async () => {
      ctx = await pageContext(emu);
      await fixture.setup?.(ctx);
    });

    it("is an implemented method, and the page is the one the catalogue names for it", () => {
      const list = fixture.v3 ? implemented.v3 : implemented.classic;
      const entry = list.find((m) => m.name.toLowerCase() === fixture.method.toLowerCase());
      expect(entry, `${fixture.method} is not implemented`).toBeDefined();
      expect(entry?.page).toBe(fixture.page);
      expect(entry?.scope).toBe(fixture.scope);
    });

    for (const [i, example] of fixture.calls.entries()) {
      it(`answers the documented call${example.title ? ` (${example.title})` : fixture.calls.length > 1 ? ` #${i + 1}` : ""} in the documented shape`, async () => {
        const reply = await send(paramsOf(example.params), example.as);
        expect(reply.body.error, JSON.stringify(reply.body)).toBeUndefined();
        expect(reply.status).toBe(200);
        expect(shapeMismatches(reply.body.result, example.result)).toEqual([]);
        if (!fixture.v3) expect(shapeMismatches(reply.body.time, TIME_SHAPE, "time")).toEqual([]);
        for (const [key, shape] of Object.entries(example.envelope ?? {}))
          expect(shapeMismatches(reply.body[key], shape, key)).toEqual([]);
        await example.check?.(reply.body.result, ctx);
      });
    }

    for (const { name, acceptedWithout } of fixture.parameters.filter((p) => p.required)) {
      const title = acceptedWithout
        ? `answers without its required parameter ${name}: ${acceptedWithout}`
        : `refuses the call without its required parameter ${name}`;
      it(title, async () => {
        const [first] = fixture.calls;
        if (!first) throw new Error("a page with required parameters needs a documented call");
        const { [name]: _left, ...rest } = paramsOf(first.params);
        const reply = await send(rest, first.as);
        if (acceptedWithout) {
          expect(reply.status, JSON.stringify(reply.body)).toBe(200);
          return;
        }
        expect(reply.status, JSON.stringify(reply.body)).toBeGreaterThanOrEqual(400);
        expect(codeOf(reply, fixture.v3 === true)).toEqual(expect.any(String));
      });
    }

    for (const error of fixture.errors ?? []) {
      it(`answers ${error.status} ${error.error} when ${error.when}`, async () => {
        const reply = await send(paramsOf(error.params), error.as);
        expect({ status: reply.status, error: codeOf(reply, fixture.v3 === true) }).toEqual({
          status: error.status,
          error: error.error,
        });
        if (error.description) expect(messageOf(reply, fixture.v3 === true)).toContain(error.description);
      });
    }
  });
}

for (const fixture of PAGES) describePage(fixture);

describe("coverage", () => {
  const key = (m: { name: string }, v3: boolean) => `${v3 ? "v3 " : ""}${m.name.toLowerCase()}`;
  const all = [...implemented.classic.map((m) => key(m, false)), ...implemented.v3.map((m) => key(m, true))];
  const checked = new Set(PAGES.map((p) => key({ name: p.method }, p.v3 === true)));

  it("has one fixture per method", () => {
    expect(checked.size).toBe(PAGES.length);
  });

  it("the emulator README states how many implemented methods are checked against their pages", () => {
    const covered = all.filter((name) => checked.has(name)).length;
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const stated = /(\d+) of (\d+) implemented methods checked against their pages/.exec(readme);
    expect(stated?.slice(1, 3).map(Number)).toEqual([covered, all.length]);
  });
});
