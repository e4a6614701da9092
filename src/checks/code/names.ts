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
