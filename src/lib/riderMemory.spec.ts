import { afterEach, describe, expect, it } from 'vitest'
import { rememberedPhoneDisplay, rememberPhoneDisplay } from './phoneCountry'
import { forget, forgetRiders, recall, remember } from './riderMemory'

afterEach(() => localStorage.clear())

describe('riderMemory', () => {
  it('keeps each kind per rider, and forgets one entry or every rider’s', () => {
    remember('photo-url', 'sub-a', { url: 'a' })
    remember('photo-url', 'sub-b', { url: 'b' })
    localStorage.setItem('unrelated', 'kept')
    expect(recall('photo-url', 'sub-a')).toEqual({ url: 'a' })
    expect(recall('phone-display', 'sub-a')).toBeUndefined()

    forget('photo-url', 'sub-a')
    expect(recall('photo-url', 'sub-a')).toBeUndefined()
    expect(recall('photo-url', 'sub-b')).toEqual({ url: 'b' })

    rememberPhoneDisplay('sub-b', '+14155550123', '+1 415 555 0123')
    forgetRiders()
    expect(recall('photo-url', 'sub-b')).toBeUndefined()
    expect(recall('phone-display', 'sub-b')).toBeUndefined()
    expect(localStorage.getItem('unrelated')).toBe('kept')
  })

  it('reads unreadable entries as nothing', () => {
    localStorage.setItem('wildrydes:photo-url:sub-a', '{not json')
    expect(recall('photo-url', 'sub-a')).toBeUndefined()
  })
})

describe('rememberedPhoneDisplay', () => {
  it('shows a number as last shown to this rider only while it is still their number', () => {
    rememberPhoneDisplay('sub-a', '+14155550123', '+1 415 555 0123')
    expect(rememberedPhoneDisplay('sub-a', '+14155550123')).toBe('+1 415 555 0123')
    expect(rememberedPhoneDisplay('sub-a', '+442079460958')).toBeUndefined()
    expect(rememberedPhoneDisplay('sub-b', '+14155550123')).toBeUndefined()
  })
})
