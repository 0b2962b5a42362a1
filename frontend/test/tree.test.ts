import { describe, expect, it } from "vitest";
import { formatSize, relativeTime } from "../src/model/humanize";

describe("tree formatting", () => {
  it("formats sizes in decimal units", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(999)).toBe("999 B");
    expect(formatSize(3000)).toBe("3.0 kB");
    expect(formatSize(25_000_000)).toBe("25 MB");
    expect(formatSize(null)).toBe("");
  });

  it("says how long ago", () => {
    const now = Date.parse("2026-01-10T00:00:00Z");
    expect(relativeTime("2026-01-09T23:59:30Z", now)).toBe("seconds ago");
    expect(relativeTime("2026-01-09T23:58:00Z", now)).toBe("2 minutes ago");
    expect(relativeTime("2026-01-09T00:00:00Z", now)).toBe("1 day ago");
    expect(relativeTime("garbage", now)).toBe("");
  });
});
