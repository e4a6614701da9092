// What the code checks know about one language. The tracer names no node type itself: it asks the
// spec of the grammar that parsed a node (see parser.ts, languageOf). Each list holds only types
// its grammar has (__tests__/unit/code-languages.test.ts checks this), so one grammar's name for
// a shape never reaches another grammar that uses the name for something else.

/** A hint that code is in a language, and how much a match counts towards it (see detect.ts). */
export type Clue = readonly [pattern: RegExp, weight: number]

/** The kinds of failure handler a code can sit in without being raised by a guard. */
export type HandlerKind = 'catch' | 'except' | 'finally' | 'defer'

/**
 * Where a binding node keeps the name it binds and the value it binds it to (syntax.ts,
 * bindingParts, reads each shape).
 */
export type BindingShape =
  /** `name` (or first child) and `value`, or the value in a `valueClauses` child (C#'s `= 1`). */
  | 'declarator'
  /** `left` and `right`, or target then value when the grammar names no fields (Kotlin). */
  | 'assignment'
  /** `left` and `right`: assignments, Go's `:=`, for-in and range loops. */
  | 'left-right'
  /** `left` and `right`, or a `declaredVariables` child and the iterated value (Kotlin's for). */
  | 'for'
  /** `name` and `value`: walrus, Go's var/const specs, enum members, class fields, Java's for-each. */
  | 'name-value'
  /** `property` and `value`: JavaScript class fields. */
  | 'property-value'
  /** `name` and `arguments`: Java's `INVALID_FLAG(50003, …)`. */
  | 'name-arguments'
  /** First child and its `entryArguments` child: Kotlin's `INVALID_FLAG(50003)`. */
  | 'enum-entry'
  /** A `declaredVariables` child and the last child: Kotlin's `val x = …`. */
  | 'declared-property'
  /** `key` and `value`: map and object entries. */
  | 'key-value'

/** The tree-sitter node types the tracer needs, by the part they play. Absent lists are empty. */
export interface NodeTypes {
  comments: readonly string[]
  strings: readonly string[]
  /** A string alone in a statement documents rather than computes (Python's docstring). */
  docStrings?: { string: string; statement: string }
  functions: {
    declared: readonly string[]
    /** Functions written inline; one passed to a call runs as part of the code around it. */
    lambdas: readonly string[]
    /** Declarations whose name is their first identifier rather than a `name` field. */
    namedByFirstIdentifier?: readonly string[]
    /** Children that hold the parameters when no `parameters` field does. */
    parameterLists: readonly string[]
    /** Parameters that declare several names with one type: Go's `a, b int`. */
    multiNameParameters?: readonly string[]
  }
  calls: {
    /** Calls and constructions (`new X(…)`, Go's `X{…}`), which take arguments the same way. */
    types: readonly string[]
    /** Calls that split their callee into `object` and `name` fields. */
    methodInvocations?: readonly string[]
    /** Calls whose callee is their first child when no field names it (Kotlin names no fields). */
    calleeFirst?: readonly string[]
    /** Constructions whose `body` holds the arguments: Go's `X{…}`. */
    bodyArguments?: readonly string[]
    /** Children that hold the arguments when no `arguments` field does. */
    argumentLists?: readonly string[]
    /** Nodes in an argument list that wrap the arguments themselves (Kotlin's trailing lambda). */
    argumentWrappers?: readonly string[]
    /**
     * Trailing lambdas that the grammar hangs on a call of the call before them: Kotlin reads
     * `require(ok) { "50001" }` as a call of `require(ok)`, which is one call with two arguments.
     */
    trailingLambdas?: readonly string[]
  }
  /** `a.b`: a callee's receiver, and the name a binding target such as `self.x` declares. */
  memberAccess: readonly string[]
  /** Classes and their kin, which name what their members belong to (`UserValidator.check`). */
  classes: readonly string[]
  /** Annotations, attributes and decorators on declarations: what marks a test, a validator, a validated parameter. */
  annotations?: {
    types: readonly string[]
    /** Lists between an annotation and what it annotates (Java's modifiers, C#'s attribute_list). */
    lists?: readonly string[]
    /** Nodes that wrap a declaration together with its decorators (Python's decorated_definition). */
    wrappers?: readonly string[]
  }
  /** Statements that assert, which only tests write (Python's `assert`). */
  assertStatements?: readonly string[]
  /** Nodes that handle a failure rather than validate input, by kind. */
  handlers: Partial<Record<HandlerKind, readonly string[]>>
  exits: {
    /** Statements and expressions that leave the function. */
    types: readonly string[]
    /** Jumps that leave only when they throw or return (Kotlin's also break and continue). */
    jumps?: readonly string[]
    /** Calls that never return: Go's panic. */
    calls?: readonly { call: string; callee: string }[]
  }
  conditionals: {
    /** Conditionals read by their `condition` field (and Go's `if x := …;` initializer). */
    byCondition: readonly string[]
    /** Read by `condition`, or by the middle operand where the grammar names none (Python's `a if c else b`). */
    byMiddleOperand?: readonly string[]
    /** Conditionals whose condition is their first operand (Kotlin's if and `?:`). */
    byFirstOperand?: readonly string[]
    /**
     * Which conditionals and cases yield a value rather than run statements: their branch leaves
     * only when the value is returned or thrown.
     */
    expressions: readonly string[]
    /** `a ?? throw …`: an expression of this type with this operator guards its left operand. */
    nullishGuard?: { expression: string; operator: string }
  }
  switches: {
    types: readonly string[]
    /** Cases, arms and entries, each conditioned by the switch's subject and its labels. */
    cases: readonly string[]
    labels: readonly string[]
    /** Cases whose children are all labels but the last, the value (C#'s switch expression arm). */
    valueArms?: readonly string[]
    /** Children that hold the subject when no field does (Kotlin's when_subject). */
    subjects?: readonly string[]
    /** Switches whose subject is their first child when no field names it. */
    subjectFirst?: readonly string[]
  }
  /**
   * Constraint annotations on parameters, fields and properties, which a framework checks before
   * the method runs: `@Range(…) Integer activeFlag`, C#'s `[Range(…)] public int ActiveFlag`.
   */
  constraints?: {
    annotations: readonly string[]
    /** The annotation's node leaves out its brackets, which messages put back (C#). */
    bracketed?: boolean
    /** Lists between an annotation and what it annotates. */
    modifierLists?: readonly string[]
    /** Lists that annotate the node after them rather than their parent (Kotlin's parameter_modifiers). */
    precedingModifiers?: readonly string[]
    /** Parameters and properties, which name what they declare in a `name` field or by their first identifier. */
    namedHolders?: readonly string[]
    /** Field declarations, which name it in a `fieldDeclarators` child. */
    fieldHolders?: readonly string[]
    fieldDeclarators?: readonly string[]
  }
  bindings: {
    shapes: Partial<Record<BindingShape, readonly string[]>>
    valueClauses?: readonly string[]
    declaredVariables?: readonly string[]
    entryArguments?: readonly string[]
    /** Initializers whose fields belong to the value being built (C#'s `new E { Code = 50001 }`). */
    objectInitializers?: readonly string[]
  }
  /** Imports and their parts: a name there is not a use of it. */
  imports: readonly string[]
}

