import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";

/** Folders and files (b_disk_object): one id sequence for both, as on a real portal. */
export const DISK_OBJECTS = "disk.objects";
/** Stored file bodies (b_file): their ids are the objects' FILE_ID. */
export const DISK_BLOBS = "disk.blobs";
/** The one storage the emulator has: the portal's shared drive. */
export const STORAGE_ID = 1;
export const ROOT_FOLDER_ID = 1;

export interface DiskObjectInit {
  type: "folder" | "file";
  name: string;
  parentId: number;
  createdBy: number;
  nowMs: number;
  /** File body (UTF-8 text or bytes); files only. */
  content?: string | Uint8Array;
  contentType?: string;
}

/** Adds a folder or a file under `parentId`; files get a blob row and version 1. */
export function addDiskObject(portal: Portal, init: DiskObjectInit): Row {
  const time = isoWithOffset(init.nowMs);
  const base: Record<string, unknown> = {
    NAME: init.name,
    CODE: null,
    STORAGE_ID: STORAGE_ID,
    TYPE: init.type,
    PARENT_ID: init.parentId,
    DELETED_TYPE: 0,
    CREATE_TIME: time,
    UPDATE_TIME: time,
    DELETE_TIME: null,
    CREATED_BY: init.createdBy,
    UPDATED_BY: init.createdBy,
    DELETED_BY: 0,
  };
  if (init.type === "file") {
    const bytes =
      typeof init.content === "string"
        ? Buffer.from(init.content, "utf8")
        : Buffer.from(init.content ?? new Uint8Array());
    const blob = portal.table(DISK_BLOBS).insert({
      CONTENT_BASE64: bytes.toString("base64"),
      CONTENT_TYPE: init.contentType ?? "application/octet-stream",
      SIZE: bytes.length,
    });
    Object.assign(base, { FILE_ID: blob.ID, SIZE: bytes.length, GLOBAL_CONTENT_VERSION: 1 });
  }
  return portal.table(DISK_OBJECTS).insert(base);
}

/**
 * Creates the portal's disk on first use: storage 1 with root folder 1, two
 * sub-folders and a few files, all owned by user 1. Idempotent.
 */
export function ensureDisk(portal: Portal, nowMs: number): void {
  const objects = portal.table(DISK_OBJECTS);
  if (objects.seq > 0) return;
  const time = isoWithOffset(nowMs);
  objects.insert({
    NAME: "Shared drive",
    CODE: null,
    STORAGE_ID: STORAGE_ID,
    TYPE: "folder",
    PARENT_ID: null,
    DELETED_TYPE: 0,
    CREATE_TIME: time,
    UPDATE_TIME: time,
    DELETE_TIME: null,
    CREATED_BY: 1,
    UPDATED_BY: 1,
    DELETED_BY: 0,
  });
  const common = { createdBy: 1, nowMs };
  const documents = addDiskObject(portal, {
    ...common,
    type: "folder",
    name: "Documents",
    parentId: ROOT_FOLDER_ID,
  });
  const reports = addDiskObject(portal, {
    ...common,
    type: "folder",
    name: "Reports",
    parentId: ROOT_FOLDER_ID,
  });
  addDiskObject(portal, {
    ...common,
    type: "file",
    name: "Welcome.txt",
    parentId: ROOT_FOLDER_ID,
    content: "Welcome to the shared drive of this emulated Bitrix24 portal.\n",
    contentType: "text/plain",
  });
  addDiskObject(portal, {
    ...common,
    type: "file",
    name: "Price list.csv",
    parentId: documents.ID,
    content: "SKU;NAME;PRICE\nA-100;Widget;10.00\nA-200;Gadget;25.50\n",
    contentType: "text/csv",
  });
  addDiskObject(portal, {
    ...common,
    type: "file",
    name: "Q1 report.txt",
    parentId: reports.ID,
    content: "Q1: 42 deals won.\n",
    contentType: "text/plain",
  });
}
