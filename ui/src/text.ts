// How values read in the UI: sizes, dates, counts.

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** "2008-10-22T16:28:39+08:00" → "22 Oct 2008, 16:28:39 (UTC+08:00)": the camera's wall time. */
export function captureTime(iso: string | null): string {
  if (!iso) return "Unknown";
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})(.*)$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d, time, offset] = m;
  const month = MONTHS[Number(mo) - 1] ?? mo;
  return `${Number(d)} ${month} ${y}, ${time}${offset ? ` (UTC${offset})` : ""}`;
}

/** "2008-10-22" → "Wednesday, 22 October 2008" (the day is a calendar date, not an instant). */
export function dayHeading(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}


const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-12-05T10:00:00Z" → "2 min ago", "3 h ago", "5 Dec" (older than a day). */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return "";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(at).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

/** Who made a face's decision, and when: "named by @pacoxu · 2 min ago" (empty outside a team). */
export function namedBy(face: { by: string | null; decided_at: string | null; login: string | null }): string {
  if (!face.by) return "";
  const when = ago(face.decided_at);
  return `${face.login ? "named" : "decided"} by @${face.by}${when ? ` · ${when}` : ""}`;
}
