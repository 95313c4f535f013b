import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type MatrixRunResult, outputDir, runMatrixCli } from "./matrix-helpers.js";

// The acceptance run of issue 14: the reference app through the default matrix (every plan; the
// Professional plan with each module off and with each kind of user), its HTML report saved in
// .test-output/matrix/deal-insights.html.
const appDir = resolve(import.meta.dirname, "..", "..", "..", "examples", "deal-insights");

let run: MatrixRunResult;
beforeAll(async () => {
  rmSync(join(outputDir, "deal-insights.html"), { force: true });
  run = await runMatrixCli("deal-insights", ["--app", appDir]);
}, 240_000);

describe("b24kit matrix on examples/deal-insights", () => {
  it("runs the default cells: every plan, each module off, each kind of user", () => {
    expect(run.report.cells.map((c) => c.cell.id)).toEqual([
      "free/all-modules/admin",
      "basic/all-modules/admin",
      "standard/all-modules/admin",
      "professional/all-modules/admin",
      "enterprise/all-modules/admin",
      "professional/-crm/admin",
      "professional/-tasks/admin",
      "professional/-disk/admin",
      "professional/-im/admin",
      "professional/-telephony/admin",
      "professional/-bizproc/admin",
      "professional/all-modules/user",
      "professional/all-modules/crm-own",
      "professional/all-modules/crm-read",
      "professional/all-modules/crm-none",
    ]);
    expect(run.report.scenarios.map((s) => s.name)).toEqual([
      "deal tab",
      "contact tab",
      "score button",
      "left menu",
      "app page",
      "deal moved",
      "bot /deal",
      "score robot",
      "health field",
    ]);
  });

  it("every cell works or degrades with a message; none fails", () => {
    const failing = run.report.cells.filter((c) => c.verdict === "fails");
    expect(failing.map((c) => `${c.label}: ${c.reason}`)).toEqual([]);
    // The app's whole surface works where the portal has everything.
    const full = run.report.cells.find((c) => c.cell.id === "professional/all-modules/admin")!;
    expect(full.scenarios.map((s) => [s.name, s.verdict])).toEqual(
      run.report.scenarios.map((s) => [s.name, "works"]),
    );
    // The free plan has no REST at all: the runtime says so in plain words.
    expect(run.report.cells.find((c) => c.cell.id === "free/all-modules/admin")!.verdict).toBe("degrades");
    expect(run.code).toBe(0);
  });

  it("tells degraded cells apart by the app's own notices and the runtime's", () => {
    const cell = (id: string) => run.report.cells.find((c) => c.cell.id === id)!;
    const noCrm = cell("professional/-crm/admin");
    expect(noCrm.verdict).toBe("degrades");
    expect(noCrm.scenarios.find((s) => s.name === "app page")!.notice).toMatch(/needs CRM/);
    expect(noCrm.scenarios.find((s) => s.name === "deal tab")!.verdict).toBe("skipped"); // no CRM card
    const noRights = cell("professional/all-modules/crm-none");
    expect(noRights.verdict).toBe("degrades");
    expect(noRights.scenarios.find((s) => s.name === "deal tab")!.notice).toMatch(/do not have access/);
    expect(cell("professional/-tasks/admin").scenarios.find((s) => s.name === "deal tab")!.notice).toMatch(
      /Tasks are not available/,
    );
    expect(cell("professional/-im/admin").scenarios.find((s) => s.name === "bot /deal")!.verdict).toBe(
      "skipped",
    );
    // Without automation the robot cannot be registered: that scenario degrades with what the portal
    // said; everything else of the app still works.
    const noAutomation = cell("professional/-bizproc/admin");
    expect(noAutomation.verdict).toBe("degrades");
    expect(noAutomation.scenarios.filter((s) => s.verdict !== "works").map((s) => s.name)).toEqual([
      "score robot",
    ]);
    expect(noAutomation.scenarios.find((s) => s.name === "score robot")!.summary).toMatch(
      /automation \(bizproc\) is off on this portal; the portal said ".*registered no robot score_deal/,
    );
    expect(noAutomation.reason).toMatch(/^score robot: the robot cannot run/);
    // The event scenario saw its handler's effect in every cell that has CRM.
    for (const c of run.report.cells.filter(
      (c) => c.cell.plan !== "free" && !c.cell.modulesOff.includes("crm"),
    ))
      expect(c.scenarios.find((s) => s.name === "deal moved")!.verdict, c.label).toBe("works");
  });

  it("runs the robot where automation is on, and shows the field type in the mode the user may use", () => {
    const cell = (id: string) => run.report.cells.find((c) => c.cell.id === id)!;
    const scenario = (id: string, name: string) => cell(id).scenarios.find((s) => s.name === name)!;
    for (const id of [
      "basic/all-modules/admin",
      "professional/all-modules/admin",
      "professional/-im/admin",
    ]) {
      expect(scenario(id, "score robot").verdict, id).toBe("works");
      expect(scenario(id, "score robot").summary, id).toMatch(/^completed \(score: \d+/);
    }
    expect(scenario("free/all-modules/admin", "score robot")).toMatchObject({
      verdict: "degrades",
      summary: expect.stringMatching(/free plan has no REST/),
    });
    expect(scenario("professional/-crm/admin", "score robot").verdict).toBe("skipped"); // no deal to move
    // The field renders in edit mode for users who may change the deal…
    for (const id of ["professional/all-modules/admin", "professional/all-modules/user"])
      expect(scenario(id, "health field"), id).toMatchObject({ verdict: "works", mode: "edit" });
    // …in view mode for the read-only role (the portal does not offer it edit)…
    expect(scenario("professional/all-modules/crm-read", "health field")).toMatchObject({
      verdict: "works",
      mode: "view",
      summary: "HTTP 200, MODE view (edit asked: the user may not change the deal)",
    });
    // The read-only role sees everything, and the score button writes as the user: it says it saved nothing.
    const readOnly = cell("professional/all-modules/crm-read");
    expect(readOnly.verdict).toBe("degrades");
    expect(readOnly.scenarios.filter((s) => s.verdict !== "works").map((s) => s.name)).toEqual([
      "score button",
    ]);
    expect(scenario("professional/all-modules/crm-read", "score button").notice).toMatch(
      /lets you see this deal but not change it/,
    );
    // …and not at all where the user may not read the deal, or the portal has no such field.
    for (const id of ["professional/all-modules/crm-own", "professional/all-modules/crm-none"])
      expect(scenario(id, "health field").summary, id).toMatch(/does not show it to this user/);
    expect(scenario("free/all-modules/admin", "health field").verdict).toBe("skipped");
  });

  it("prints the table and saves the HTML report with the grid and every portal's audit trail", () => {
    expect(run.stdout).toMatch(/^cell\s+deal tab\s+contact tab/m);
    expect(run.stdout).toMatch(/professional · −telephony · admin\s+works/);
    expect(run.stdout).toContain(`report: ${run.htmlFile}`);
    expect(run.html).toContain('<table class="grid">');
    expect(run.html.match(/<details class="cell"/g)).toHaveLength(15);
    expect(run.html).toContain("Audit trail of this portal");
    expect(run.html).toContain("crm.deal.get");
  });
});
