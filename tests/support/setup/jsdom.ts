/*
 * What jsdom lacks and the app calls, for every test of the unit-app project (vitest.config.ts `setupFiles`). Only
 * stand-ins with no behaviour a test asserts on belong here; a test that checks the calls stubs them itself.
 */
import { afterEach } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'

// jsdom does not scroll, and logs "Not implemented" when asked to (the router's scrollBehavior asks).
window.scrollTo = () => {}

// jsdom has no modal dialogs; these stand-ins toggle `open` as the browser does.
HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) {
  this.open = true
}
HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) {
  this.open = false
}

// jsdom has no object URLs (the photo preview makes one); tests that look at the URL spy on these.
URL.createObjectURL ??= () => 'blob:jsdom'
URL.revokeObjectURL ??= () => {}

// Each test's app goes with it: one left mounted would go on reacting (loading the header's menu after a paint,
// taking Pinia's active store) while the next test runs.
enableAutoUnmount(afterEach)