export interface LanguageSpec<Id extends string = string> {
  id: Id
  /** How messages name the language. */
  label: string
  /** The grammar's file in tree-sitter-wasms' `out/`. */
  grammarFile: string
  /** Fence tags and `language:` values that mean this language, lower case. */
  aliases: readonly string[]
  /** What untagged code in this language tends to hold (see detect.ts). */
  clues: readonly Clue[]
  /** The language this one extends, whose clues it lists too: it wins only on its own. */
  supersetOf?: string
  /**
   * What a bare snippet is wrapped in when it does not parse alone. The wrapper opens on the
   * code's first line, so line numbers stay put.
   */
  snippetWrapper?: readonly [before: string, after: string]
  /** How tests are told apart beyond annotations such as `@Test` (see tests.ts). */
  tests?: {
    /** Functions a test runner collects by name: pytest's `test_…`, Go's `TestX`. */
    functionNames?: RegExp
    /** What such a function's parameters must hold as well: Go's `*testing.T`. */
    functionParameters?: RegExp
    /** Classes a test runner collects by name: pytest's `Test…`. */
    classNames?: RegExp
    /** Calls whose function arguments are tests: jest's and vitest's describe/it/test. */
    suiteCalls?: RegExp
  }
  /** How declarative validation comes to run (see target.ts). */
  declarative?: {
    /**
     * What a parameter of a constrained class must carry for its constraints to run (Bean
     * Validation's `@Valid`). Absent: any parameter of that type is validated (ASP.NET, FastAPI).
     */
    parameterMarker?: RegExp
    /** Building the class validates it (pydantic). */
    validatesOnConstruction?: boolean
    /** Decorators that make a method a validator of the fields they name (pydantic's `@field_validator`). */
    validatorDecorators?: RegExp
  }
  syntax: NodeTypes
}

/** Declares a spec, keeping its id's literal type so the table can derive LanguageId. */
export function defineLanguage<const Id extends string>(spec: LanguageSpec<Id>): LanguageSpec<Id> {
  return spec
}

/**
 * Every node type a spec names, split into named types and anonymous tokens (operators), for
 * checking them against the grammar. Callee names are words in code, not node types.
 */
export function nodeTypesNamed(spec: LanguageSpec): { named: string[]; tokens: string[] } {
  const named = new Set<string>()
  const tokens = new Set<string>()
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (key === 'operator') tokens.add(value)
      else if (key !== 'callee') named.add(value)
    } else if (Array.isArray(value)) for (const item of value) visit(item, key)
    else if (value && typeof value === 'object') for (const [field, item] of Object.entries(value)) visit(item, field)
  }
  visit(spec.syntax, 'syntax')
  return { named: [...named], tokens: [...tokens] }
}
