import type { RequestScope } from "../core/web-router.js";
import { CONSOLE_AUDIT_KEY, type ConsoleDeps } from "./console-deps.js";
import { loginForm, readForm } from "./console-forms.js";
import { consolePage, h, htmlResponse, seeOther } from "./console-html.js";
import { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS } from "./login-throttle.js";
import { verifyOperatorPassword } from "./operator-password.js";

function loginPage(
  deps: ConsoleDeps,
  message?: string,
  status = 200,
  extra: Record<string, string> = {},
): Response {
  return htmlResponse(
    consolePage({
      title: "Sign in",
      appName: deps.rt.config.appName,
      base: deps.base,
      ...(message ? { flash: { text: message, bad: true } } : {}),
      body: `<section class="login"><h1>Operator console</h1><form method="post" action="${h(`${deps.base}login`)}">
<label>Name <input name="name" autocomplete="username" required maxlength="64"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>
<button>Sign in</button></form></section>`,
    }),
    status,
    extra,
  );
}

/** `GET console/login`: the form (or the console, when already signed in). */
export async function showLogin(deps: ConsoleDeps, request: Request): Promise<Response> {
  if (deps.sessions.read(request)) return seeOther(deps.base);
  return loginPage(deps);
}

/** Failed sign-ins of this name or address in the window, as the shared audit log has them. */
async function storedFailures(deps: ConsoleDeps, name: string, address: string): Promise<number> {
  try {
    const lines = await deps.rt.store.tenant(CONSOLE_AUDIT_KEY).audit.query({
      since: deps.rt.now() - LOGIN_WINDOW_MS,
      kinds: ["security"],
      action: "console login",
      limit: 1000,
    });
    return Math.max(
      lines.filter((l) => l.detail?.operator === name).length,
      lines.filter((l) => l.detail?.address === address).length,
    );
  } catch {
    return 0;
  }
}

/**
 * `POST console/login`: checks the name and password (scrypt, constant time, the same work for an
 * unknown name); a refusal answers after a delay, counts against the name and the address, and
 * is written to the audit log as `security`; after 5 in 15 minutes, attempts are refused unchecked.
 */
export async function submitLogin(
  deps: ConsoleDeps,
  request: Request,
  scope: RequestScope,
): Promise<Response> {
  const { rt, sessions, throttle } = deps;
  const parsed = loginForm.safeParse(await readForm(request));
  if (!parsed.success) return loginPage(deps, "Enter a name and a password.", 400);
  const { name, password } = parsed.data;
  const address = scope.clientAddress ?? "unknown";
  const operator = sessions.operator(name);
  const keys = [`name:${name}`, `address:${address}`];
  const failures = Math.max(
    throttle.failures(keys),
    await storedFailures(deps, operator ? name : "", address),
  );
  const audit = (outcome: "ok" | "rejected", reason?: string) =>
    rt.audit.record(CONSOLE_AUDIT_KEY, {
      kind: outcome === "ok" ? "operator" : "security",
      action: "console login",
      outcome,
      correlationId: scope.correlationId,
      // The name only when it is an operator's: a password typed into the name field stays out of the log.
      detail: {
        ...(operator ? { operator: name } : { unknownOperator: true }),
        address,
        ...(reason ? { reason } : {}),
      },
    });
  if (failures >= LOGIN_MAX_FAILURES) {
    await audit("rejected", "too many failures");
    return loginPage(deps, "Too many failed sign-ins. Try again in 15 minutes.", 429, {
      "retry-after": String(LOGIN_WINDOW_MS / 1000),
    });
  }
  const ok = await verifyOperatorPassword(operator?.passwordHash, password);
  if (!ok || !operator) {
    throttle.fail(keys);
    await Promise.all([
      audit("rejected", operator ? "wrong password" : "unknown operator"),
      new Promise((resolve) => setTimeout(resolve, deps.failureDelayMs)),
    ]);
    return loginPage(deps, "Wrong name or password.", 401);
  }
  throttle.succeed(keys);
  await audit("ok");
  const { cookie } = sessions.issue(operator);
  return seeOther(deps.base, { "set-cookie": cookie });
}
