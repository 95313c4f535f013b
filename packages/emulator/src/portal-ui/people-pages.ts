import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import { placementButtons, tabStrip } from "./frame-markup.js";
import { card, esc, fieldTable } from "./html.js";
import { type PageContext, renderPage, userName } from "./layout.js";
import { visiblePlacements } from "./visibility.js";

/*
 * People and tasks: the profile `/company/personal/user/{id}/` (with
 * USER_PROFILE_TOOLBAR), a user's task list and the task card
 * `/company/personal/user/{userId}/tasks/task/view/{taskId}/` (with TASK_VIEW_TAB).
 */

const TASK_STATUS: Record<string, string> = {
  "1": "New",
  "2": "Pending",
  "3": "In progress",
  "4": "Supposedly completed",
  "5": "Completed",
  "6": "Deferred",
  "7": "Declined",
};

function ids(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

function userLink(ctx: PageContext, id: unknown): string {
  const user = typeof id === "number" ? ctx.portal.users.get(id) : undefined;
  return user ? `<a href="/company/personal/user/${user.ID}/">${esc(userName(user))}</a>` : "";
}

/** Tasks `viewer` may see (admins: all; others: the ones they take part in), as tasks.task.list decides. */
function taskVisible(row: Row, viewer: PortalUser): boolean {
  if (viewer.ADMIN) return true;
  return (
    row.CREATED_BY === viewer.ID ||
    row.RESPONSIBLE_ID === viewer.ID ||
    ids(row.ACCOMPLICES).includes(viewer.ID) ||
    ids(row.AUDITORS).includes(viewer.ID)
  );
}

export function profilePage(ctx: PageContext, person: PortalUser): string {
  const rows: Array<[string, string]> = [
    ["Name", esc(userName(person))],
    ["Position", esc(person.WORK_POSITION)],
    ["E-mail", person.EMAIL ? `<a href="mailto:${esc(person.EMAIL)}">${esc(person.EMAIL)}</a>` : ""],
    ["Administrator", person.ADMIN ? "Yes" : "No"],
    ["Active", person.ACTIVE ? "Yes" : "No"],
    ["Type", esc(person.IS_BOT ? "chat bot" : person.USER_TYPE)],
    ["Departments", esc(person.UF_DEPARTMENT.join(", "))],
  ];
  const toolbar = placementButtons(
    visiblePlacements(ctx.world, ctx.portal, ctx.user, "USER_PROFILE_TOOLBAR"),
    {
      USER_ID: person.ID,
    },
  );
  const avatar = `<div class="b24-profile__avatar">${esc(
    ((person.NAME[0] ?? "") + (person.LAST_NAME[0] ?? "")).toUpperCase() || person.ID,
  )}</div>`;
  const links = `<p><a class="b24-btn b24-btn--light" href="/company/personal/user/${person.ID}/tasks/">Tasks</a> <a class="b24-btn b24-btn--light" href="/online/?dialog=${person.ID}">Write a message</a></p>`;
  return renderPage(ctx, {
    title: userName(person),
    actions: toolbar,
    body: `<div class="b24-grid">${card(
      undefined,
      `<div class="b24-profile">${avatar}<div><div class="b24-profile__name">${esc(userName(person))}</div><div class="b24-muted">${esc(person.WORK_POSITION)}</div></div></div>${links}`,
    )}${card("Contact information", fieldTable(rows))}</div>`,
  });
}

export function taskListPage(ctx: PageContext, owner: PortalUser): string {
  const rows = ctx.portal
    .table("tasks")
    .all()
    .filter((row) => taskVisible(row, ctx.user))
    .filter((row) => row.RESPONSIBLE_ID === owner.ID || row.CREATED_BY === owner.ID)
    .sort((a, b) => b.ID - a.ID);
  const table = rows.length
    ? `<table class="b24-table"><thead><tr><th>ID</th><th>Task</th><th>Status</th><th>Responsible</th><th>Deadline</th></tr></thead><tbody>${rows
        .map(
          (row) =>
            `<tr><td>${row.ID}</td><td><a class="b24-link-strong" href="/company/personal/user/${owner.ID}/tasks/task/view/${row.ID}/">${esc(row.TITLE)}</a></td><td>${esc(TASK_STATUS[String(row.STATUS)] ?? row.STATUS)}</td><td>${userLink(ctx, row.RESPONSIBLE_ID)}</td><td>${esc(String(row.DEADLINE ?? "").slice(0, 10))}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p class="b24-empty">No tasks.</p>`;
  return renderPage(ctx, {
    title: `Tasks of ${userName(owner)}`,
    active: "tasks",
    body: card(undefined, table),
  });
}

/** The task if the viewer may see it; undefined otherwise. */
export function loadTask(ctx: PageContext, taskId: number): Row | undefined {
  const row = ctx.portal.table("tasks").get(taskId);
  return row && taskVisible(row, ctx.user) ? row : undefined;
}

export function taskPage(ctx: PageContext, ownerId: number, row: Row): string {
  const fields: Array<[string, string]> = [
    ["Status", esc(TASK_STATUS[String(row.STATUS)] ?? row.STATUS)],
    ["Created by", userLink(ctx, row.CREATED_BY)],
    ["Responsible", userLink(ctx, row.RESPONSIBLE_ID)],
    [
      "Participants",
      ids(row.ACCOMPLICES)
        .map((id) => userLink(ctx, id))
        .join(", "),
    ],
    [
      "Observers",
      ids(row.AUDITORS)
        .map((id) => userLink(ctx, id))
        .join(", "),
    ],
    ["Deadline", esc(row.DEADLINE ?? "")],
    ["Created on", esc(row.CREATED_DATE ?? "")],
  ];
  const general = `<div class="b24-grid">${card(
    "Description",
    `<div class="b24-text">${esc(row.DESCRIPTION ?? "") || '<span class="b24-muted">No description</span>'}</div>`,
  )}${card("Details", fieldTable(fields))}</div>`;
  const tabs = visiblePlacements(ctx.world, ctx.portal, ctx.user, "TASK_VIEW_TAB");
  return renderPage(ctx, {
    title: String(row.TITLE ?? `Task #${row.ID}`),
    active: "tasks",
    actions: `<a class="b24-btn b24-btn--link" href="/company/personal/user/${ownerId}/tasks/">← Tasks</a>`,
    body: tabStrip("Task", general, tabs, { taskId: row.ID }),
  });
}
