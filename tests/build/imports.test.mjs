// No two modules of a crate import each other, directly or around a cycle, as read from their `use`
// lines and `crate::`/`super::` paths (a parent importing a child that imports the parent counts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Every module of the crate whose sources are in `src`: its path (`a::b`) and file. */
function modules(src) {
  const out = new Map()
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name.endsWith('.rs')) {
        const parts = relative(src, p).slice(0, -3).split(sep)
        if (['mod', 'lib', 'main'].includes(parts.at(-1))) parts.pop()
        out.set(parts.join('::'), p)
      }
    }
  }
  walk(src)
  return out
}

/** The modules `path` (segments from the crate root) names: its longest prefix that is a module. */
function resolve(mods, path) {
  for (let n = path.length; n >= 0; n--) {
    const key = path.slice(0, n).join('::')
    if (mods.has(key)) return key
  }
  return ''
}

/** Import edges between the crate's modules (test modules left out). */
function edges(mods) {
  const graph = new Map()
  for (const [mod, file] of mods) {
    const text = readFileSync(file, 'utf8').split('#[cfg(test)]')[0]
    const self = mod ? mod.split('::') : []
    const parent = self.slice(0, -1)
    const targets = new Set()
    const add = (path) => {
      const t = resolve(mods, path)
      if (t !== mod) targets.add(t)
    }
    const absolute = (kind, rest) => {
      let base = kind === 'crate' ? [] : [...parent]
      while (rest[0] === 'super') {
        base = base.slice(0, -1)
        rest = rest.slice(1)
      }
      return [...base, ...rest]
    }
    for (const m of text.matchAll(/\b(crate|super)((?:::\w+)+)/g)) add(absolute(m[1], m[2].split('::').slice(1)))
    for (const m of text.matchAll(/\b(crate|super)((?:::\w+)*)::\{([^}]*)\}/g)) {
      const pre = absolute(m[1], m[2] ? m[2].split('::').slice(1) : [])
      for (const item of m[3].split(',')) {
        const head = item.trim().split(/\s+as\s+/)[0].split('::')[0].trim()
        add(head && head !== 'self' ? [...pre, head] : pre)
      }
    }
    for (const m of text.matchAll(/^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+(\w+)::/gm)) {
      const child = [...self, m[1]].join('::')
      if (mods.has(child)) targets.add(child)
    }
    graph.set(mod, targets)
  }
  return graph
}

/** Groups of modules that reach each other (Tarjan's strongly connected components). */
function cycles(graph) {
  const index = new Map()
  const low = new Map()
  const stack = []
  const on = new Set()
  const found = []
  let next = 0
  const visit = (v) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    on.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
    }
    if (low.get(v) === index.get(v)) {
      const group = []
      let w
      do {
        w = stack.pop()
        on.delete(w)
        group.push(w || 'crate')
      } while (w !== v)
      if (group.length > 1) found.push(group.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

for (const [crate, src] of [['e2b-wasm', 'src'], ['e2b-local', 'server/src'], ['e2b-wire', 'wire/src']]) {
  test(`${crate}: no import cycles`, () => {
    const mods = modules(join(root, src))
    assert.ok(mods.size > 3, `${crate} has modules`)
    assert.deepEqual(cycles(edges(mods)), [])
  })
}

test('the checker finds a cycle when there is one', () => {
  const graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]])
  assert.deepEqual(cycles(graph), [['a', 'b', 'c']])
})
