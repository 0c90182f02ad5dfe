import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ProfilePhoto from './ProfilePhoto.vue'

const URL_A = 'https://photos.test/protected/id/profile/a.webp?signature=1'

describe('ProfilePhoto', () => {
  it('shows the initials of the rider’s first and last names when there is no photo', () => {
    const wrapper = mount(ProfilePhoto, { props: { src: null, name: 'Ada King Lovelace' } })
    const placeholder = wrapper.get('[role="img"]')
    expect(placeholder.text()).toBe('AL')
    expect(placeholder.attributes('aria-label')).toBe('Profile photo of Ada King Lovelace: no photo yet')
    expect(wrapper.find('img').exists()).toBe(false)
  })

  it('handles one-word and accented names, and no name at all', () => {
    expect(mount(ProfilePhoto, { props: { src: null, name: 'émile' } }).get('[role="img"]').text()).toBe('É')
    const nameless = mount(ProfilePhoto, { props: { src: null, name: '  ' } }).get('[role="img"]')
    expect(nameless.text()).toBe('')
    expect(nameless.attributes('aria-label')).toBe('Your profile photo: no photo yet')
  })

  it('keeps the initials, marked as loading, until the photo has loaded', async () => {
    // Attached, so that visibility is computed as a browser would.
    const wrapper = mount(ProfilePhoto, { props: { src: URL_A, name: 'Ada Lovelace' }, attachTo: document.body })
    expect(wrapper.attributes('aria-busy')).toBe('true')
    expect(wrapper.get('[role="img"]').attributes('aria-label')).toBe('Profile photo of Ada Lovelace, loading')
    expect(wrapper.get('img').isVisible()).toBe(false)
    await wrapper.get('img').trigger('load')
    expect(wrapper.get('img').isVisible()).toBe(true)
    expect(wrapper.get('img').attributes('alt')).toBe('Profile photo of Ada Lovelace')
    expect(wrapper.attributes('aria-busy')).toBeUndefined()
    expect(wrapper.find('[role="img"]').exists()).toBe(false)
    expect(wrapper.emitted('load')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows the loading state while the URL is being signed', () => {
    const wrapper = mount(ProfilePhoto, { props: { src: null, name: 'Ada Lovelace', isLoading: true } })
    expect(wrapper.attributes('aria-busy')).toBe('true')
  })

  it('keeps showing the photo while a re-signed URL loads, and reports a failed load', async () => {
    const wrapper = mount(ProfilePhoto, { props: { src: URL_A, name: 'Ada Lovelace' }, attachTo: document.body })
    await wrapper.get('img').trigger('load')
    await wrapper.setProps({ src: URL_A.replace('signature=1', 'signature=2') })
    expect(wrapper.get('img').isVisible()).toBe(true)
    await wrapper.get('img').trigger('error')
    expect(wrapper.emitted('error')).toHaveLength(1)
    expect(wrapper.get('[role="img"]').text()).toBe('AL')
    wrapper.unmount()
  })
})
