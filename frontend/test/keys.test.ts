import { describe, expect, it } from "vitest";
import { chordName, COMMAND_SHORTCUTS, KeySequencer } from "../src/model/keys";

describe("keyboard shortcuts", () => {
  it("names chords the way the tables spell them", () => {
    expect(chordName({ key: "Enter", shift: true })).toBe("Shift-Enter");
    expect(chordName({ key: "M", shift: true })).toBe("Shift-M");
    expect(chordName({ key: "S", ctrl: true })).toBe("Ctrl-s");
    expect(chordName({ key: "_", ctrl: true, shift: true })).toBe("Ctrl-Shift-Minus");
    expect(chordName({ key: "a" })).toBe("a");
  });

  it("resolves single keys and two-key sequences", () => {
    const keys = new KeySequencer(COMMAND_SHORTCUTS, 800);
    expect(keys.press({ key: "a" }, 0)).toBe("insert-above");
    expect(keys.press({ key: "d" }, 10)).toBeNull();
    expect(keys.waiting).toBe(true);
    expect(keys.press({ key: "d" }, 20)).toBe("delete");
    expect(keys.press({ key: "0" }, 30)).toBeNull();
    expect(keys.press({ key: "0" }, 40)).toBe("restart");
    expect(keys.press({ key: "i" }, 50)).toBeNull();
    expect(keys.press({ key: "i" }, 60)).toBe("interrupt");
  });

  it("forgets the first key of a sequence after the timeout or another key", () => {
    const keys = new KeySequencer(COMMAND_SHORTCUTS, 800);
    keys.press({ key: "d" }, 0);
    expect(keys.press({ key: "d" }, 900)).toBeNull();
    expect(keys.press({ key: "d" }, 950)).toBe("delete");
    keys.press({ key: "d" }, 1000);
    expect(keys.press({ key: "b" }, 1010)).toBe("insert-below");
    expect(keys.press({ key: "d" }, 1020)).toBeNull();
  });
});
