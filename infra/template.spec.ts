import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseTemplate, readTemplate } from './cfnYaml.ts'
import { checkAgainstResourceSpec } from './resourceSpec.ts'

const TEMPLATE_PATH = fileURLToPath(new URL('./template.yaml', import.meta.url))

describe("infra/template.yaml against CloudFormation's resource specification", () => {
  it('uses only existing resource types and property names, with every required property and the right value types', () => {
    expect(checkAgainstResourceSpec(readTemplate(TEMPLATE_PATH))).toEqual([])
  })

  it('reports an unknown type, an unknown or missing property and a value of the wrong type', () => {
    const template = parseTemplate(`
Conditions:
  Never: !Equals [a, b]
Resources:
  Queue:
    Type: AWS::SQS::Queu
  Photos:
    Type: AWS::S3::Bucket
    Properties:
      BucketNam: photos
      VersioningConfiguration: {}
      CorsConfiguration:
        CorsRules:
          - AllowedMethods: GET
            AllowedOrigins: ['*']
            MaxAge: soon
  Routes:
    Type: AWS::CloudFront::Function
    Properties:
      Name: routes
      FunctionCode: !Ref AWS::StackName
      FunctionConfig: !If [Never, { Comment: x, Runtime: cloudfront-js-2.0 }, { Comment: 1 }]
`)
    expect(checkAgainstResourceSpec(template)).toEqual([
      'Queue: unknown resource type AWS::SQS::Queu',
      'Photos.BucketNam: no such property',
      'Photos.VersioningConfiguration.Status: required property missing',
      'Photos.CorsConfiguration.CorsRules[0].AllowedMethods: expected a list, got string',
      'Photos.CorsConfiguration.CorsRules[0].MaxAge: expected integer, got "soon"',
      'Routes.FunctionConfig.Comment: expected string, got number',
      'Routes.FunctionConfig.Runtime: required property missing',
    ])
  })
})
