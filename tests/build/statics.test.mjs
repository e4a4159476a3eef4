// The entry's renaming of prefixed statics (pkg/src/statics.js), on plain classes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exposeStatics, STATIC_PREFIX } from '../../pkg/src/statics.js'

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
