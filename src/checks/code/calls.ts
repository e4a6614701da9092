// What a call does, judged by its name and what it is called on, the same in every language:
// whether it writes, validates, or looks something up. trace.ts reads conditions through these
// (a guard testing `repo.findById(userId)` tests what the lookup found, not userId itself), and
// placement.ts tells a not-found handler from a catch.
import type { Node } from 'web-tree-sitter'
import { calleeName, calleeText } from './syntax.js'

// Calls that change state. What a condition passes to one is not tested: `if (!repo.update(flag))`
// checks that a write worked, not that the input was valid.
const WRITE = /^(update|save|insert|delete|remove|exec|persist|send|write|modify|create|upsert|patch|commit|store|apply|change|mark|perform|process|handle|do(?=[A-Z_]))/i

/** Names that say the call checks what it is given: `isValidFlag(x)`, `validateID(id)`, `Objects.requireNonNull(x)`. */
export const VALIDATOR = /^(is|check|validat|verif|ensure|assert|require)|valid/i

// Names that fetch by what they are given: `findById(id)`, `selectById`, `FindAsync`, `get(id)`.
const LOOKUP = /^(find|get|select|load|fetch|query|lookup|read|retrieve|search|first|single|one|count)/i

// An existence check is a lookup however it is named: `isUserExists(id)`, `existsById(id)`.
const EXISTS = /exist/i

// What data is kept in, by the name of what the call is made on: `userMapper.byId(id)`, `_db.Users.Find(id)`.
const DATA_SOURCE = /(repo|repository|mapper|dao|db|database|store|session|client|cache|entitymanager|objects|query|table|collection|service|api|users)$/i

export function isWriteCall(call: Node): boolean {
  return WRITE.test(calleeName(call))
}

/**
 * Whether a call looks something up by its arguments, so that what it returns is another value
 * (the user) rather than the arguments themselves: a lookup-like name, an existence check, or a
 * call on a repository, mapper, session or the like that is neither a write nor a validator.
 */
export function isLookupCall(call: Node): boolean {
  const name = calleeName(call)
  if (WRITE.test(name)) return false
  if (EXISTS.test(name)) return true
  if (VALIDATOR.test(name)) return false
  const receiver = calleeText(call).slice(0, -name.length).replace(/[.?:>-]+$/, '').split(/\?\.|\.|::|->/).pop() ?? ''
  return LOOKUP.test(name) || DATA_SOURCE.test(receiver)
}
