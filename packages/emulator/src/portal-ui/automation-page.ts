import {
  AUTOMATED,
  type AutomatedEntity,
  type AutomationRule,
  addRule,
  deleteRule,
  rulesOf,
} from "../automation/automation-rules.js";
import { robotCatalogue } from "../automation/robot-catalogue.js";
import { localText, type RobotRecord, robotByCode, robotById } from "../automation/robot-records.js";
import { type RobotRun, runsOf } from "../automation/robot-runs.js";
import { card, esc, notice } from "./html.js";
import { type PageContext, renderPage } from "./layout.js";

/*
 * The automation page of a CRM entity, at a real portal's path
 * (`/crm/deal/automation/{categoryId}/`, api-reference/widgets/crm/robot-designer-toolbar.md):
 * a column per stage with the robots placed on it; an admin adds an app's
 * robot to a stage with its property values, or removes one. The record's
 * page shows what the robots did (runsCard).
 */

type Body = Record<string, unknown>;

const stageTitle = (stage: string) =>
  stage
    .toLowerCase()
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");

export function automationPage(
  ctx: PageContext,
  entity: AutomatedEntity,
  categoryId: number,
  message?: { kind: "success" | "error"; text: string },
): string {
  const spec = AUTOMATED[entity];
  const path = `/crm/${spec.code}/automation/${categoryId}/`;
  const catalogue = robotCatalogue(ctx.portal, entity);
  const rules = rulesOf(ctx.portal, entity, categoryId);
  const columns = spec.stages
    .map((stage) => {
      const placed = rules.filter((r) => r.STAGE_ID === stage).map((rule) => ruleCard(ctx, rule, path));
      return `<section class="b24-card b24-automation__stage" data-stage="${esc(stage)}">
<h2 class="b24-card__title">${esc(stageTitle(stage))}</h2>
${placed.join("") || `<p class="b24-muted">No automation rules</p>`}
${catalogue.length ? addForm(stage, catalogue, path) : ""}
</section>`;
    })
    .join("");
  const intro = catalogue.length
    ? "Robots run when a record enters the stage they are placed on."
    : "No installed application offers automation rules for this section.";
  return renderPage(ctx, {
    title: spec.title,
    active: "crm",
    actions: `<a class="b24-btn b24-btn--link" href="/crm/${spec.code}/list/">← Back to the list</a>`,
    body: `${message ? notice(message.kind, message.text) : ""}${notice("info", intro)}<div class="b24-automation" data-automation="${entity}">${columns}</div>`,
  });
}

function ruleCard(ctx: PageContext, rule: AutomationRule, path: string): string {
  const robot = robotByCode(ctx.portal, rule.CLIENT_ID, rule.CODE);
  const values = Object.entries(rule.VALUES)
    .map(([k, v]) => `<li>${esc(robot ? localText(robot.PROPERTIES[k]?.Name) || k : k)}: ${esc(v)}</li>`)
    .join("");
  const blocked = robot
    ? ""
    : `<p class="b24-muted">Blocked: the application no longer offers this robot.</p>`;
  return `<article class="b24-robot" data-rule-id="${rule.ID}" data-robot-code="${esc(rule.CODE)}">
<strong>${esc(robot ? localText(robot.NAME) : rule.CODE)}</strong> <span class="b24-muted">immediately</span>
${values ? `<ul>${values}</ul>` : ""}${blocked}
<form method="post" action="${path}"><input type="hidden" name="action" value="delete"><input type="hidden" name="ruleId" value="${rule.ID}"><button class="b24-btn b24-btn--link" type="submit" data-remove-rule>Remove</button></form>
</article>`;
}

