import type { StringRule } from '../protocol/jsonInput.ts'

/** Patterns of the user pool API reference, for the members every operation shares. */
export const CLIENT_ID: StringRule = { maxLength: 128, pattern: /^[\w+]+$/ }
export const USERNAME: StringRule = { maxLength: 128, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u }
export const CONFIRMATION_CODE: StringRule = { maxLength: 2048, pattern: /^[\S]+$/ }
export const ACCESS_TOKEN: StringRule = { pattern: /^[A-Za-z0-9-_=.]+$/ }
export const ATTRIBUTE_NAME: StringRule = { maxLength: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u }
export const PASSWORD: StringRule = { maxLength: 256, pattern: /^[\S]+.*[\S]+$/ }
/** A challenge session: `Session` of RespondToAuthChallenge, AssociateSoftwareToken and VerifySoftwareToken. */
export const SESSION: StringRule = { maxLength: 2048 }
/** VerifySoftwareToken's `UserCode`: six digits. */
export const USER_CODE: StringRule = { maxLength: 6, pattern: /^[0-9]+$/ }
