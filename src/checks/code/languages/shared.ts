// What several specs list alike. A clue shared by several languages is one constant listed in
// each of their specs, so it weighs the same for all of them (detect.ts counts it once per block).
import type { Clue } from './spec.js'

/** Spring and Bean Validation annotations: Java, and Kotlin on the JVM. */
export const JVM_ANNOTATIONS: Clue = [/@(Override|Autowired|Service|RestController|Transactional|Data|Component|Valid|NotNull)\b/, 2]

/** Bean Validation runs a parameter's constraints only when it is marked so: Java, and Kotlin on the JVM. */
export const BEAN_VALIDATION = /@(Valid|Validated)\b/

/** jest's and vitest's calls that take tests: `describe`, `it.each(…)`, `test.skip`. */
export const TEST_SUITE_CALLS = /^(describe|it|test|suite|context|beforeEach|afterEach|beforeAll|afterAll|before|after)$/

/** `public class X`: Java and C#. */
export const VISIBLE_CLASS: Clue = [/\b(public|private|protected)\s+(static\s+)?(final\s+)?class\s+\w+/, 1]

/** `throw new X`: Java, C#, JavaScript and TypeScript. */
export const THROW_NEW: Clue = [/\bthrow\s+new\s+\w+/, 1]

/** What JavaScript and TypeScript both write. */
export const SCRIPT_CLUES: readonly Clue[] = [
  [/\b(const|let)\s+[\w{[]/, 2],
  [/\bfunction\s*\w*\s*\(|=>\s*[{(\w]/, 2],
  [/\bconsole\.\w+\(|\brequire\(['"]|\bmodule\.exports\b|===|!==|\bundefined\b/, 3],
  [/^\s*import\s+.*\s+from\s+['"]|^\s*export\s+(default|const|function|class|async|interface|type)\b/m, 3]
]

/**
 * Answers often show class members alone (a NestJS handler, a method with decorators), which the
 * script grammars accept only inside a class.
 */
export const CLASS_MEMBER_WRAPPER = ['class Snippet { ', '\n}'] as const
