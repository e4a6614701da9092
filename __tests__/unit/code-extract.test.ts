import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { rankLanguages } from '../../src/checks/code/detect.js'
import { extractCodeBlocks } from '../../src/checks/code/extract.js'
import { GRAMMAR_FILES, RUNTIME_FILE, RUNTIME_SCRIPT, SHIPPED_FILES, locateGrammars } from '../../src/checks/code/grammars.js'
import { languageNamed } from '../../src/checks/code/languages/index.js'

const FENCE = '```'

describe('extractCodeBlocks', () => {
  it('finds several tagged blocks and where they start in the answer', () => {
    const answer = ['Intro', `${FENCE}java`, 'class A {}', FENCE, 'Between', '', `${FENCE}python`, 'x = 1', 'y = 2', FENCE, 'End'].join('\n')
    expect(extractCodeBlocks(answer)).toEqual([
      { code: 'class A {}', tag: 'java', taggedLanguage: 'java', startLine: 3, fenced: true, closed: true },
      { code: 'x = 1\ny = 2', tag: 'python', taggedLanguage: 'python', startLine: 8, fenced: true, closed: true }
    ])
  })

  it.each([
    ['java title="UserService.java"', 'java', 'java'],
    ['{.kotlin}', 'kotlin', 'kotlin'],
    ['language-ts', 'ts', 'typescript'],
    ['C#', 'c#', 'csharp'],
    ['golang', 'golang', 'go'],
    ['jsx', 'jsx', 'javascript'],
    ['sql', 'sql', undefined]
  ])('reads the tag of %j', (info, tag, language) => {
    const [block] = extractCodeBlocks(`${FENCE}${info}\ncode\n${FENCE}`)
    expect(block).toMatchObject({ tag, code: 'code' })
    expect(block!.taggedLanguage).toBe(language)
  })

  it.each(['', 'text', 'plaintext', 'code'])('treats the tag %j as no tag', (info) => {
    const [block] = extractCodeBlocks(`${FENCE}${info}\ncode\n${FENCE}`)
    expect(block).toEqual({ code: 'code', startLine: 2, fenced: true, closed: true })
  })

  it('closes a fence only with the same character and at least its length', () => {
    const answer = ['````markdown', '```java', 'class A {}', '```', '~~~~', '````'].join('\n')
    expect(extractCodeBlocks(answer)).toEqual([
      { code: '```java\nclass A {}\n```\n~~~~', tag: 'markdown', startLine: 2, fenced: true, closed: true }
    ])
  })

  it('reads tilde fences', () => {
    expect(extractCodeBlocks('~~~go\nfunc f() {}\n~~~')).toEqual([
      { code: 'func f() {}', tag: 'go', taggedLanguage: 'go', startLine: 2, fenced: true, closed: true }
    ])
  })

  it('removes the indentation of a fence inside a list item', () => {
    const answer = ['1. The service:', '', `   ${FENCE}java`, '   void f() {', '       g();', '   }', `   ${FENCE}`].join('\n')
    expect(extractCodeBlocks(answer)[0]).toMatchObject({ code: 'void f() {\n    g();\n}', startLine: 4 })
  })

  it('runs an unclosed fence to the end of a truncated answer', () => {
    expect(extractCodeBlocks(`Here:\n${FENCE}js\nconst a = 1\nconst b =`)).toEqual([
      { code: 'const a = 1\nconst b =', tag: 'js', taggedLanguage: 'javascript', startLine: 3, fenced: true, closed: false }
    ])
  })

  it('does not take inline triple backticks for a fence', () => {
    expect(extractCodeBlocks('Use ```x``` here.')).toEqual([{ code: 'Use ```x``` here.', startLine: 1, fenced: false, closed: true }])
  })

  it('takes an answer without fences as one unfenced block', () => {
    expect(extractCodeBlocks('def f():\n    return 1')).toEqual([{ code: 'def f():\n    return 1', startLine: 1, fenced: false, closed: true }])
  })

  it('finds nothing in an empty answer', () => {
    expect(extractCodeBlocks('  \n ')).toEqual([])
  })

  it('drops the carriage returns of CRLF answers', () => {
    expect(extractCodeBlocks(`${FENCE}java\r\nint a;\r\nint b;\r\n${FENCE}\r\n`)[0]).toMatchObject({ code: 'int a;\nint b;', closed: true })
  })
})

