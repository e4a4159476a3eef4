// What the entry adds to the generated classes (pkg/src/classes.js), on plain classes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { exposeStatics, STATIC_PREFIX, subclassable, traceable, showable } from '../../pkg/src/classes.js'

test('prefixed statics get their real names beside instance methods of the same name', () => {
  class A {
    static [`${STATIC_PREFIX}list`]() { return 'static list' }
    static [`${STATIC_PREFIX}getInfo`](id) { return `info ${id}` }
    static __wrap() { return 'glue' }
    static create() { return 'create' }
    list() { return 'instance list' }
  }
  class B {
    static [`${STATIC_PREFIX}kill`]() { return 'kill' }
  }
  exposeStatics(A, B)
  assert.equal(A.list(), 'static list')
  assert.equal(A.getInfo('x'), 'info x')
  assert.equal(new A().list(), 'instance list')
  assert.equal(B.kill(), 'kill')
  assert.equal(A.__wrap(), 'glue', 'other statics stay as they are')
  assert.equal(A.create(), 'create')
  for (const cls of [A, B]) {
    assert.deepEqual(Object.getOwnPropertyNames(cls).filter((k) => k.startsWith(STATIC_PREFIX)), [], 'no prefixed name is left')
  }
  assert.equal(Object.keys(A).length, 0, 'the renamed statics are not enumerable, like class statics')
})

test('create called on a subclass makes the subclass, with its constructor run; the base is freed', async () => {
  const freed = []
  class Base {
    constructor(id) { this.id = id }
    static async create(id) { return new Base(id) }
    free() { freed.push(this.id) }
  }
  subclassable(Base, ['create'], (made, cls) => new cls(made.id))
  class Mine extends Base {
    constructor(id) { super(id); this.mine = true }
  }
  const base = await Base.create('a')
  assert.ok(base instanceof Base && !(base instanceof Mine))
  assert.deepEqual(freed, [])
  const mine = await Mine.create('b')
  assert.ok(mine instanceof Mine)
  assert.equal(mine.mine, true, "the subclass's constructor ran")
  assert.equal(mine.id, 'b')
  assert.deepEqual(freed, ['b'], 'the instance made for the base class is freed')
})

test("a rejected call's stack names the SDK method and the frames awaiting it; a user's abort reason is left alone", async () => {
  class Thing {
    static async fail() { throw new Error('nope') }
    async later(opts) { await null; throw opts?.signal?.reason ?? new TypeError('late') }
    sync() { return 7 }
  }
  traceable(Thing)
  async function callerFrameFunction() { return await Thing.fail() }
  const err = await callerFrameFunction().catch((e) => e)
  assert.match(err.stack, /^Error: nope\n    at Thing\.fail \(e2b-wasm\)\n    at async callerFrameFunction /)
  // A caller that hands the promise on without awaiting it is not in V8's async stack: the method's line stays.
  const passedOn = await (async () => Thing.fail())().catch((e) => e)
  assert.match(passedOn.stack, /^Error: nope\n    at Thing\.fail \(e2b-wasm\)/)
  const late = await new Thing().later().catch((e) => e)
  assert.match(late.stack, /at Thing\.later \(e2b-wasm\)/)
  const reason = new Error('mine')
  const before = reason.stack
  const ac = new AbortController()
  ac.abort(reason)
  assert.equal(await new Thing().later({ signal: ac.signal }).catch((e) => e), reason)
  assert.equal(reason.stack, before)
  assert.equal(new Thing().sync(), 7, 'sync methods return as before')
})

test('inspect and toJSON show the chosen fields, tokens cut short', () => {
  class Vol {
    get token() { return 'secret-token-value' }
    get id() { return 'v1' }
  }
  showable(Vol, (v) => ({ id: v.id, token: `${v.token.slice(0, 4)}…` }))
  const v = new Vol()
  assert.deepEqual(JSON.parse(JSON.stringify(v)), { id: 'v1', token: 'secr…' })
  assert.equal(inspect(v), "Vol { id: 'v1', token: 'secr…' }")
  assert.ok(!inspect(v).includes('secret-token-value'))
})
