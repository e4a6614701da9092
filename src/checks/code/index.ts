import type { CheckDefinition } from '../types.js'
import { errorCodes } from './error-codes.js'
import { validation } from './validation.js'

/**
 * Checks that read the generated code as code; see placement.ts for what counts as a guard. Adding
 * one is a file that calls codeCheck (code-check.ts), listed here.
 */
export const codeChecks: CheckDefinition[] = [errorCodes, validation]
