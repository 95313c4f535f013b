import type { MethodCaller } from "../client/envelope.js";
import type {
  AppInfo,
  CrmCompany,
  CrmContact,
  CrmDeal,
  CrmItem,
  CrmLead,
  DiskObject,
  PortalUserRecord,
  Task,
} from "./entities.js";

type Params = Record<string, unknown>;

export interface ListParams {
  select?: string[];
  filter?: Record<string, unknown>;
  order?: Record<string, "ASC" | "DESC" | "asc" | "desc">;
  start?: number;
}

async function result<T>(client: MethodCaller, method: string, params: Params = {}): Promise<T> {
  return (await client.call<T>(method, params)).result;
}

/** crm.{lead,deal,contact,company}.* — the classic per-entity methods. */
function crmEntity<T>(client: MethodCaller, entity: string) {
  return {
    get: (id: number | string) => result<T>(client, `crm.${entity}.get`, { id }),
    list: (params: ListParams = {}) => result<T[]>(client, `crm.${entity}.list`, { ...params }),
    add: (fields: Partial<T> & Params, params?: Params) =>
      result<number>(client, `crm.${entity}.add`, { fields, ...(params ? { params } : {}) }),
    update: (id: number | string, fields: Partial<T> & Params, params?: Params) =>
      result<boolean>(client, `crm.${entity}.update`, { id, fields, ...(params ? { params } : {}) }),
    delete: (id: number | string) => result<boolean>(client, `crm.${entity}.delete`, { id }),
    fields: () => result<Record<string, Record<string, unknown>>>(client, `crm.${entity}.fields`),
  };
}

/**
 * Typed wrappers for the method groups apps use most. They are thin: each is
 * one `call`, so limits, retries and audit apply unchanged; `client.call`
 * stays available for every other method.
 */
export function typedMethods(client: MethodCaller) {
  return {
    crm: {
      deal: crmEntity<CrmDeal>(client, "deal"),
      lead: crmEntity<CrmLead>(client, "lead"),
      contact: crmEntity<CrmContact>(client, "contact"),
      company: crmEntity<CrmCompany>(client, "company"),
      item: {
        get: (entityTypeId: number, id: number) =>
          result<{ item: CrmItem }>(client, "crm.item.get", { entityTypeId, id }).then((r) => r.item),
        list: (entityTypeId: number, params: ListParams = {}) =>
          result<{ items: CrmItem[] }>(client, "crm.item.list", { entityTypeId, ...params }).then(
            (r) => r.items,
          ),
        add: (entityTypeId: number, fields: Params) =>
          result<{ item: CrmItem }>(client, "crm.item.add", { entityTypeId, fields }).then((r) => r.item),
        update: (entityTypeId: number, id: number, fields: Params) =>
          result<{ item: CrmItem }>(client, "crm.item.update", { entityTypeId, id, fields }).then(
            (r) => r.item,
          ),
        delete: (entityTypeId: number, id: number) =>
          result<unknown>(client, "crm.item.delete", { entityTypeId, id }),
      },
    },
    tasks: {
      task: {
        add: (fields: Params) =>
          result<{ task: Task }>(client, "tasks.task.add", { fields }).then((r) => r.task),
        get: (taskId: number | string, select?: string[]) =>
          result<{ task: Task }>(client, "tasks.task.get", { taskId, ...(select ? { select } : {}) }).then(
            (r) => r.task,
          ),
        list: (params: ListParams = {}) =>
          result<{ tasks: Task[] }>(client, "tasks.task.list", { ...params }).then((r) => r.tasks),
        update: (taskId: number | string, fields: Params) =>
          result<{ task: Task }>(client, "tasks.task.update", { taskId, fields }).then((r) => r.task),
      },
    },
    user: {
      current: () => result<PortalUserRecord>(client, "user.current"),
      get: (filter: Params = {}) => result<PortalUserRecord[]>(client, "user.get", { FILTER: filter }),
      search: (filter: Params) => result<PortalUserRecord[]>(client, "user.search", { FILTER: filter }),
      admin: () => result<boolean>(client, "user.admin"),
      access: (access: string[]) => result<boolean>(client, "user.access", { ACCESS: access }),
      option: {
        get: <T = unknown>(option?: string) => result<T>(client, "user.option.get", option ? { option } : {}),
        set: (options: Params) => result<boolean>(client, "user.option.set", { options }),
      },
    },
    profile: () => result<{ ID: string; ADMIN: boolean; NAME: string; LAST_NAME: string }>(client, "profile"),
    disk: {
      folder: {
        getChildren: (id: number | string, params: ListParams = {}) =>
          result<DiskObject[]>(client, "disk.folder.getchildren", { id, ...params }),
      },
      file: { get: (id: number | string) => result<DiskObject>(client, "disk.file.get", { id }) },
    },
    im: {
      message: {
        add: (dialogId: string, message: string, params: Params = {}) =>
          result<number>(client, "im.message.add", { DIALOG_ID: dialogId, MESSAGE: message, ...params }),
      },
    },
    imbot: {
      register: (params: Params) => result<number>(client, "imbot.register", params),
      unregister: (botId: number) => result<boolean>(client, "imbot.unregister", { BOT_ID: botId }),
      message: {
        add: (dialogId: string, message: string, params: Params = {}) =>
          result<number>(client, "imbot.message.add", { DIALOG_ID: dialogId, MESSAGE: message, ...params }),
      },
    },
    placement: {
      bind: (placement: string, handler: string, params: Params = {}) =>
        result<boolean>(client, "placement.bind", { PLACEMENT: placement, HANDLER: handler, ...params }),
      unbind: (placement: string, handler?: string) =>
        result<{ count: number }>(client, "placement.unbind", {
          PLACEMENT: placement,
          ...(handler ? { HANDLER: handler } : {}),
        }),
      get: () => result<Array<Record<string, unknown>>>(client, "placement.get"),
      list: () => result<string[]>(client, "placement.list"),
    },
    event: {
      bind: (event: string, handler: string, params: Params = {}) =>
        result<boolean>(client, "event.bind", { event, handler, ...params }),
      /** An online binding needs its handler (api-reference/events/event-unbind.md); pass `event_type: "offline"` in `params` for an offline one. */
      unbind: (event: string, handler?: string, params: Params = {}) =>
        result<{ count: number }>(client, "event.unbind", {
          event,
          ...(handler ? { handler } : {}),
          ...params,
        }),
      get: () =>
        result<Array<{ event: string; handler: string; auth_type: string; offline: number }>>(
          client,
          "event.get",
        ),
    },
    app: {
      info: () => result<AppInfo>(client, "app.info"),
      option: {
        get: <T = unknown>(option?: string) => result<T>(client, "app.option.get", option ? { option } : {}),
        set: (options: Params) => result<boolean>(client, "app.option.set", { options }),
      },
    },
  };
}

export type TypedMethods = ReturnType<typeof typedMethods>;
