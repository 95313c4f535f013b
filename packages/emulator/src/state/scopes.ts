/** Every scope an admin webhook can be given. */
export function allScopes(): string[] {
  return [
    "crm",
    "user",
    "user_basic",
    "task",
    "disk",
    "im",
    "imbot",
    "placement",
    "telephony",
    "entity",
    "department",
  ];
}

/** Scope codes api-reference/scopes/permissions.md lists (what an app or a webhook may be granted). */
const DOCUMENTED_SCOPES =
  "ai_admin biconnector bizproc booking calendar call cashbox catalog contact_center crm documentgenerator delivery department disk entity humanresources humanresources.hcmlink im imbot imconnector imopenlines intranet landing lists log mailservice main messageservice mobile pay_system placement pull rpa sale salescenter sign.b2e sonet_group socialnetwork task telephony timeman user user_brief user_basic user.userfield userfieldconfig userconsent vote".split(
    " ",
  );

/**
 * The codes a grant may name: the documented list, the scopes method pages name
 * (a few appear only there) and the emulator's own. Anything else is a typo the
 * portal would not grant: registering it is refused, not silently accepted.
 */
export function unknownScopes(scopes: readonly string[], pageScopes: Iterable<string>): string[] {
  const known = new Set([...DOCUMENTED_SCOPES, ...allScopes(), ...pageScopes, "basic"]);
  return scopes.filter((scope) => !known.has(scope.trim().toLowerCase()));
}
