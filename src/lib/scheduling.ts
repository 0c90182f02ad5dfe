/*
 * When work the page does not wait for runs: after the page just rendered is on screen, or when the browser is idle.
 * requestAnimationFrame runs just before the next paint, so a task queued from there runs after it.
 */

/** Runs `task` right after the page just rendered has been painted. */
export function afterNextPaint(task: () => void): void {
  requestAnimationFrame(() => setTimeout(task, 0))
}

/**
 * Runs `task` when the browser is idle (at the latest after two seconds); where requestIdleCallback is missing
 * (Safari), after `fallbackDelayMs`.
 */
export function whenIdle(task: () => void, fallbackDelayMs = 0): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2_000 })
  else setTimeout(task, fallbackDelayMs)
}

/** Runs `task` once the page just rendered has been painted, when the browser is idle (see {@link whenIdle}). */
export function afterPaintWhenIdle(task: () => void): void {
  requestAnimationFrame(() => whenIdle(task))
}
