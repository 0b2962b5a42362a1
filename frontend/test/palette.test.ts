import { describe, expect, it } from "vitest";
import { fuzzyScore, Palette, rankCommands } from "../src/model/palette";

const commands = [
  { name: "run-all", label: "Run All", keys: [] },
  { name: "restart-run-all", label: "Restart & Run All", keys: [] },
  { name: "run", label: "Run Cells", keys: ["Ctrl-Enter"] },
  { name: "insert-below", label: "Insert Cell Below", keys: ["B"] },
  { name: "toggle-line-numbers", label: "Toggle Line Numbers", keys: ["L"] },
];

describe("fuzzyScore", () => {
  it("matches a subsequence, ignoring case and spaces, with the matched positions", () => {
    expect(fuzzyScore("icb", "Insert Cell Below")?.positions).toEqual([0, 7, 12]);
    expect(fuzzyScore("run all", "Run All")?.positions).toEqual([0, 1, 2, 4, 5, 6]);
    expect(fuzzyScore("xyz", "Run All")).toBeNull();
    expect(fuzzyScore("", "Run All")).toEqual({ score: 0, positions: [] });
  });

  it("prefers consecutive letters and word starts", () => {
    const tight = fuzzyScore("run", "Run Cells")?.score ?? 0;
    const loose = fuzzyScore("run", "Restart & Run All")?.score ?? 0;
    expect(tight).toBeGreaterThan(loose);
    // "tln" picks the word starts of Toggle Line Numbers over letters inside words.
    expect(fuzzyScore("tln", "Toggle Line Numbers")?.positions).toEqual([0, 7, 12]);
  });
});

describe("rankCommands", () => {
  it("puts the best match first and drops the others", () => {
    const ranked = rankCommands(commands, "run all");
    expect(ranked.map((r) => r.command.name)).toEqual(["run-all", "restart-run-all"]);
  });

  it("lists every command alphabetically for an empty query", () => {
    expect(rankCommands(commands, "").map((r) => r.command.label)).toEqual(["Insert Cell Below", "Restart & Run All", "Run All", "Run Cells", "Toggle Line Numbers"]);
  });

  it("finds a command by its action name too", () => {
    expect(rankCommands(commands, "insert-below")[0].command.name).toBe("insert-below");
  });
});

describe("Palette", () => {
  it("moves the highlight with wrap-around and resets it on a new search", () => {
    const palette = new Palette(commands);
    expect(palette.chosen?.label).toBe("Insert Cell Below");
    palette.move(-1);
    expect(palette.chosen?.label).toBe("Toggle Line Numbers");
    palette.move(1);
    palette.move(1);
    expect(palette.chosen?.label).toBe("Restart & Run All");
    palette.move(10);
    expect(palette.chosen?.label).toBe("Toggle Line Numbers");
    palette.search("cells");
    expect(palette.active).toBe(0);
    expect(palette.chosen?.name).toBe("run");
    palette.search("qqq");
    palette.move(1);
    expect(palette.chosen).toBeNull();
  });
});
