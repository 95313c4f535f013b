import { escapeHtml } from "../core/responses.js";

export interface ChartLine {
  label: string;
  /** [unix ms, value], oldest first. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface ChartInput {
  title: string;
  /** What the values are (`per min`, `ms`). */
  unit: string;
  lines: ReadonlyArray<ChartLine>;
  /** The time window drawn (unix ms). */
  from: number;
  to: number;
}

/** The same four colours as `.legend .c0…c3` in the console's style sheet. */
const COLORS = ["#2fc6f6", "#c62828", "#7b61ff", "#2e7d32"];
const W = 540;
const H = 160;
const PAD = { left: 44, right: 10, top: 10, bottom: 22 };

function short(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  if (Math.abs(value) >= 10) return value.toFixed(0);
  return value.toFixed(value >= 1 ? 1 : 2);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/**
 * A line chart as inline SVG, drawn on the server (no script): a polyline and a dot per point
 * for each line, the value axis from 0 to the largest value, times in UTC. `data-points` on the
 * SVG tells how many points it holds (0: "no samples yet").
 */
export function svgChart(input: ChartInput): string {
  const total = input.lines.reduce((n, line) => n + line.points.length, 0);
  const max = Math.max(0, ...input.lines.flatMap((line) => line.points.map(([, v]) => v)));
  const top = max > 0 ? max * 1.1 : 1;
  const span = Math.max(1, input.to - input.from);
  const x = (t: number) => PAD.left + ((t - input.from) / span) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.5, 1]
    .map((f) => {
      const v = top * f;
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eef0f2"/><text x="${PAD.left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${short(v)}</text>`;
    })
    .join("");
  const ticks = [0, 0.5, 1]
    .map((f) => {
      const t = input.from + span * f;
      const anchor = f === 0 ? "start" : f === 1 ? "end" : "middle";
      return `<text x="${x(t).toFixed(1)}" y="${H - 6}" text-anchor="${anchor}">${clock(t)}</text>`;
    })
    .join("");
  const lines = input.lines
    .map((line, i) => {
      const color = COLORS[i % COLORS.length];
      const coords = line.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`);
      const dots = line.points
        .map(
          ([t, v]) =>
            `<circle cx="${x(t).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2" fill="${color}"><title>${escapeHtml(
              `${line.label}: ${short(v)} ${input.unit} at ${clock(t)} UTC`,
            )}</title></circle>`,
        )
        .join("");
      return `<g data-line="${escapeHtml(line.label)}"><polyline fill="none" stroke="${color}" stroke-width="1.5" points="${coords.join(" ")}"/>${dots}</g>`;
    })
    .join("");
  const empty =
    total === 0
      ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no samples in this window yet</text>`
      : "";
  const legend = input.lines
    .map((line, i) => `<span><i class="c${i % COLORS.length}"></i>${escapeHtml(line.label)}</span>`)
    .join("");
  return `<figure class="card chart"><figcaption><b>${escapeHtml(input.title)}</b> <span class="l">(${escapeHtml(
    input.unit,
  )})</span></figcaption><svg role="img" aria-label="${escapeHtml(input.title)}" data-points="${total}" viewBox="0 0 ${W} ${H}" width="100%" xmlns="http://www.w3.org/2000/svg">${grid}${ticks}${lines}${empty}</svg><div class="legend">${legend}</div></figure>`;
}
