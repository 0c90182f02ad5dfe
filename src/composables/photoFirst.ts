import { inject, onMounted, onScopeDispose, provide, ref, watch, type InjectionKey, type Ref, type WatchSource } from 'vue'

/** Whether the page's photo is settled: shown, failed, none to show, or the page's limit has passed. */
const photoFirstKey: InjectionKey<Ref<boolean>> = Symbol('photo first')

/** Runs `load` once the component is mounted and the photo is settled (at once without a page that puts it first). */
function runWhenSettled(isSettled: Readonly<Ref<boolean>> | null, load: () => void): void {
  onMounted(() => {
    if (!isSettled || isSettled.value) load()
    else watch(isSettled, () => load(), { once: true })
  })
}

/**
 * For a page: the loads its sections hand to {@link runAfterPhoto} wait until the photo section settles the photo
 * ({@link settlePhotoFirstWhen}), or `limitMs` at most (a photo request that hangs must not hold them back for good).
 * `limitMs: 0` turns photo first off: every load goes at mount. Why: docs/performance.md#photo-first-on-the-profile.
 * @returns {@link runAfterPhoto} for the page's own loads (a component does not inject what it provides itself)
 */
export function providePhotoFirst({ limitMs }: { limitMs: number }): (load: () => void) => void {
  const isSettled = ref(limitMs <= 0)
  if (!isSettled.value) {
    const limit = setTimeout(() => (isSettled.value = true), limitMs)
    onScopeDispose(() => clearTimeout(limit))
  }
  provide(photoFirstKey, isSettled)
  return (load) => runWhenSettled(isSettled, load)
}

/** For a section: runs `load` once mounted, after the page's photo is settled if the page puts the photo first. */
export function runAfterPhoto(load: () => void): void {
  runWhenSettled(inject(photoFirstKey, null), load)
}

/** For the photo section: settles the page's photo once `isPhotoSettled` turns true. */
export function settlePhotoFirstWhen(isPhotoSettled: WatchSource<boolean>): void {
  const isSettled = inject(photoFirstKey, null)
  if (!isSettled) return
  watch(
    isPhotoSettled,
    (isPhotoSettledNow) => {
      if (isPhotoSettledNow) isSettled.value = true
    },
    { immediate: true },
  )
}
