import type { CheckDefinition } from '../types.js'
import { errorCodes } from './error-codes.js'
import { notTreeSitterQuery, treeSitterQuery } from './query.js'
import { validation } from './validation.js'

/**
 * Checks that read the generated code as code; see placement.ts for what counts as a guard, and
 * query.ts for the structural checks a suite writes itself. Adding one is a file that calls
 * codeCheck (code-check.ts), listed here.
 */
export const codeChecks: CheckDefinition[] = [errorCodes, validation, treeSitterQuery, notTreeSitterQuery]
