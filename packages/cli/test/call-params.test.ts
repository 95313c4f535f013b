import { describe, expect, it } from "vitest";
import { parseParams } from "../src/commands/call/call-params.js";
import { ExportProgress } from "../src/commands/call/export-progress.js";

// The params syntax of `b24kit call` and its progress output, in process.

describe("b24kit call params", () => {
  it("reads a JSON object", () => {
    expect(parseParams(['{"id": 42, "fields": {"TITLE": "x"}}'])).toEqual({ id: 42, fields: { TITLE: "x" } });
  });

  it("reads key=value with PHP bracket keys, filter operators included", () => {
    expect(
      parseParams([
        "filter[STAGE_ID]=WON",
        "filter[<=ID]=100",
        "filter[!=TITLE]=a=b",
        "select[]=ID",
        "select[]=TITLE",
        "fields[PHONE][0][VALUE]=555",
        "fields[PHONE][0][VALUE_TYPE]=WORK",
        "empty=",
      ]),
    ).toEqual({
      filter: { STAGE_ID: "WON", "<=ID": "100", "!=TITLE": "a=b" },
      select: ["ID", "TITLE"],
      fields: { PHONE: [{ VALUE: "555", VALUE_TYPE: "WORK" }] },
      empty: "",
    });
  });

  it("reads key:=json as a JSON value, and merges arguments left to right", () => {
    expect(parseParams(['{"id": 1, "halt": 0}', "id:=42", "filter[@ID]:=[1,2]", "halt:=true"])).toEqual({
      id: 42,
      halt: true,
      filter: { "@ID": [1, 2] },
    });
  });

  it.each([
    [["{oops"], "not valid JSON"],
    [["[1,2]"], "key=value"],
    [["word"], "key=value"],
    [["id:=nope"], "not valid JSON"],
    [["a[0]=1", "a[x]=2"], "mixes list items"],
    [["a[2]=1"], "without gaps"],
    [["a=1", "a[b]=2"], "already text"],
    [["__proto__[x]=1"], "not allowed"],
    [['{"__proto__": {"x": 1}}'], "not allowed"],
  ])("refuses %j", (args, message) => {
    expect(() => parseParams(args)).toThrow(message);
  });
});

describe("b24kit call --all progress", () => {
  function progress(isTTY: boolean) {
    let t = 0;
    let text = "";
    const p = new ExportProgress(
      {
        isTTY,
        columns: 100,
        write: (s: string) => {
          text += s;
        },
      },
      { mode: isTTY ? "bar" : "lines", everyMs: 1000, now: () => t },
    );
    p.total = 1000;
    return {
      p,
      at: (ms: number) => {
        t = ms;
      },
      text: () => text,
    };
  }

  it("draws a bar in place on a terminal: rows of the total, rate, ETA", () => {
    const { p, at, text } = progress(true);
    for (let i = 0; i < 250; i++) {
      at(i * 2);
      p.tick();
    }
    at(1000);
    p.tick();
    expect(text()).toContain(
      "\r\x1b[K[##########------------------------------]  25% 251/1,000 rows  251 rows/s  ETA 0:03",
    );
    p.finish();
    expect(text().endsWith("\r\x1b[K")).toBe(true);
    expect(text()).not.toContain("\n");
  });

  it("writes a plain line every interval otherwise", () => {
    const { p, at, text } = progress(false);
    for (let i = 1; i <= 500; i++) {
      at(i * 10);
      p.tick();
    }
    expect(text().trim().split("\n")).toEqual([
      "progress: 100/1,000 rows (10%), 100 rows/s, ETA 0:09",
      "progress: 200/1,000 rows (20%), 100 rows/s, ETA 0:08",
      "progress: 300/1,000 rows (30%), 100 rows/s, ETA 0:07",
      "progress: 400/1,000 rows (40%), 100 rows/s, ETA 0:06",
      "progress: 500/1,000 rows (50%), 100 rows/s, ETA 0:05",
    ]);
    expect(p.summary()).toBe("500 rows in 5.0 s (100 rows/s)");
  });
});
