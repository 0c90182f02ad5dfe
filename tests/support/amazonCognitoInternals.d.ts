// Types for the internals of amazon-cognito-identity-js that the SRP tests run as the reference client. The package
// declares only its public classes; these mirror the package's lib/AuthenticationHelper.js, lib/BigInteger.js and lib/DateHelper.js.

declare module 'amazon-cognito-identity-js/lib/BigInteger.js' {
  export default class BigInteger {
    constructor(value: string, radix: number)
    toString(radix: number): string
  }
}

declare module 'amazon-cognito-identity-js/lib/AuthenticationHelper.js' {
  import type BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js'

  export default class AuthenticationHelper {
    constructor(poolName: string)
    getLargeAValue(callback: (error: Error | null, largeA: BigInteger) => void): void
    getPasswordAuthenticationKey(
      username: string,
      password: string,
      serverB: BigInteger,
      salt: BigInteger,
      callback: (error: Error | null, key: Uint8Array) => void,
    ): void
  }
}

declare module 'amazon-cognito-identity-js/lib/DateHelper.js' {
  export default class DateHelper {
    getNowString(): string
  }
}
