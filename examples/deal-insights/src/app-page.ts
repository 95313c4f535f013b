/** The reference app's page until the runtime-based app exists. */
export function appPage(method: string): string {
  return `<!doctype html><meta charset="utf-8"><title>Deal insights</title>
<h1>Deal insights</h1><p>Opened with ${method === "POST" ? "the portal's frame POST" : "a direct request"}.</p>`;
}
