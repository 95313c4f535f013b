import { type Capabilities, capabilityNotice, explainCapabilities } from "@b24kit/app";
import { describe, expect, it } from "vitest";

/** A probe record as the probe writes it (the probe itself is tested against the emulator). */
function record(patch: Partial<Capabilities> = {}): Capabilities {
  return {
    version: 1,
    probedAt: 1_700_000_000_000,
    license: { license: "en_pro100", type: "pro100", family: "pro" },
    app: { status: "P", installed: true, paymentExpired: false, daysLeft: 20 },
    scopes: ["crm", "user"],
    requestedScopes: ["crm", "user"],
    methods: {
      "crm.deal.list": { exists: true, available: true, required: true },
      "tasks.task.list": { exists: true, available: false, required: false },
    },
    features: { rest_offline_extended: { enabled: true, required: false } },
    admin: true,
    probeErrors: {},
    ...patch,
  };
}

describe("capabilityNotice", () => {
  it("renders nothing when every required capability is there", () => {
    const explanation = explainCapabilities(record());
    expect(explanation.ready).toBe(true);
    // The optional gap is known, just not shown by default.
    expect(explanation.missing.map((g) => [g.name, g.reason, g.required])).toEqual([
      ["tasks.task.list", "scope_missing", false],
    ]);
    expect(capabilityNotice(explanation)).toBe("");
    expect(capabilityNotice(explanation, { includeOptional: true })).toContain(
      "This app was installed without access to Tasks.",
    );
  });

  it("says in plain words what is missing and what to do, each once", () => {
    const explanation = explainCapabilities(
      record({
        methods: {
          "crm.deal.list": { exists: false, available: false, required: true },
          "crm.contact.list": { exists: false, available: false, required: true },
          "user.get": { exists: true, available: false, required: true },
        },
        scopes: ["crm"],
        features: { rest_auth_connector: { enabled: false, required: true } },
      }),
    );
    const html = capabilityNotice(explanation, { lang: "de" });
    expect(html.match(/This app needs CRM/g)).toHaveLength(1);
    expect(html).toContain("This app was installed without access to Users.");
    expect(html).toContain("Your Bitrix24 plan does not include connector authorisation in events.");
    expect(html).toContain("Upgrade to Bitrix24 Professional or higher");
    expect(html).toContain('lang="en"');
    expect(html).toMatch(/^<section class="b24kit-capability-notice" role="status"/);
    // Self-contained: no scripts, no links, no external assets.
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i);
  });

  it("escapes everything it prints", () => {
    const hostile = 'x.<img src=x onerror="alert(1)">';
    const explanation = explainCapabilities(
      record({ methods: { [hostile]: { exists: false, available: false, required: true } } }),
    );
    const html = capabilityNotice(explanation, { nonce: 'n"><script>' });
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("x.&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain('<style nonce="n&quot;&gt;&lt;script&gt;">');
  });

  it("leads with the condition that stops the whole app", () => {
    const noRest = explainCapabilities(record({ portalRefusal: { reason: "plan", code: "ACCESS_DENIED" } }));
    expect(noRest.missing).toHaveLength(1);
    expect(capabilityNotice(noRest)).toContain("This app cannot work in your Bitrix24 right now");

    const onlyModule = explainCapabilities(
      record({ methods: { "crm.deal.list": { exists: false, available: false, required: true } } }),
    );
    expect(capabilityNotice(onlyModule)).toContain(
      "Some parts of this app are not available in your Bitrix24",
    );
  });

  it("lists a requested scope no method accounts for", () => {
    const explanation = explainCapabilities(record({ requestedScopes: ["crm", "user", "placement"] }));
    expect(explanation.missing[0]).toMatchObject({
      kind: "scope",
      name: "placement",
      reason: "scope_missing",
    });
    expect(capabilityNotice(explanation)).toContain(
      "This app was installed without access to Widgets (embedding).",
    );
  });

  it("asks for a probe when nothing is known yet", () => {
    const explanation = explainCapabilities(undefined);
    expect(explanation).toMatchObject({ ready: false, missing: [{ reason: "not_probed" }] });
  });
});
