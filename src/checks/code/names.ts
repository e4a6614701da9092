// How the names a suite writes meet the names an answer writes: in any style (ActiveFlag,
// active_flag, getActiveFlag), and for a renamed parameter, abbreviated (sysDelFlag).
/** Lower case, letters and digits only, so ActiveFlag, activeFlag, active_flag and ACTIVE_FLAG meet. */
export function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

// A guard that tests `getActiveFlag()` tests activeFlag: accessors read the field they name.
const ACCESSOR_PREFIX = /^(get|is|has|Get|Is|Has)(?=[A-Z_])/

/** The keys a name matches by: itself, and as an accessor (`getActiveFlag`, `isActiveFlag`, `get_active_flag`). */
export function nameKeys(name: string): string[] {
  return [squash(name), squash(name.replace(ACCESSOR_PREFIX, ''))]
}

/** Whether two names are the same parameter written in different styles (activeFlag, ACTIVE_FLAG, getActiveFlag). */
export function sameName(a: string, b: string): boolean {
  const keys = new Set(nameKeys(a))
  return nameKeys(b).some((key) => keys.has(key))
}

/** A name's words, lower case: SystemDeleteFlag and system_delete_flag → system, delete, flag. */
function words(name: string): string[] {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z\d]+/)
    .filter((word) => word.length > 0)
}

/**
 * Whether `short` is made of prefixes of `long`'s words, in order, with some words left out:
 * sysDelFlag and sdf abbreviate SystemDeleteFlag, uid and id abbreviate userId.
 */
function abbreviates(short: string, long: string): boolean {
  const letters = squash(short)
  const parts = words(long)
  const failed = new Set<string>()
  const fits = (at: number, word: number): boolean => {
    if (at === letters.length) return true
    if (word === parts.length || failed.has(`${at}:${word}`)) return false
    const part = parts[word]!
    for (let length = 1; length <= part.length && letters[at + length - 1] === part[length - 1]; length++) {
      if (fits(at + length, word + 1)) return true
    }
    if (fits(at, word + 1)) return true
    failed.add(`${at}:${word}`)
    return false
  }
  return letters.length >= 2 && fits(0, 0)
}

/** Whether one name abbreviates the other: sysDelFlag ↔ SystemDeleteFlag, activeFlag ↔ activeFlagValue. */
export function looselyNamed(a: string, b: string): boolean {
  return abbreviates(a, b) || abbreviates(b, a)
}
