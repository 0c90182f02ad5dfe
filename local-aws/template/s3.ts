/** Builders for S3 buckets and bucket policies. */
import type { BucketModel, BucketPolicyModel, PolicyDocument } from './model.ts'
import { toList, type Properties } from './properties.ts'

/** A bucket (`AWS::S3::Bucket`): its CORS rules and default encryption. */
export function bucketModel(logicalId: string, name: string, properties: Properties): BucketModel {
  const cors = ((properties.CorsConfiguration as Properties | undefined)?.CorsRules ?? []) as Properties[]
  const encryption = ((properties.BucketEncryption as Properties | undefined)?.ServerSideEncryptionConfiguration ?? []) as Properties[]
  const encryptionByDefault = encryption[0]?.ServerSideEncryptionByDefault as Properties | undefined
  return {
    logicalId,
    name,
    arn: `arn:aws:s3:::${name}`,
    // Since January 2023 every bucket encrypts new objects with SSE-S3 (AES256) unless told otherwise.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
    defaultEncryption: String(encryptionByDefault?.SSEAlgorithm ?? 'AES256'),
    corsRules: cors.map((rule) => ({
      allowedOrigins: toList(rule.AllowedOrigins),
      allowedMethods: toList(rule.AllowedMethods),
      allowedHeaders: toList(rule.AllowedHeaders),
      exposedHeaders: toList(rule.ExposedHeaders),
      maxAgeSeconds: rule.MaxAge === undefined ? undefined : Number(rule.MaxAge),
    })),
  }
}

/** A bucket policy (`AWS::S3::BucketPolicy`). */
export function bucketPolicyModel(properties: Properties): BucketPolicyModel {
  return { bucket: String(properties.Bucket), document: properties.PolicyDocument as unknown as PolicyDocument }
}
