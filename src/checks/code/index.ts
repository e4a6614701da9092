import type { CheckDefinition } from '../types.js'

/** Checks that read the generated code as code (`error-codes`, `validation`). */
export const codeChecks: CheckDefinition[] = []
