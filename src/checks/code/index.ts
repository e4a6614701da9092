import type { CheckDefinition } from '../types.js'
import { errorCodes, validation } from './checks.js'

/** Checks that read the generated code as code (`error-codes`, `validation`); see trace.ts for what counts. */
export const codeChecks: CheckDefinition[] = [errorCodes, validation]
