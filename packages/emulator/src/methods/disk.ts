import { createHash } from "node:crypto";
import { pageRows } from "../calls/list-query.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asInt, asRecord, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import { DISK_OBJECTS, ensureDisk } from "../state/disk.js";
import type { Row } from "../state/table.js";

/*
 * disk.* (docs/protocol.md §13.5): one shared storage (id 1, root folder 1) seeded
 * on first use. Objects render with string ids and ISO dates as on the
 * disk.folder.getchildren / disk.file.get pages; errors are 400 ERROR_ARGUMENT
 * (missing id) and 400 ERROR_NOT_FOUND (no such folder/file), in the pages' words.
 */

/** The pages name the missing argument by its position: `#0` on disk.file.get, `#1` on the folder pages. */
const invalidId = (position: 0 | 1) =>
  new RestError(400, "ERROR_ARGUMENT", `Invalid value of parameter {Parameter #${position}}`);
const notFound = (id: unknown) =>
  new RestError(400, "ERROR_NOT_FOUND", `Could not find entity with id \`${String(id)}\``);

function idParam(ctx: CallContext, position: 0 | 1): number {
  const id = asInt(param(ctx.params, "id"));
  if (id === undefined) throw invalidId(position);
  return id;
}

function objects(ctx: CallContext) {
  ensureDisk(ctx.portal, ctx.nowMs);
  return ctx.portal.table(DISK_OBJECTS);
}

function live(row: Row | undefined, type: "folder" | "file"): row is Row {
  return row !== undefined && row.TYPE === type && Number(row.DELETED_TYPE) === 0;
}

/** Path of an object below the root, as the portal puts it in DETAIL_URL. */
function pathOf(ctx: CallContext, row: Row): string[] {
  const table = ctx.portal.table(DISK_OBJECTS);
  const names: string[] = [];
  let current: Row | undefined = row;
  for (let guard = 0; current && current.PARENT_ID != null && guard < 100; guard++) {
    names.unshift(String(current.NAME));
    current = table.get(Number(current.PARENT_ID));
  }
  return names.map(encodeURIComponent);
}

function origin(ctx: CallContext): string {
  return `${ctx.world.protocol}://${ctx.portal.domain}`;
}

/** A signed-looking, opaque `token=disk|…` download link (the download route itself is not emulated). */
function downloadUrl(ctx: CallContext, row: Row): string {
  const version = String(row.GLOBAL_CONTENT_VERSION ?? 1);
  const salt = createHash("sha256").update(`${ctx.portal.memberId}|${row.ID}|${version}`).digest("hex");
  const payload = Buffer.from(`id=${row.ID}&_=${salt.slice(0, 32)}`).toString("base64");
  const signature = createHash("sha256").update(`download|disk|${payload}|${salt}`).digest("base64");
  const token = encodeURIComponent(`disk|${payload}|${signature}`);
  const auth = ctx.caller.accessToken ? `auth=${ctx.caller.accessToken}&` : "";
  return `${origin(ctx)}/rest/download.json?${auth}token=${token}`;
}

function objectView(ctx: CallContext, row: Row): Record<string, unknown> {
  const file = row.TYPE === "file";
  const path = pathOf(ctx, row);
  const view: Record<string, unknown> = {
    ID: String(row.ID),
    NAME: String(row.NAME),
    CODE: row.CODE ?? null,
    STORAGE_ID: String(row.STORAGE_ID),
    TYPE: row.TYPE,
    // Folders carry the object they stand for (disk-folder-get.md); a shared folder's differs.
    ...(file ? {} : { REAL_OBJECT_ID: String(row.REAL_OBJECT_ID ?? row.ID) }),
    PARENT_ID: row.PARENT_ID == null ? null : String(row.PARENT_ID),
    DELETED_TYPE: String(row.DELETED_TYPE ?? 0),
  };
  if (file) {
    view.GLOBAL_CONTENT_VERSION = String(row.GLOBAL_CONTENT_VERSION ?? 1);
    view.FILE_ID = String(row.FILE_ID);
    view.SIZE = String(row.SIZE ?? 0);
  }
  Object.assign(view, {
    CREATE_TIME: row.CREATE_TIME ?? null,
    UPDATE_TIME: row.UPDATE_TIME ?? null,
    DELETE_TIME: row.DELETE_TIME ?? null,
    CREATED_BY: String(row.CREATED_BY ?? 0),
    UPDATED_BY: String(row.UPDATED_BY ?? 0),
    DELETED_BY: String(row.DELETED_BY ?? 0),
  });
  if (file) {
    view.DOWNLOAD_URL = downloadUrl(ctx, row);
    view.DETAIL_URL = `${origin(ctx)}/docs/file/${path.join("/")}`;
  } else {
    view.DETAIL_URL = `${origin(ctx)}/docs/path/${path.length ? `${path.join("/")}/` : ""}`;
  }
  return view;
}

export const diskMethods: MethodDef[] = [
  {
    name: "disk.folder.getchildren",
    scope: "disk",
    module: "disk",
    run: (ctx) => {
      const id = idParam(ctx, 1);
      const table = objects(ctx);
      if (!live(table.get(id), "folder")) throw notFound(id);
      const children = table.all().filter((r) => Number(r.PARENT_ID) === id && Number(r.DELETED_TYPE) === 0);
      return pageRows(
        children,
        {
          filter: asRecord(param(ctx.params, "filter")),
          order: param(ctx.params, "order"),
          start: param(ctx.params, "start"),
        },
        (row) => objectView(ctx, row),
      );
    },
  },
  {
    name: "disk.folder.get",
    scope: "disk",
    module: "disk",
    run: (ctx) => {
      const id = idParam(ctx, 1);
      const row = objects(ctx).get(id);
      if (!live(row, "folder")) throw notFound(id);
      return { result: objectView(ctx, row) };
    },
  },
  {
    name: "disk.file.get",
    scope: "disk",
    module: "disk",
    run: (ctx) => {
      const id = idParam(ctx, 0);
      const row = objects(ctx).get(id);
      if (!live(row, "file")) throw notFound(id);
      return { result: objectView(ctx, row) };
    },
  },
];
