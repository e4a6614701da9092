import type { LanguageId } from './languages.js'

type Clue = readonly [pattern: RegExp, weight: number, languages: readonly LanguageId[]]

const SCRIPT: readonly LanguageId[] = ['javascript', 'typescript']
const JVM_OR_DOTNET: readonly LanguageId[] = ['java', 'csharp']

// Each clue counts once per block. Weights favour what only one language writes; clues that
// several share only break ties, and the parse decides between the best candidates.
const CLUES: readonly Clue[] = [
  [/\bimport\s+java\.|^\s*package\s+[\w.]+;/m, 4, ['java']],
  [/\bSystem\.(out|err)\.print/, 3, ['java']],
  [/@(Override|Autowired|Service|RestController|Transactional|Data|Component|Valid|NotNull)\b/, 2, ['java', 'kotlin']],
  [/\bString\s+\w+\s*[=;,)]/, 2, ['java']],
  [/\bthrows\s+[A-Z]\w*/, 2, ['java']],
  [/\b(public|private|protected)\s+(static\s+)?(final\s+)?[\w<>[\],\s]+?\s+[a-z]\w*\s*\(/, 2, ['java']],
  [/\bboolean\b|\bfinal\s+[A-Z]?\w+\s+\w+\s*=|\.equals\(/, 1, ['java']],
  [/\b(public|private|protected)\s+(static\s+)?(final\s+)?class\s+\w+/, 1, JVM_OR_DOTNET],
  [/\bthrow\s+new\s+\w+/, 1, [...JVM_OR_DOTNET, ...SCRIPT]],
  [/\busing\s+System\b|^\s*namespace\s+[\w.]+/m, 4, ['csharp']],
  [/\{\s*get;\s*(private\s+|init;\s*|set;\s*)*\}/, 4, ['csharp']],
  [/\b(async\s+)?Task(<[^>]*>)?\s+[A-Z]\w*\s*\(|\bI?ActionResult\b|\bnameof\(|\bConsole\.Write/, 3, ['csharp']],
  [/\b(public|private|protected|internal)\s+(static\s+)?(async\s+)?[\w<>[\]?]+\s+[A-Z]\w*\s*\(/, 2, ['csharp']],
  [/\b(string|bool)\s+\w+\s*[=;,)]|\b(int|long)\?\s+\w+/, 2, ['csharp']],
  [/\bfun\s+[\w.<>]+\s*\(/, 5, ['kotlin']],
  [/\bval\s+\w+\s*[:=]|\bdata\s+class\b|\bcompanion\s+object\b|\bimport\s+kotlin/, 3, ['kotlin']],
  [/\bwhen\s*(\([^)]*\))?\s*\{|\?:|!!/, 2, ['kotlin']],
  [/:\s*(String|Int|Long|Boolean)\??\s*[,)=]/, 2, ['kotlin']],
  [/^\s*package\s+\w+\s*$/m, 4, ['go']],
  [/\bfunc\s+(\([^)]*\)\s*)?\w+\s*\(/, 5, ['go']],
  [/:=/, 3, ['go']],
  [/\berr\s*!=\s*nil\b|\btype\s+\w+\s+struct\b|\bfmt\.\w+/, 4, ['go']],
  [/^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(->\s*[^:]+)?:\s*$/m, 5, ['python']],
  [/^\s*class\s+\w+(\([^)]*\))?:\s*$/m, 4, ['python']],
  [/^\s*(raise\s+\w+|except\b.*:\s*$|elif\b)/m, 3, ['python']],
  [/\bNone\b|\bself\.|^\s*from\s+[\w.]+\s+import\s+\w+/m, 2, ['python']],
  [/\b(const|let)\s+[\w{[]/, 2, SCRIPT],
  [/\bfunction\s*\w*\s*\(|=>\s*[{(\w]/, 2, SCRIPT],
  [/\bconsole\.\w+\(|\brequire\(['"]|\bmodule\.exports\b|===|!==|\bundefined\b/, 3, SCRIPT],
  [/^\s*import\s+.*\s+from\s+['"]|^\s*export\s+(default|const|function|class|async|interface|type)\b/m, 3, SCRIPT],
  [/:\s*(string|number|boolean|void|any|unknown|never)\b|\binterface\s+\w+\s*(extends\s+[\w, ]+)?\{/, 3, ['typescript']],
  [/\btype\s+\w+\s*=|\bPromise<|\bas\s+(const|string|number)\b|\breadonly\s+\w+/, 2, ['typescript']]
]

/** Candidate languages for untagged code, most likely first; empty when it does not look like code. */
export function rankLanguages(code: string): LanguageId[] {
  const scores = new Map<LanguageId, number>()
  for (const [pattern, weight, languages] of CLUES) {
    if (!pattern.test(code)) continue
    for (const language of languages) scores.set(language, (scores.get(language) ?? 0) + weight)
  }
  // TypeScript is a superset of JavaScript: it wins only on its own clues.
  if ((scores.get('typescript') ?? 0) > (scores.get('javascript') ?? 0)) scores.delete('javascript')
  else scores.delete('typescript')
  return [...scores.entries()]
    .filter(([, score]) => score >= 2)
    .sort((a, b) => b[1] - a[1])
    .map(([language]) => language)
}
