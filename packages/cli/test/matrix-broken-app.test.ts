import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type MatrixRunResult, runMatrixCli } from "./matrix-helpers.js";

// A deliberately broken app (fixtures/matrix-broken-app): its deal tab calls
// telephony.externalcall.register without checking that the portal has telephony.
const appDir = resolve(import.meta.dirname, "fixtures", "matrix-broken-app");

let run: MatrixRunResult;
beforeAll(async () => {
  run = await runMatrixCli("broken-app", [
    "--app",
    appDir,
    "--plans",
    "free,basic,professional,enterprise",
    "--users",
    "admin,crm-own",
  ]);
}, 120_000);

describe("b24kit matrix on an app that calls telephony without checking", () => {
  it("fails exactly the cell without telephony, and exits non-zero", () => {
    expect(run.code).toBe(1);
    expect(run.report.cells.filter((c) => c.verdict === "fails").map((c) => c.cell.id)).toEqual([
      "professional/-telephony/admin",
    ]);
    for (const cell of run.report.cells.filter((c) => c.cell.id !== "professional/-telephony/admin"))
      expect(["works", "degrades"], `${cell.label}: ${cell.reason}`).toContain(cell.verdict);
  });

  it("names the failing call: the portal's refusal behind the unhandled error", () => {
    const cell = run.report.cells.find((c) => c.cell.id === "professional/-telephony/admin")!;
    const tab = cell.scenarios.find((s) => s.name === "deal tab")!;
    expect(tab.verdict).toBe("fails");
    expect(tab.summary).toMatch(/unhandled error: HTTP 502 PORTAL_ERROR \(ERROR_METHOD_NOT_FOUND\)/);
    expect(tab.failingCalls).toEqual([
      expect.objectContaining({
        method: "telephony.externalcall.register",
        code: "ERROR_METHOD_NOT_FOUND",
        status: 404,
      }),
    ]);
    const page = cell.scenarios.find((s) => s.name === "app page")!;
    expect(page.verdict).toBe("works");
    expect(page.failingCalls).toEqual([]); // the deal tab's call is the deal tab's
    expect(run.stdout).toMatch(
      /FAILS\s+professional · −telephony · admin: deal tab: unhandled error.*failing calls: deal tab: telephony\.externalcall\.register ERROR_METHOD_NOT_FOUND \(HTTP 404\)/,
    );
  });

  it("puts the failing call and the portal's audit trail into the HTML report", () => {
    const section = run.html.slice(
      run.html.indexOf('data-cell="professional/-telephony/admin" data-verdict="fails" open'),
    );
    expect(section.length).toBeGreaterThan(0);
    const own = section.slice(0, section.indexOf("</details>\n"));
    expect(own).toContain(
      "<td>telephony.externalcall.register</td><td>404</td><td>ERROR_METHOD_NOT_FOUND</td>",
    );
    expect(own).toContain("Audit trail of this portal");
    expect(run.html).toMatch(/<td class="v fails"[^>]*><a href="#cell-\d+">fails<\/a><\/td>/);
  });
});
