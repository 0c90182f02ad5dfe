import { inject, onMounted, onScopeDispose, provide, readonly, ref, watch, type InjectionKey, type Ref, type WatchSource } from 'vue'

/**
 * How far the page's photo is: requested (its URL is with the `<img>`, so its download is under way) and settled
 * (shown, failed, or none to show). Settled implies requested; the page's limit sets both.
 */
interface PhotoProgress {
  isRequested: Ref<boolean>
  isSettled: Ref<boolean>
}

const photoFirstKey: InjectionKey<PhotoProgress> = Symbol('photo first')

/** Runs `load` once the component is mounted and the photo is settled (at once without a page that puts it first). */
function runWhenSettled(isSettled: Readonly<Ref<boolean>> | undefined, load: () => void): void {
  onMounted(() => {
    if (!isSettled || isSettled.value) load()
    else watch(isSettled, () => load(), { once: true })
  })
}

/**
 * For a page: the loads its sections hand to {@link runAfterPhoto} wait until the photo section settles the photo
 * ({@link reportPhotoProgress}), and what it renders after `isPhotoRequested` waits until the photo is requested; both
 * `limitMs` at most (a photo request that hangs must not hold them back for good). `limitMs: 0` turns photo first
 * off. Why: docs/performance.md#photo-first-on-the-profile.
 * @returns `runAfterPhoto` for the page's own loads (a component does not inject what it provides itself), and
 *   `isPhotoRequested` for what it renders once the photo is requested
 */
export function providePhotoFirst({ limitMs }: { limitMs: number }): {
  runAfterPhoto: (load: () => void) => void
  isPhotoRequested: Readonly<Ref<boolean>>
} {
  const isOff = limitMs <= 0
  const progress: PhotoProgress = { isRequested: ref(isOff), isSettled: ref(isOff) }
  if (!isOff) {
    const limit = setTimeout(() => (progress.isRequested.value = progress.isSettled.value = true), limitMs)
    onScopeDispose(() => clearTimeout(limit))
  }
  provide(photoFirstKey, progress)
  return { runAfterPhoto: (load) => runWhenSettled(progress.isSettled, load), isPhotoRequested: readonly(progress.isRequested) }
}

/** For a section: runs `load` once mounted, after the page's photo is settled if the page puts the photo first. */
export function runAfterPhoto(load: () => void): void {
  runWhenSettled(inject(photoFirstKey, null)?.isSettled, load)
}

/** For the photo section: tells the page its photo is requested, then settled, as each source turns true. */
export function reportPhotoProgress(sources: { isRequested: WatchSource<boolean>; isSettled: WatchSource<boolean> }): void {
  const progress = inject(photoFirstKey, null)
  if (!progress) return
  const whenTrue = (source: WatchSource<boolean>, reached: () => void) =>
    watch(source, (isTrue) => void (isTrue && reached()), { immediate: true })
  // A task later: the `<img>` sends its request only once the render that gave it its URL has finished.
  let requested: ReturnType<typeof setTimeout> | undefined
  whenTrue(sources.isRequested, () => (requested = setTimeout(() => (progress.isRequested.value = true))))
  onScopeDispose(() => clearTimeout(requested))
  whenTrue(sources.isSettled, () => (progress.isRequested.value = progress.isSettled.value = true))
}
