import { describe, expect, it } from "vitest";
import { cellsFilling, estimateCellHeight, estimateOutputHeight, LINE } from "../src/model/cellheight";
import type { Output } from "../src/model/types";

function code(source: string, outputs: Output[] = []) {
  return { type: "code", source, outputs: { outputs } };
}

const lines = (n: number): Output => ({ output_type: "stream", name: "stdout", text: "x\n".repeat(n) });

describe("cell height guesses", () => {
  it("grow with the lines of a stream, up to the clipped part of a huge one", () => {
    expect(estimateOutputHeight(lines(75)) - estimateOutputHeight(lines(25))).toBe(50 * LINE);
    expect(estimateOutputHeight(lines(1_000_000))).toBeLessThan(400 * LINE);
  });

  it("count an image and the source lines; a markdown cell's outputs are not there", () => {
    const image: Output = { output_type: "display_data", data: { "image/png": "AAAA" }, metadata: {} };
    expect(estimateCellHeight(code("a", [image]))).toBeGreaterThan(estimateCellHeight(code("a")) + 200);
    expect(estimateCellHeight(code("a\nb\nc"))).toBeGreaterThan(estimateCellHeight(code("a")));
    expect(estimateCellHeight({ type: "markdown", source: "x", outputs: { outputs: [lines(100)] } })).toBe(estimateCellHeight(code("x")));
  });

  it("draw at once only the cells that fill the screen, at least one and at most the cap", () => {
    const tall = Array.from({ length: 20 }, () => code("print()", [lines(75)]));
    expect(cellsFilling(tall, 900, 8)).toBe(1);
    const short = Array.from({ length: 20 }, () => code("x = 1"));
    expect(cellsFilling(short, 900, 8)).toBe(8);
    expect(cellsFilling([], 900, 8)).toBe(1);
  });
});