describe('rankLanguages', () => {
  it.each([
    ['java', 'public class UserService {\n    public Result update(Long userId) {\n        String name = "x";\n        return Result.ok();\n    }\n}'],
    ['java', 'import java.util.List;\n\npublic void f(Integer flag) throws BizException {\n    if (flag == null) throw new BizException(1);\n}'],
    ['csharp', 'using System;\n\nnamespace App;\n\npublic class UserService\n{\n    public string Name { get; set; }\n}'],
    ['csharp', 'public async Task<IActionResult> UpdateUserStatus(long id)\n{\n    var user = await _db.Users.FindAsync(id);\n    return Ok();\n}'],
    ['kotlin', 'fun updateUserStatus(userId: Long?, flag: Int?) {\n    val id = userId ?: throw BizException(1)\n}'],
    ['go', 'func UpdateUserStatus(userID int64) error {\n\tuser, err := repo.Find(userID)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}'],
    ['python', 'def update_user_status(user_id, flag):\n    if user_id is None:\n        raise BizError(50001)\n'],
    ['typescript', 'export async function update(userId: number, flag: number): Promise<void> {\n  const user = await repo.find(userId);\n}'],
    ['javascript', "const express = require('express');\nrouter.put('/x', async (req, res) => {\n  if (req.body.flag === undefined) return res.status(400).json({});\n});"]
  ])('puts %s first', (language, code) => {
    expect(rankLanguages(code)[0]).toBe(language)
  })

  it('finds no language in prose', () => {
    expect(rankLanguages('I am sorry, but I cannot help with that request.')).toEqual([])
    expect(rankLanguages('The method should check the user id first.')).toEqual([])
  })

  it('offers runners-up for the parse to decide between', () => {
    const ranked = rankLanguages('public class A {\n    public void Update(int flag) {\n        throw new Exception();\n    }\n}')
    expect(ranked.slice(0, 2).sort()).toEqual(['csharp', 'java'])
  })
})

describe('languageNamed', () => {
  it.each([
    ['Java', 'java'],
    ['c#', 'csharp'],
    ['cs', 'csharp'],
    ['KT', 'kotlin'],
    ['py', 'python'],
    ['tsx', 'tsx'],
    ['cobol', undefined]
  ])('%s → %s', (name, language) => {
    expect(languageNamed(name)).toBe(language)
  })
})

describe('grammars', () => {
  it('lists the grammar files, all present in tree-sitter-wasms, and what a bundle ships', () => {
    expect(GRAMMAR_FILES).toEqual([
      'tree-sitter-java.wasm',
      'tree-sitter-c_sharp.wasm',
      'tree-sitter-kotlin.wasm',
      'tree-sitter-go.wasm',
      'tree-sitter-python.wasm',
      'tree-sitter-typescript.wasm',
      'tree-sitter-tsx.wasm',
      'tree-sitter-javascript.wasm'
    ])
    expect(SHIPPED_FILES).toEqual([RUNTIME_SCRIPT, RUNTIME_FILE, ...GRAMMAR_FILES])
    const { grammarDir, runtimeFile, runtimeScript } = locateGrammars({})
    for (const file of GRAMMAR_FILES) expect(existsSync(join(grammarDir, file))).toBe(true)
    expect(basename(runtimeFile)).toBe(RUNTIME_FILE)
    expect(basename(runtimeScript)).toBe(RUNTIME_SCRIPT)
  })

  it('falls back to node_modules outside a bundle', () => {
    expect(locateGrammars({}).source).toBe('node_modules')
  })

  it('prefers MODELGATE_GRAMMARS_DIR, and says what it lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-grammars-'))
    try {
      writeFileSync(join(dir, RUNTIME_FILE), '')
      expect(() => locateGrammars({ MODELGATE_GRAMMARS_DIR: dir })).toThrow(`MODELGATE_GRAMMARS_DIR (${dir}) holds no tree-sitter.cjs`)
      writeFileSync(join(dir, RUNTIME_SCRIPT), '')
      expect(locateGrammars({ MODELGATE_GRAMMARS_DIR: dir })).toEqual({
        runtimeScript: join(dir, RUNTIME_SCRIPT),
        runtimeFile: join(dir, RUNTIME_FILE),
        grammarDir: dir,
        source: 'MODELGATE_GRAMMARS_DIR'
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
