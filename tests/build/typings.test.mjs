// The package's typings against what the package does: the values the entry declares are the values
// it exports at run time, and every option the Rust code reads is declared in the typings. Run after
// `npm run build`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('../..', import.meta.url))

const OPTIONS = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
  types: [],
}

/** The program tsc would build for a user who imports the package's `types` entry. */
function program() {
  const entry = join(root, 'pkg/index.d.ts')
  const prog = ts.createProgram([entry], OPTIONS)
  return { prog, checker: prog.getTypeChecker(), entry: prog.getSourceFile(entry) }
}

/** Every name the typings' entry exports, types and values. */
function exportedNames() {
  const { checker, entry } = program()
  return checker.getExportsOfModule(checker.getSymbolAtLocation(entry)).map((s) => s.name)
}

/** The Rust files of the SDK, by path. */
function rustSources(dir = join(root, 'src')) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? rustSources(join(dir, e.name)) : e.name.endsWith('.rs') ? [join(dir, e.name)] : [])
}

test('the typings compile under --strict', () => {
  const { prog } = program()
  const problems = ts.getPreEmitDiagnostics(prog).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  assert.deepEqual(problems, [])
})

test('the values the typings declare are the values the package exports', async () => {
  // A name is declared as a value when a user's program may use it as one: each is tried in a
  // line of its own (`void X` is an error for a type or a type-only export).
  const names = exportedNames()
  const probe = join(root, 'pkg/.values-probe.ts')
  const imports = names.map((n, i) => `${n} as _${i}`).join(', ')
  const text = `import { ${imports} } from './index.js'\n${names.map((_, i) => `void _${i}`).join('\n')}\n`
  const host = ts.createCompilerHost(OPTIONS)
  const read = host.readFile
  host.readFile = (f) => (f === probe ? text : read(f))
  host.fileExists = ((exists) => (f) => f === probe || exists(f))(host.fileExists)
  const prog = ts.createProgram([probe], OPTIONS, host)
  const bad = new Set(ts.getPreEmitDiagnostics(prog)
    .filter((d) => d.file?.fileName === probe)
    .map((d) => d.file.getLineAndCharacterOfPosition(d.start).line - 1))
  const declared = names.filter((_, i) => !bad.has(i)).sort()
  const runtime = Object.keys(await import('../../pkg/dist/node/index.mjs')).sort()
  assert.deepEqual(declared, runtime)
})

test('every option the SDK reads is declared in its typings', () => {
  // Every property the typings name, in interfaces, inline object types and overloads.
  const { prog } = program()
  const declared = new Set()
  const visit = (node) => {
    if ((ts.isPropertySignature(node) || ts.isPropertyDeclaration(node) || ts.isGetAccessor(node)) && node.name) {
      declared.add(node.name.getText())
    }
    ts.forEachChild(node, visit)
  }
  for (const file of prog.getSourceFiles()) if (file.fileName.includes('/pkg/dist/types/')) visit(file)
  // Option reads look like `opts.string("apiKey")`, `o.number("timeoutMs")`, `query.get("state")`.
  const read = /\b(?!self\b)[a-z_]+\.(?:string|number|boolean|get|string_map|query_value)\("([A-Za-z]+)"\)/g
  const missing = []
  for (const file of rustSources()) {
    for (const [, key] of readFileSync(file, 'utf8').matchAll(read)) {
      if (!declared.has(key)) missing.push(`${file.slice(root.length)}: ${key}`)
    }
  }
  assert.ok(declared.has('requestTimeoutMs') && declared.has('volumeMounts'), 'the declared option names were found')
  assert.deepEqual(missing, [])
})
