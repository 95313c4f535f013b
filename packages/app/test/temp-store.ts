import type { AppStore } from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { afterAll, beforeAll } from "vitest";
import { tempFolder } from "./storage-helpers.js";

/** A migrated SQLite store in a temp folder for one test file (opened before its tests, removed after). */
export function useTempSqliteStore(label: string): { readonly store: AppStore } {
  const folder = tempFolder(label);
  let store: AppStore | undefined;
  beforeAll(async () => {
    store = sqliteStore({ file: folder.file() });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    folder.remove();
  });
  return {
    get store() {
      if (!store) throw new Error("the store opens in beforeAll");
      return store;
    },
  };
}
