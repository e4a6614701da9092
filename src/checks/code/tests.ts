// Test code, which never counts as a guard: a test that expects 50003 shows what the author hoped
// the method does, not what it does. An answer often appends tests to the method, and
// `assertEquals(50003, ex.getCode())` reads like an assertion helper raising 50003.
//
// Test code is:
// - a test function: marked by an annotation or attribute (JUnit's and Kotlin's `@Test`,
//   `@ParameterizedTest`, xUnit's `[Fact]`/`[Theory]`, NUnit's `[Test]`, MSTest's `[TestMethod]`),
//   or named so for its runner (pytest's `test_…`, Go's `TestX(t *testing.T)`), and a class
//   that holds one (pytest's `Test…` too);
// - a function passed to jest's or vitest's describe/it/test;
// - an assertion: a call of JUnit's, unittest's or kotlin.test's assert… (`assertEquals`,
//   `assertThat(…).isEqualTo(…)`), of xUnit's or NUnit's `Assert.Equal`/`Assert.AreEqual`, of
//   testify's `assert.Equal`/`require.Equal`, Node's `assert`, `expect(…)` and what is chained
//   on it, or Python's `assert` statement. Spring's `Assert.isTrue(ok, 50003)` and Kotlin's
//   `require(ok) { "50003" }` are guards, not tests: they run in the method.
import type { Node } from 'web-tree-sitter'
import { languageOf } from './parser.js'
import {
  annotationName,
  annotationsOf,
  argumentsNode,
  calleeName,
  calleeText,
  callReceiver,
  encloses,
  functionName,
  isAssertStatement,
  isCall,
  isClass,
  className,
  isFunction,
  isLambda,
  namedChildren,
  parameterTexts
} from './syntax.js'

/** Annotations and attributes that make a function part of a test (its setup and teardown too). */
const TEST_MARKER = /^(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Fact|Theory|TestMethod|DataTestMethod|TestCase|TestCaseSource|Before|After|BeforeEach|AfterEach|BeforeAll|AfterAll|BeforeClass|AfterClass|BeforeTest|AfterTest|SetUp|TearDown)$/

/** Test frameworks' assertion functions: `assertEquals`, `assertThat`, `assert_called_with`, `assertFailsWith`. */
const ASSERTION = /^(assert|assert(Equals?|NotEquals?|That|True|False|Null|NotNull|None|IsNone|IsNotNone|Same|NotSame|Throws\w*|DoesNotThrow|Raises\w*|In|NotIn|Is|IsNot|IsInstance|Greater\w*|Less\w*|AlmostEqual|\w+Equals?|All|Fails\w*|Contains|CountEqual|Timeout)|assert_\w+)$/

/** Where a chain of matchers starts: `expect(x).toBe(…)`, `assertThat(x).isEqualTo(…)`. */
const MATCHER_ROOT = /^(expect|assertThat|assertk)$/

function isTestAssertion(call: Node): boolean {
  const name = calleeName(call)
  if (ASSERTION.test(name)) return true
  const receiver = calleeText(call).slice(0, -name.length).replace(/[.?:>-]+$/, '')
  // xUnit's Assert.Equal, NUnit's Assert.AreEqual; Spring's Assert.isTrue is a guard.
  if (/(^|\.)(Assert|Assertions|CollectionAssert|StringAssert)$/.test(receiver) && /^[A-Z]/.test(name)) return true
  // Node's assert.strictEqual, testify's assert.Equal and require.Equal.
  if (receiver === 'assert' || (receiver === 'require' && /^[A-Z]/.test(name))) return true
  for (let inner = callReceiver(call); inner; inner = isCall(inner) ? callReceiver(inner) : namedChildren(inner)[0]) {
    if (isCall(inner) && MATCHER_ROOT.test(calleeName(inner))) return true
    if (!isCall(inner) && namedChildren(inner).length === 0) break
  }
  return false
}

function isTestFunction(fn: Node): boolean {
  if (annotationsOf(fn).some((annotation) => TEST_MARKER.test(annotationName(annotation)))) return true
  const tests = languageOf(fn).tests
  const name = functionName(fn)
  if (!tests?.functionNames || name === undefined || !tests.functionNames.test(name)) return false
  return !tests.functionParameters || parameterTexts(fn).some((text) => tests.functionParameters!.test(text))
}

function isTestClass(node: Node): boolean {
  const pattern = languageOf(node).tests?.classNames
  const name = className(node)
  if (pattern && name !== undefined && pattern.test(name)) return true
  const holdsTest = (at: Node): boolean =>
    namedChildren(at).some((child) => (isFunction(child) && !isLambda(child) ? isTestFunction(child) : !isClass(child) && holdsTest(child)))
  return holdsTest(node)
}

function isSuiteCall(call: Node): boolean {
  const pattern = languageOf(call).tests?.suiteCalls
  return pattern !== undefined && pattern.test(calleeText(call).split(/[.(]/)[0] ?? '')
}

/** Whether a node lies in test code: a test function or class, a suite's callback, or an assertion. */
export function isTestCode(node: Node): boolean {
  for (let at: Node | null = node; at; at = at.parent) {
    if (isAssertStatement(at)) return true
    if (isCall(at) && at !== node) {
      const list = argumentsNode(at)
      const inArguments = list !== undefined && encloses(list, node)
      if (inArguments && (isTestAssertion(at) || isSuiteCall(at))) return true
    }
    if (isFunction(at) && !isLambda(at) && isTestFunction(at)) return true
    if (isClass(at) && isTestClass(at)) return true
  }
  return false
}
