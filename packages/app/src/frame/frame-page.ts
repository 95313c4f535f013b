import { escapeHtml } from "../core/responses.js";
import { USER_AUTH_HEADER } from "../inbound/api-user-auth.js";
import { SDK_ASSET_PATH } from "./sdk-asset.js";

export interface FramePageInput {
  title: string;
  /** The page's own markup (already escaped where it holds data). */
  body: string;
  /** The app's public URL (assets and the session endpoints live under it). */
  publicUrl: string;
  /** The signed frame session for calls to the app's backend. */
  session: string;
  /** Seconds the session lives; the page renews it at half-life while open. */
  sessionTtlSeconds: number;
  /** The installer: call installFinish once the frame is up (the server already applied the manifest). */
  installFinish?: boolean;
  /** Extra markup for <head> (styles). */
  head?: string;
}

/**
 * The HTML shell every frame page gets: the official SDK (`B24Frame`, which
 * talks to the portal through the parent window), the frame session kept alive
 * while the tab is open, and `window.b24kit` for the page's own script:
 * `b24kit.ready` (a promise of the B24Frame), `b24kit.api(name, body)` (POST to
 * the app's backend with the session and the user's AUTH_ID), `b24kit.session()`, and
 * `b24kit.setFieldValue(value)` for a field type's edit frame.
 */
export function framePage(input: FramePageInput): string {
  const config = JSON.stringify({
    base: input.publicUrl,
    session: input.session,
    renewEveryMs: Math.max(30_000, Math.floor((input.sessionTtlSeconds * 1000) / 2)),
    installFinish: input.installFinish === true,
  }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
${input.head ?? ""}
<script src="${escapeHtml(input.publicUrl + SDK_ASSET_PATH)}"></script>
<script>
(function () {
  var config = ${config};
  var session = config.session;
  // The user's current AUTH_ID from the official SDK (renewed through the portal when it has expired);
  // '' outside a portal, where the call still goes, as the app only.
  function userAuth() {
    return ready.then(function (b24) { return b24.auth.getAuthData() || b24.auth.refreshAuth(); })
      .then(function (data) { return (data && data.access_token) || ""; }, function () { return ""; });
  }
  function api(name, body) {
    return userAuth().then(function (token) {
      var headers = { "content-type": "application/json", authorization: "Bearer " + session };
      if (token) headers["${USER_AUTH_HEADER}"] = token;
      return fetch(config.base + "b24/api/" + encodeURIComponent(name), {
        method: "POST",
        headers: headers,
        body: JSON.stringify(body || {})
      });
    }).then(function (res) { return res.json().then(function (json) { if (!res.ok) throw json; return json; }); });
  }
  function renew() {
    return fetch(config.base + "b24/session/renew", { method: "POST", headers: { authorization: "Bearer " + session } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (json) { if (json && json.session) session = json.session; })
      .catch(function () {});
  }
  setInterval(renew, config.renewEveryMs);
  var ready = B24Js.initializeB24Frame().then(function (b24) {
    if (config.installFinish && b24.isInstallMode) return b24.installFinish().then(function () { return b24; });
    return b24;
  });
  // A field type's edit frame hands the card its value (placement setValue; the card saves it with the form).
  function setFieldValue(value) { return ready.then(function (b24) { return b24.placement.setValue(value); }); }
  window.b24kit = { ready: ready, api: api, session: function () { return session; }, setFieldValue: setFieldValue };
  ready.then(function () { document.documentElement.dataset.b24kit = "ready"; },
    function (error) { document.documentElement.dataset.b24kit = "error"; console.error(error); });
})();
</script>
</head>
<body>
${input.body}
</body>
</html>
`;
}
