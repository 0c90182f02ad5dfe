import { isIPv4 } from 'node:net'
import type { Socket } from 'node:net'

/**
 * The value of `aws:SecureTransport` for a request local AWS received: true over TLS, and true over loopback, which
 * never leaves the machine. Local AWS serves plain HTTP on 127.0.0.1, so a bucket policy that refuses plain HTTP is
 * evaluated, and passes, as it does for the HTTPS clients of AWS (README, "Where local AWS differs").
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
 */
export function isSecureTransport(socket: Socket): boolean {
  if ('encrypted' in socket && socket.encrypted === true) return true
  const address = socket.remoteAddress ?? ''
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
  return address === '::1' || (isIPv4(ipv4) && ipv4.startsWith('127.'))
}
