/*
 * Work the first page does not wait for, started once that page is on screen. requestAnimationFrame runs just before
 * the next paint, so a task queued from there runs after it.
 */

/** Runs `task` right after the page just rendered has been painted. */
export function afterNextPaint(task: () => void): void {
  requestAnimationFrame(() => setTimeout(task, 0))
}

/**
 * Runs `task` once the page just rendered has been painted, when the browser is idle (at the latest after two
 * seconds); where requestIdleCallback is missing (Safari), right after the paint.
 */
export function afterPaintWhenIdle(task: () => void): void {
  if (typeof requestIdleCallback !== 'function') return afterNextPaint(task)
  requestAnimationFrame(() => requestIdleCallback(task, { timeout: 2_000 }))
}
