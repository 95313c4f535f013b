import { describe, expect, it } from "vitest";
import { listOption, MODULE_IDS, matrixCells, PLAN_IDS, USER_KINDS } from "../src/commands/matrix/cells.js";
import { noticeText, pageVerdict } from "../src/commands/matrix/page-verdict.js";
import { defaultScenarios, fillPlaceholders, parseScenarios } from "../src/commands/matrix/scenarios.js";

const rows = { plans: PLAN_IDS, modules: MODULE_IDS, users: [...USER_KINDS], base: "professional" as const };

describe("matrix cells", () => {
  it("by default: every plan, the base plan with each module off, the base plan with each user", () => {
    const cells = matrixCells({ ...rows, full: false });
    expect(cells).toHaveLength(5 + MODULE_IDS.length + USER_KINDS.length - 1); // the base/all-modules/admin corner once
    expect(cells.map((c) => c.id)).toContain("professional/-telephony/admin");
    expect(cells.map((c) => c.id)).toContain("professional/-bizproc/admin");
    expect(cells.map((c) => c.id)).toContain("professional/all-modules/crm-own");
    expect(cells.map((c) => c.id)).toContain("professional/all-modules/crm-read");
  });

  it("--full is the cross product; options narrow the rows", () => {
    expect(matrixCells({ ...rows, full: true })).toHaveLength(
      5 * (MODULE_IDS.length + 1) * USER_KINDS.length,
    );
    const narrow = matrixCells({ ...rows, plans: ["basic"], modules: ["im"], users: ["user"], full: false });
    expect(narrow.map((c) => c.id)).toEqual([
      "basic/all-modules/user",
      "professional/-im/user",
      "professional/all-modules/user",
    ]);
  });

  it("list options take all, none, or known names only", () => {
    const plans = listOption("--plans", PLAN_IDS);
    expect(plans("all")).toEqual(PLAN_IDS);
    expect(plans("none")).toEqual([]);
    expect(plans("Basic, enterprise")).toEqual(["basic", "enterprise"]);
    expect(() => plans("gold")).toThrow(/--plans: unknown gold/);
  });
});

describe("page verdicts", () => {
  it("an answer with a notice degrades; the notice's words are kept", () => {
    const html = `<main><div class="notice" role="status"><strong>No access</strong><p>Ask your admin.</p></div></main>`;
    expect(pageVerdict(200, html)).toEqual({
      verdict: "degrades",
      summary: "HTTP 200 with a notice",
      notice: "No access Ask your admin.",
    });
    expect(
      noticeText(
        `<section class="b24kit-capability-notice" role="status"><style>.x{}</style><h2>Needs CRM</h2></section>`,
      ),
    ).toBe("Needs CRM");
    expect(noticeText(`<p data-b24kit-notice>Tasks are off</p>`)).toBe("Tasks are off");
    expect(pageVerdict(200, "<main><h1>Deal</h1></main>").verdict).toBe("works");
  });

  it("errors, 403s and redirects fail", () => {
    expect(pageVerdict(500, '{"error":"INTERNAL"}').summary).toBe(
      "unhandled error: HTTP 500 INTERNAL shown to the user",
    );
    expect(pageVerdict(502, '{"error":"PORTAL_ERROR","code":"ERROR_METHOD_NOT_FOUND"}').summary).toMatch(
      /PORTAL_ERROR \(ERROR_METHOD_NOT_FOUND\)/,
    );
    expect(pageVerdict(403, "{}")).toEqual({ verdict: "fails", summary: "HTTP 403 surfaced to the user" });
    expect(pageVerdict(302, "").verdict).toBe("fails");
  });
});

describe("scenarios", () => {
  it("are checked, named and filled per portal", () => {
    const parsed = parseScenarios(
      [
        { kind: "placement", placement: "CRM_DEAL_DETAIL_TAB", options: { ID: "{deal}" } },
        { kind: "bot", bot: "insights", message: "/deal {deal} for {user}" },
      ],
      "src/matrix.ts",
    );
    expect(parsed.map((s) => s.name)).toEqual([
      "CRM_DEAL_DETAIL_TAB",
      "bot insights: /deal {deal} for {user}",
    ]);
    expect(fillPlaceholders(parsed, { deal: "7", user: "3" })).toMatchObject([
      { options: { ID: "7" } },
      { message: "/deal 7 for 3" },
    ]);
    expect(() =>
      parseScenarios(
        [
          { kind: "event", event: "ONCRMDEALADD" },
          { kind: "dance" },
          { kind: "page", name: "x" },
          { kind: "page", name: "x" },
        ],
        "m.ts",
      ),
    ).toThrow(/change\.method is required[\s\S]*kind must be one of[\s\S]*names must differ \(x\)/);
  });

  it("robot and field scenarios: checked, with default names", () => {
    const parsed = parseScenarios(
      [
        {
          kind: "robot",
          robot: "score_deal",
          stage: "FINAL_INVOICE",
          expect: { returnValues: { score: "^\\d+$" } },
        },
        { kind: "field", fieldType: "deal_health", mode: "edit" },
      ],
      "src/matrix.ts",
    );
    expect(parsed.map((s) => s.name)).toEqual(["robot score_deal", "field deal_health"]);
    expect(parsed[0]).toMatchObject({ kind: "robot", stage: "FINAL_INVOICE" });
    expect(() =>
      parseScenarios(
        [
          { kind: "robot", name: "a", robot: "score_deal" },
          {
            kind: "robot",
            name: "b",
            robot: "r",
            stage: "NEW",
            values: [1],
            expect: { returnValues: { s: "(" } },
          },
          { kind: "field", name: "c", mode: "write" },
          { kind: "field", name: "d", fieldType: "t", entity: "lead" },
        ],
        "m.ts",
      ),
    ).toThrow(
      /scenarios\[0\]\.stage is required[\s\S]*values must be an object[\s\S]*returnValues\.s is not a regular expression[\s\S]*fieldType is required[\s\S]*mode must be view or edit[\s\S]*entity must be deal/,
    );
  });

  it("without a matrix module: the app page, every placement and /help to every bot", () => {
    expect(
      defaultScenarios({ placements: [{ placement: "CRM_CONTACT_DETAIL_TAB" }], bots: [{ code: "b" }] }),
    ).toEqual([
      { kind: "page", name: "app page" },
      {
        kind: "placement",
        name: "CRM_CONTACT_DETAIL_TAB",
        placement: "CRM_CONTACT_DETAIL_TAB",
        options: { ID: "{contact}" },
      },
      { kind: "bot", name: "bot b", bot: "b", message: "/help" },
    ]);
  });
});
