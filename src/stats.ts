/** Median of the finite numbers given, or null when there are none. */
export function median(values: readonly (number | null | undefined)[]): number | null {
  const sorted = values
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** A rate or duration as people read it: 148.78 → "148.8", 6114.3 → "6114". */
export function formatFigure(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  if (Math.abs(value) >= 1000) return Math.round(value).toString()
  if (Math.abs(value) >= 100) return value.toFixed(1)
  return value.toFixed(2)
}
