import { encodeForm, flattenParams } from "@b24kit/rest";
import { describe, expect, it } from "vitest";

describe("PHP form encoding", () => {
  it("nests objects and arrays with bracket keys", () => {
    expect(
      flattenParams({
        fields: { TITLE: "A&B", PHONE: [{ VALUE: "555", VALUE_TYPE: "WORK" }] },
        select: ["ID", "TITLE"],
      }),
    ).toEqual([
      ["fields[TITLE]", "A&B"],
      ["fields[PHONE][0][VALUE]", "555"],
      ["fields[PHONE][0][VALUE_TYPE]", "WORK"],
      ["select[0]", "ID"],
      ["select[1]", "TITLE"],
    ]);
  });

  it("escapes reserved characters so a value cannot inject a parameter", () => {
    const body = encodeForm({ filter: { ">ID": 10, "%TITLE": "a=b&c" } });
    expect(body).toBe("filter%5B%3EID%5D=10&filter%5B%25TITLE%5D=a%3Db%26c");
    expect(new URLSearchParams(body).get("filter[%TITLE]")).toBe("a=b&c");
  });

  it("keeps empty containers and drops undefined", () => {
    expect(flattenParams({ a: [], b: {}, c: undefined, d: null })).toEqual([
      ["a", ""],
      ["b", ""],
      ["d", ""],
    ]);
  });
});
