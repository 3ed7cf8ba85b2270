import { describe, expect, it } from "vitest";
import { CsvConfig } from "./csv/config.js";
import { XmlConfig } from "./xml/config.js";

describe("options of the other direction", () => {
  it("are rejected with the option's path and the direction it belongs to", () => {
    const csv = CsvConfig.safeParse({ direction: "json-to-csv", cast: true, output: "rows" });
    expect(csv.success).toBe(false);
    expect(csv.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["cast", 'applies only to direction "csv-to-json": remove it or change direction'],
      ["output", 'applies only to direction "csv-to-json": remove it or change direction'],
    ]);
    const xml = XmlConfig.safeParse({ direction: "xml-to-json", pretty: true });
    expect(xml.error?.issues.map((i) => i.path.join("."))).toEqual(["pretty"]);
  });

  it("are accepted with their own direction", () => {
    expect(CsvConfig.safeParse({ direction: "csv-to-json", cast: true, output: "rows" }).success).toBe(true);
    expect(XmlConfig.safeParse({ direction: "json-to-xml", pretty: true }).success).toBe(true);
  });
});
