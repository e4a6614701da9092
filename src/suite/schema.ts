// The JSON schema of a suite file, written once: Ajv validates against it and the raw file's
// types are derived from it, so the two cannot drift apart.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import type { FromSchema } from 'json-schema-to-ts'
import { checkRegistry, type CheckDefinition } from '../checks/index.js'
import { BACKENDS } from '../server/registry.js'
import { settingsSchema } from '../server/settings.js'

/** A case id: it names the case in messages, the report and the results file, so it stays plain. */
export const CASE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$'
export const BASE_URL_PATTERN = '^https?://'

const sampling = {
  temperature: { type: 'number', minimum: 0, maximum: 2 },
  seed: { type: 'integer' },
  'max-tokens': { type: 'integer', minimum: 1 },
  'top-p': { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  repeat: { type: 'integer', minimum: 1, maximum: 100 }
} as const

const messageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'content'],
  properties: { role: { enum: ['system', 'user', 'assistant'] }, content: { type: 'string' } }
} as const

/**
 * The suite schema around a given schema for one `assert:` item. The item is a parameter because
 * its real schema is only known at run time, from the check registry; the types use a stand-in.
 */
function suiteSchemaWith<const Assertion extends object>(assertion: Assertion) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['cases'],
    properties: {
      name: { type: 'string' },
      description: { type: 'string' },
      server: {
        type: 'object',
        additionalProperties: false,
        properties: {
          backend: { enum: BACKENDS },
          model: { type: 'string', minLength: 1 },
          'base-url': { type: 'string', pattern: BASE_URL_PATTERN },
          'extra-args': { type: 'array', items: { type: 'string' } },
          settings: settingsSchema
        }
      },
      defaults: {
        type: 'object',
        additionalProperties: false,
        properties: { ...sampling, 'min-tokens-per-second': { type: 'number', exclusiveMinimum: 0 } }
      },
      cases: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: {
            id: { type: 'string', pattern: CASE_ID_PATTERN },
            system: { type: 'string' },
            prompt: { type: 'string', minLength: 1 },
            messages: { type: 'array', minItems: 1, items: messageSchema },
            ...sampling,
            assert: { type: 'array', items: assertion }
          }
        }
      }
    }
  } as const
}

/**
 * What every `assert:` item has in common: a `type` and fields of its check. The types stop here,
 * as the checks' `Assertion` does; the run-time schema adds each check's own fields to it.
 */
const anyAssertion = { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } as const

/** A suite file as parsed and validated, before defaults and camelCase. */
export type RawSuite = FromSchema<ReturnType<typeof suiteSchemaWith<typeof anyAssertion>>>
export type RawCase = RawSuite['cases'][number]
export type ChatMessage = FromSchema<typeof messageSchema>

/** One `assert:` item: exactly one known check, with that check's own fields. */
function assertionSchema(checks: Iterable<CheckDefinition>): object {
  return {
    ...anyAssertion,
    // With the discriminator Ajv reports an unknown or missing `type` once, rather than one
    // error per check that did not match.
    discriminator: { propertyName: 'type' },
    oneOf: [...checks].map((check) => ({
      type: 'object',
      properties: { type: { const: check.type }, ...check.properties },
      required: ['type', ...check.required],
      additionalProperties: false
    }))
  }
}

/** The whole suite schema: the fixed fields, and each registered check's own. */
export function suiteSchema(): object {
  return suiteSchemaWith(assertionSchema(checkRegistry.values()))
}

let validator: ValidateFunction | undefined

/**
 * Every schema error in `value`. Compiled on first use: importing the suite module stays cheap.
 * The schema is ours, so it is not checked against the JSON Schema meta-schema at each start
 * (compiling that took a third of the time), nor is the generated code optimised (another
 * quarter, for a validator that runs once a run); a unit test checks the schema once.
 */
export function schemaErrors(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true, validateSchema: false, code: { optimize: false } }).compile(suiteSchema())
  return validator(value) ? [] : (validator.errors ?? [])
}
