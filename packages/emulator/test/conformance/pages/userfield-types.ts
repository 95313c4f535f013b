import type { Caller, MethodPage, PageContext } from "../page-fixture.js";

/* Custom field types (api-reference/widgets/user-field/): an installed app as an administrator. */

const TYPE_APP: Caller = { app: ["placement"] };

const addType = (ctx: PageContext, code: string, handler: string) =>
  ctx.call(
    "userfieldtype.add",
    { USER_TYPE_ID: code, HANDLER: handler, TITLE: `${code} title`, DESCRIPTION: `${code} desc` },
    TYPE_APP,
  );

const typeAdd: MethodPage = {
  method: "userfieldtype.add",
  page: "api-reference/widgets/user-field/userfieldtype-add.md",
  scope: "placement",
  parameters: [
    { name: "USER_TYPE_ID", required: true },
    { name: "HANDLER", required: true },
    { name: "TITLE" },
    { name: "DESCRIPTION" },
    { name: "OPTIONS" },
  ],
  setup: async (ctx) => {
    await addType(ctx, "taken", "https://app.example/taken/");
  },
  calls: [
    {
      as: TYPE_APP,
      params: {
        USER_TYPE_ID: "test_type",
        HANDLER: "https://app.example/userfieldtype/",
        TITLE: "Test type",
        DESCRIPTION: "Test userfield type for documentation",
        OPTIONS: { height: 60 },
      },
      result: "boolean",
    },
  ],
  errors: [
    {
      when: "the handler is bound to another type of the app",
      status: 400,
      error: "ERROR_CORE",
      description: "Handler already binded",
      as: TYPE_APP,
      params: { USER_TYPE_ID: "another", HANDLER: "https://app.example/taken/" },
    },
  ],
};

const typeUpdate: MethodPage = {
  method: "userfieldtype.update",
  page: "api-reference/widgets/user-field/userfieldtype-update.md",
  scope: "placement",
  parameters: [
    { name: "USER_TYPE_ID", required: true },
    { name: "HANDLER", required: true },
    { name: "TITLE", acceptedWithout: "the add page makes TITLE optional; a type keeps its title" },
    { name: "DESCRIPTION" },
    { name: "OPTIONS" },
  ],
  setup: async (ctx) => {
    await addType(ctx, "test_type", "https://app.example/userfieldtype/");
  },
  calls: [
    {
      as: TYPE_APP,
      params: {
        USER_TYPE_ID: "test_type",
        HANDLER: "https://app.example/userfieldtype/v2/",
        TITLE: "Updated test type",
        DESCRIPTION: "Updated description",
        OPTIONS: { height: 80 },
      },
      result: "boolean",
    },
  ],
  errors: [
    {
      when: "the app has no type with this code",
      status: 400,
      error: "ERROR_NOT_FOUND",
      description: "User Field Type not found",
      as: TYPE_APP,
      params: { USER_TYPE_ID: "missing", HANDLER: "https://app.example/missing/", TITLE: "x" },
    },
  ],
};

const typeDelete: MethodPage = {
  method: "userfieldtype.delete",
  page: "api-reference/widgets/user-field/userfieldtype-delete.md",
  scope: "placement",
  parameters: [{ name: "USER_TYPE_ID", required: true }],
  setup: async (ctx) => {
    await addType(ctx, "test_type", "https://app.example/userfieldtype/");
  },
  calls: [{ as: TYPE_APP, params: { USER_TYPE_ID: "test_type" }, result: "boolean" }],
  errors: [
    {
      when: "the app has no type with this code",
      status: 400,
      error: "ERROR_NOT_FOUND",
      description: "User Field Type not found",
      as: TYPE_APP,
      params: { USER_TYPE_ID: "never_added" },
    },
  ],
};

const typeList: MethodPage = {
  method: "userfieldtype.list",
  page: "api-reference/widgets/user-field/userfieldtype-list.md",
  scope: "placement",
  parameters: [],
  setup: async (ctx) => {
    await addType(ctx, "test_user_type", "https://app.example/test/");
    await addType(ctx, "my_custom_type_1", "https://app.example/test1/");
  },
  calls: [
    {
      as: TYPE_APP,
      params: {},
      result: [{ USER_TYPE_ID: "string", HANDLER: "string", TITLE: "string", DESCRIPTION: "string" }],
      envelope: { total: "number" },
      check: (result) => {
        const codes = (result as Array<{ USER_TYPE_ID: string }>).map((t) => t.USER_TYPE_ID);
        if (JSON.stringify(codes) !== JSON.stringify(["my_custom_type_1", "test_user_type"]))
          throw new Error(`the app's types, newest first: ${JSON.stringify(codes)}`);
      },
    },
  ],
};

export const userFieldTypePages: MethodPage[] = [typeAdd, typeUpdate, typeDelete, typeList];
