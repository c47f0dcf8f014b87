const WHEN = /^(\d{2})\.(\d{2})\.(\d{4})\s+(\d{1,2}):(\d{2})$/;

/** "DD.MM.YYYY HH:MM" in Almaty time (R17: UTC+5) → ISO instant, or null. */
export function parseWhen(text: string): string | null {
  const m = WHEN.exec(text.trim());
  if (!m) return null;
  const [, d, mo, y, h, mi] = m;
  const iso = `${y}-${mo}-${d}T${(h ?? "").padStart(2, "0")}:${mi}:00+05:00`;
  const date = new Date(iso);
  if (
    Number.isNaN(date.getTime()) ||
    !iso.startsWith(new Date(date.getTime() + 5 * 3600_000).toISOString().slice(0, 10))
  )
    return null;
  return date.toISOString();
}
