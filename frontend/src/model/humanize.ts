/** Sizes and times as the file list shows them: "1.5 MB", "3 minutes ago" (DOM-free). */
import { msg, t } from "../i18n";

export function formatSize(size: number | null): string {
  if (size === null || size === undefined) return "";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = size;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function relativeTime(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 60) return t("seconds ago");
  const steps: [number, string, string][] = [
    [60, msg("{count} minute ago"), msg("{count} minutes ago")],
    [3600, msg("{count} hour ago"), msg("{count} hours ago")],
    [86400, msg("{count} day ago"), msg("{count} days ago")],
    [2592000, msg("{count} month ago"), msg("{count} months ago")],
    [31536000, msg("{count} year ago"), msg("{count} years ago")],
  ];
  let label = "";
  for (const [size, one, many] of steps) {
    const count = Math.floor(seconds / size);
    if (count >= 1) label = t(count === 1 ? one : many, { count });
  }
  return label;
}