function addForm(stage: string, catalogue: RobotRecord[], path: string): string {
  const options = catalogue.map((r) => `<option value="${r.ID}">${esc(localText(r.NAME))}</option>`).join("");
  // Property inputs of every robot, each named by robot: the chosen robot's are read. The `r` keeps
  // the form parser from taking a numeric key for an array index.
  const inputs = catalogue
    .flatMap((robot) =>
      Object.entries(robot.PROPERTIES).map(
        ([key, p]) =>
          `<label class="b24-form__row"><span class="b24-form__label">${esc(localText(robot.NAME))}: ${esc(localText(p.Name))}</span><input name="values[r${robot.ID}][${esc(key)}]" value="${esc(p.Default ?? "")}"></label>`,
      ),
    )
    .join("");
  return `<form class="b24-form" method="post" action="${path}" data-add-rule="${esc(stage)}">
<input type="hidden" name="action" value="add"><input type="hidden" name="stage" value="${esc(stage)}">
<label class="b24-form__row"><span class="b24-form__label">Add a robot</span><select name="robotId" data-robot-select>${options}</select></label>
${inputs}
<button class="b24-btn b24-btn--primary" type="submit">Add</button>
</form>`;
}

/** The page's form: add a robot to a stage, or remove a placed one. */
export function changeAutomation(
  ctx: PageContext,
  entity: AutomatedEntity,
  categoryId: number,
  body: Body,
): { kind: "success" | "error"; text: string } {
  if (body.action === "delete") {
    const id = Number(body.ruleId);
    const rule = rulesOf(ctx.portal, entity, categoryId).find((r) => r.ID === id);
    if (!rule) return { kind: "error", text: "That automation rule is no longer there." };
    deleteRule(ctx.portal, id);
    ctx.world.onChange();
    return { kind: "success", text: "The automation rule was removed." };
  }
  const stage = String(body.stage ?? "");
  if (!(AUTOMATED[entity].stages as readonly string[]).includes(stage))
    return { kind: "error", text: `There is no stage ${stage} here.` };
  const robot = robotById(ctx.portal, Number(body.robotId));
  if (!robot || !robotCatalogue(ctx.portal, entity).some((r) => r.ID === robot.ID))
    return { kind: "error", text: "Choose one of the robots offered." };
  const submitted =
    (body.values as Record<string, Record<string, unknown>> | undefined)?.[`r${robot.ID}`] ?? {};
  const values: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(robot.PROPERTIES)) {
    const value = submitted[key] ?? p.Default;
    if ((value === undefined || value === "") && p.Required === "Y")
      return { kind: "error", text: `${localText(p.Name)} is required.` };
    if (value !== undefined && value !== "") values[key] = value;
  }
  addRule(ctx.portal, {
    ENTITY: entity,
    CATEGORY_ID: categoryId,
    STAGE_ID: stage,
    CLIENT_ID: robot.CLIENT_ID,
    CODE: robot.CODE,
    VALUES: values,
    CREATED_BY: ctx.user.ID,
  });
  ctx.world.onChange();
  return { kind: "success", text: `${localText(robot.NAME)} was added to ${stageTitle(stage)}.` };
}

/** The record's automation timeline: each robot run, its outcome and what it returned. */
export function runsCard(ctx: PageContext, entity: AutomatedEntity, id: number): string {
  const runs = runsOf(ctx.portal, ctx.world.clock.nowMs(), { entity, id });
  if (runs.length === 0) return "";
  return card("Automation", `<ol class="b24-timeline" data-robot-runs>${runs.map(runItem).join("")}</ol>`);
}

const STATUS_TEXT: Record<RobotRun["STATUS"], string> = {
  running: "waiting for the application",
  completed: "completed",
  timed_out: "timed out",
  failed: "failed",
};

function runItem(run: RobotRun): string {
  const values = Object.entries(run.RETURN_VALUES)
    .map(([k, v]) => `<li><span data-return="${esc(k)}">${esc(k)}: ${esc(v)}</span></li>`)
    .join("");
  const log = run.LOG.map((line) => `<li>${esc(line)}</li>`).join("");
  return `<li class="b24-timeline__item" data-run-id="${run.ID}" data-status="${run.STATUS}">
<strong>${esc(run.ROBOT_NAME)}</strong>: <span data-run-status>${STATUS_TEXT[run.STATUS]}</span>
${values ? `<ul>${values}</ul>` : ""}${log ? `<ul class="b24-muted">${log}</ul>` : ""}
</li>`;
}
