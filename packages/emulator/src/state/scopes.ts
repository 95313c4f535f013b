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
