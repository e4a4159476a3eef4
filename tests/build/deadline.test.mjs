// An exchange's deadline (src/js/deadline.js) in Node: the signal it gives fetch, what aborts it,
// and that the idle timers kept for Node's timer lists never keep a process alive.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { AbortLike, followsLike, Timer } from '../../src/js/deadline.js'

test("Node's Request follows an AbortLike, so a deadline gives fetch one; a proxied call gets a real AbortSignal", () => {
  assert.equal(followsLike(), true)
  const timer = new Timer(60_000, undefined, undefined)
  assert.ok(timer.signal instanceof AbortLike)
  const request = new Request('http://127.0.0.1/', { signal: timer.signal })
  timer.abort()
  timer.dispose()
  assert.equal(request.signal.aborted, true)
  assert.equal(request.signal.reason.name, 'AbortError')
  const proxied = new Timer(60_000, undefined, 'http://127.0.0.1:1')
  assert.ok(proxied.signal instanceof AbortSignal)
  proxied.dispose()
})

test('an AbortLike calls each listener once, with itself as `this`, and not those removed', () => {
  const like = new AbortLike()
  const calls = []
  const kept = function () { calls.push(['kept', this.reason]) }
  const removed = () => calls.push(['removed'])
  like.addEventListener('abort', kept)
  like.addEventListener('abort', removed)
  like.removeEventListener('abort', removed)
  like.abort('why')
  like.abort('again')
  assert.deepEqual(calls, [['kept', 'why']])
  assert.equal(like.aborted, true)
  like.addEventListener('abort', removed)
  assert.deepEqual(calls, [['kept', 'why']], 'a listener added once aborted is never called')
})

test("the timeout aborts with the timer marked, the user's signal with its reason", async () => {
  const timed = new Timer(20, undefined, undefined)
  await new Promise((r) => timed.signal.addEventListener('abort', r))
  assert.equal(timed.timedOut, true)
  const user = new AbortController()
  const mine = new Timer(60_000, user.signal, undefined)
  user.abort(new Error('stop'))
  assert.equal(mine.signal.aborted, true)
  assert.equal(mine.signal.reason.message, 'stop')
  assert.equal(mine.timedOut, false)
  mine.dispose()
  const early = new Timer(60_000, AbortSignal.abort(new Error('before')), undefined)
  assert.equal(early.signal.reason.message, 'before')
  early.dispose()
})

test('a process whose calls are over exits at once: the timers kept for its timeout lengths are unref\'d', () => {
  const started = Date.now()
  execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { Timer } from ${JSON.stringify(new URL('../../src/js/deadline.js', import.meta.url).href)}
    for (const ms of [60_000, 3_600_000]) new Timer(ms, undefined, undefined).dispose()
  `], { timeout: 20_000 })
  assert.ok(Date.now() - started < 10_000, 'the child exited without waiting for a timer')
})
