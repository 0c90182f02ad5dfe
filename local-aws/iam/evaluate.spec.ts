import { describe, expect, it } from 'vitest'
import type { PolicyDocument, PolicyStatement } from '../template/model.ts'
import { requestContext } from './conditionKeys.ts'
import { compilePolicy, evaluatePolicies, PolicyError, type Decision, type EvaluationRequest } from './evaluate.ts'

const SUB = 'us-east-1:7d3c1a7e-0000-4000-8000-00000000000a'
const OTHER_SUB = 'us-east-1:7d3c1a7e-0000-4000-8000-00000000000b'
const POOL = 'us-east-1:11111111-2222-3333-4444-555555555555'
const PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123'

/** The context of an identity-pool role session, as `sessionContext` builds it. */
const SESSION = {
  'cognito-identity.amazonaws.com:sub': SUB,
  'cognito-identity.amazonaws.com:aud': POOL,
  'cognito-identity.amazonaws.com:amr': ['authenticated', PROVIDER, `${PROVIDER}:CognitoSignIn:abc`],
  'aws:userid': 'AROAEXAMPLEROLEID:CognitoIdentityCredentials',
  'aws:PrincipalType': 'AssumedRole',
}

const object = (key: string) => `arn:aws:s3:::bucket/${key}`

interface Case {
  name: string
  statements: PolicyStatement[]
  action: string
  resource: string
  /** Replaces or (with `undefined`) removes keys of the session context. */
  context?: Record<string, string | string[] | undefined>
  expected: Decision
}

function decide(statements: PolicyStatement[], request: Omit<EvaluationRequest, 'context'>, context: Case['context'] = {}): Decision {
  const policy = compilePolicy({ Version: '2012-10-17', Statement: statements }, 'identity', 'test')
  return evaluatePolicies([policy], { ...request, context: requestContext({ ...SESSION, ...context }) })
}

const allowGet: PolicyStatement = { Effect: 'Allow', Action: 's3:GetObject', Resource: object('*') }
const allowEverything: PolicyStatement = { Effect: 'Allow', Action: 's3:*', Resource: '*' }

const cases: Case[] = [
  // Evaluation logic
  { name: 'an Allow that matches allows', statements: [allowGet], action: 's3:GetObject', resource: object('a'), expected: 'Allow' },
  { name: 'no statement for the action: implicit deny', statements: [allowGet], action: 's3:PutObject', resource: object('a'), expected: 'ImplicitDeny' },
  { name: 'no statement for the resource: implicit deny', statements: [allowGet], action: 's3:GetObject', resource: 'arn:aws:s3:::other/a', expected: 'ImplicitDeny' },
  { name: 'no statements at all: implicit deny', statements: [], action: 's3:GetObject', resource: object('a'), expected: 'ImplicitDeny' },
  {
    name: 'an explicit Deny wins over an Allow, after it',
    statements: [allowEverything, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: object('locked/*') }],
    action: 's3:DeleteObject', resource: object('locked/a'), expected: 'ExplicitDeny',
  },
  {
    name: 'an explicit Deny wins over an Allow, before it',
    statements: [{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: object('locked/*') }, allowEverything],
    action: 's3:DeleteObject', resource: object('locked/a'), expected: 'ExplicitDeny',
  },
  {
    name: 'a Deny that does not match leaves the Allow',
    statements: [allowEverything, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: object('locked/*') }],
    action: 's3:DeleteObject', resource: object('open/a'), expected: 'Allow',
  },
  // Actions: case-insensitive, wildcards
  { name: 'action names ignore case', statements: [{ Effect: 'Allow', Action: 'S3:getobject', Resource: '*' }], action: 's3:GetObject', resource: object('a'), expected: 'Allow' },
  { name: 'action * wildcard matches', statements: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }], action: 's3:GetObject', resource: object('a'), expected: 'Allow' },
  { name: 'action * wildcard does not match another prefix', statements: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }], action: 's3:PutObject', resource: object('a'), expected: 'ImplicitDeny' },
  { name: 'action ? matches one character', statements: [{ Effect: 'Allow', Action: 's3:?etObject', Resource: '*' }], action: 's3:GetObject', resource: object('a'), expected: 'Allow' },
  { name: 'action list: any listed action', statements: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: '*' }], action: 's3:GetObject', resource: object('a'), expected: 'Allow' },
  { name: 'action "*" is every action', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }], action: 'sts:AssumeRole', resource: 'arn:aws:iam::1:role/x', expected: 'Allow' },
  // Resources: case-sensitive, wildcards
  { name: 'resources are case-sensitive', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('Photos/*') }], action: 's3:GetObject', resource: object('photos/a'), expected: 'ImplicitDeny' },
  { name: 'resource * spans slashes', statements: [allowGet], action: 's3:GetObject', resource: object('a/b/c.webp'), expected: 'Allow' },
  { name: 'resource ? matches exactly one character', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('photo-?.jpg') }], action: 's3:GetObject', resource: object('photo-1.jpg'), expected: 'Allow' },
  { name: 'resource ? does not match two characters', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('photo-?.jpg') }], action: 's3:GetObject', resource: object('photo-12.jpg'), expected: 'ImplicitDeny' },
  { name: 'a bucket ARN does not cover its objects', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket' }], action: 's3:GetObject', resource: object('a'), expected: 'ImplicitDeny' },
  { name: 'an ARN wildcard stays within its segment', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3*' }], action: 's3:GetObject', resource: object('a'), expected: 'ImplicitDeny' },
  // NotAction / NotResource
  { name: 'NotAction allows the actions it does not list', statements: [{ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: '*' }], action: 's3:GetObject', resource: object('a'), expected: 'Allow' },
  { name: 'NotAction does not allow the action it lists', statements: [{ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: '*' }], action: 's3:DeleteObject', resource: object('a'), expected: 'ImplicitDeny' },
  {
    name: 'Deny with NotResource denies outside the listed resources',
    statements: [allowEverything, { Effect: 'Deny', Action: 's3:*', NotResource: object('public/*') }],
    action: 's3:GetObject', resource: object('private/a'), expected: 'ExplicitDeny',
  },
  {
    name: 'Deny with NotResource spares the listed resources',
    statements: [allowEverything, { Effect: 'Deny', Action: 's3:*', NotResource: object('public/*') }],
    action: 's3:GetObject', resource: object('public/a'), expected: 'Allow',
  },
  // Policy variables
  { name: '${cognito-identity.amazonaws.com:sub} is the identity id', statements: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: object('protected/${cognito-identity.amazonaws.com:sub}/*') }], action: 's3:PutObject', resource: object(`protected/${SUB}/p.webp`), expected: 'Allow' },
  { name: "${cognito-identity.amazonaws.com:sub} does not match another rider's prefix", statements: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: object('protected/${cognito-identity.amazonaws.com:sub}/*') }], action: 's3:PutObject', resource: object(`protected/${OTHER_SUB}/p.webp`), expected: 'ImplicitDeny' },
  { name: 'variable names ignore case', statements: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: object('protected/${Cognito-Identity.amazonaws.com:SUB}/*') }], action: 's3:PutObject', resource: object(`protected/${SUB}/p.webp`), expected: 'Allow' },
  { name: '${cognito-identity.amazonaws.com:aud} is the identity pool id', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('pools/${cognito-identity.amazonaws.com:aud}/*') }], action: 's3:GetObject', resource: object(`pools/${POOL}/a`), expected: 'Allow' },
  { name: '${aws:userid} is {roleId}:CognitoIdentityCredentials', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('private/${aws:userid}/*') }], action: 's3:GetObject', resource: object('private/AROAEXAMPLEROLEID:CognitoIdentityCredentials/a'), expected: 'Allow' },
  { name: '${aws:username} is absent for a role: the statement does not match', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('home/${aws:username}/*') }], action: 's3:GetObject', resource: object('home/a'), expected: 'ImplicitDeny' },
  {
    name: 'a Deny whose variable is absent does not match either',
    statements: [allowEverything, { Effect: 'Deny', Action: 's3:*', Resource: object('home/${aws:username}/*') }],
    action: 's3:GetObject', resource: object('home//a'), expected: 'Allow',
  },
  {
    name: 'an absent variable fails only its own Resource entry: a Deny still matches through another entry',
    statements: [allowEverything, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: [object('home/${aws:username}/*'), object('locked/*')] }],
    action: 's3:DeleteObject', resource: object('locked/a'), expected: 'ExplicitDeny',
  },
  { name: "${key, 'default'} uses the default when the key is absent", statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object("home/${aws:username, 'nobody'}/*") }], action: 's3:GetObject', resource: object('home/nobody/a'), expected: 'Allow' },
  { name: "${key, 'default'} uses the value when the key is present", statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object("p/${cognito-identity.amazonaws.com:sub, 'nobody'}/*") }], action: 's3:GetObject', resource: object('p/nobody/a'), expected: 'ImplicitDeny' },
  { name: '${*} is a literal asterisk', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('star${*}') }], action: 's3:GetObject', resource: object('star*'), expected: 'Allow' },
  { name: '${*} is not a wildcard', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('star${*}') }], action: 's3:GetObject', resource: object('starlight'), expected: 'ImplicitDeny' },
  { name: '${?} is a literal question mark', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('what${?}') }], action: 's3:GetObject', resource: object('whatx'), expected: 'ImplicitDeny' },
  { name: '${$} is a literal dollar', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('${$}{x}') }], action: 's3:GetObject', resource: object('${x}'), expected: 'Allow' },
  { name: 'a substituted value is literal, never a wildcard', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: object('private/${cognito-identity.amazonaws.com:sub}/*') }], context: { 'cognito-identity.amazonaws.com:sub': '*' }, action: 's3:GetObject', resource: object(`private/${OTHER_SUB}/a`), expected: 'ImplicitDeny' },
  // Conditions: OR across values, AND across keys and operators
  ...conditionCases(),
]

function conditionCases(): Case[] {
  const list = (condition: PolicyStatement['Condition'], context: Case['context'], expected: Decision, name: string): Case => ({
    name,
    statements: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bucket', Condition: condition }],
    action: 's3:ListBucket',
    resource: 'arn:aws:s3:::bucket',
    context,
    expected,
  })
  const own = `private/${SUB}/`
  return [
    list({ StringEquals: { 's3:prefix': own } }, { 's3:prefix': own }, 'Allow', 'StringEquals matches the same string'),
    list({ StringEquals: { 's3:prefix': own } }, { 's3:prefix': own.toUpperCase() }, 'ImplicitDeny', 'StringEquals is case-sensitive'),
    list({ StringEquals: { 's3:prefix': own } }, {}, 'ImplicitDeny', 'StringEquals fails when the key is absent'),
    list({ StringEquals: { 's3:prefix': ['a/', own] } }, { 's3:prefix': own }, 'Allow', 'values of one key are ORed'),
    list({ StringEquals: { 's3:prefix': own, 's3:delimiter': '/' } }, { 's3:prefix': own, 's3:delimiter': '|' }, 'ImplicitDeny', 'keys of one operator are ANDed'),
    list({ StringEquals: { 's3:prefix': own }, StringLike: { 's3:delimiter': '/' } }, { 's3:prefix': own, 's3:delimiter': '/' }, 'Allow', 'operators are ANDed: all hold'),
    list({ StringEquals: { 's3:prefix': own }, StringLike: { 's3:delimiter': '/' } }, { 's3:prefix': own, 's3:delimiter': '-' }, 'ImplicitDeny', 'operators are ANDed: one fails'),
    list({ StringEquals: { 's3:prefix': 'private/${cognito-identity.amazonaws.com:sub}/' } }, { 's3:prefix': own }, 'Allow', 'a variable in a condition value is substituted'),
    list({ StringEquals: { 's3:prefix': 'home/${aws:username}/' } }, { 's3:prefix': 'home//' }, 'ImplicitDeny', 'an absent variable in a condition value makes the statement not match'),
    list({ StringNotEquals: { 's3:prefix': own } }, { 's3:prefix': 'public/' }, 'Allow', 'StringNotEquals holds for another string'),
    list({ StringNotEquals: { 's3:prefix': own } }, { 's3:prefix': own }, 'ImplicitDeny', 'StringNotEquals fails for the same string'),
    list({ StringNotEquals: { 's3:prefix': ['a/', 'b/'] } }, { 's3:prefix': 'b/' }, 'ImplicitDeny', 'StringNotEquals fails when any value equals'),
    list({ StringNotEquals: { 's3:prefix': own } }, {}, 'Allow', 'StringNotEquals holds when the key is absent'),
    list({ StringEqualsIgnoreCase: { 's3:prefix': own } }, { 's3:prefix': own.toUpperCase() }, 'Allow', 'StringEqualsIgnoreCase ignores case'),
    list({ StringNotEqualsIgnoreCase: { 's3:prefix': own } }, { 's3:prefix': own.toUpperCase() }, 'ImplicitDeny', 'StringNotEqualsIgnoreCase ignores case'),
    list({ StringLike: { 's3:prefix': 'private/${cognito-identity.amazonaws.com:sub}/*' } }, { 's3:prefix': `${own}photos/` }, 'Allow', 'StringLike with * and a variable'),
    list({ StringLike: { 's3:prefix': 'private/${cognito-identity.amazonaws.com:sub}/*' } }, { 's3:prefix': `private/${OTHER_SUB}/` }, 'ImplicitDeny', "StringLike refuses another rider's prefix"),
    list({ StringLike: { 's3:prefix': 'p?/' } }, { 's3:prefix': 'px/' }, 'Allow', 'StringLike ? matches one character'),
    list({ StringLike: { 's3:prefix': '*' } }, {}, 'ImplicitDeny', 'StringLike fails when the key is absent, even for *'),
    list({ StringNotLike: { 's3:prefix': 'private/*' } }, { 's3:prefix': 'public/' }, 'Allow', 'StringNotLike holds for a string outside the pattern'),
    list({ StringNotLike: { 's3:prefix': 'private/*' } }, { 's3:prefix': own }, 'ImplicitDeny', 'StringNotLike fails for a string in the pattern'),
    list({ StringNotLike: { 's3:prefix': 'private/*' } }, {}, 'Allow', 'StringNotLike holds when the key is absent'),
    list({ StringLikeIfExists: { 's3:prefix': 'private/*' } }, {}, 'Allow', 'IfExists holds when the key is absent'),
    list({ StringLikeIfExists: { 's3:prefix': 'private/*' } }, { 's3:prefix': 'public/' }, 'ImplicitDeny', 'IfExists still compares a present key'),
    list({ StringEqualsIfExists: { 's3:prefix': own } }, { 's3:prefix': own }, 'Allow', 'StringEqualsIfExists matches a present key'),
    list({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }, {}, 'Allow', 'ForAnyValue holds when one value matches'),
    list({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }, { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] }, 'ImplicitDeny', 'ForAnyValue fails when no value matches'),
    list({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }, { 'cognito-identity.amazonaws.com:amr': undefined }, 'ImplicitDeny', 'ForAnyValue fails when the key is absent'),
    list({ 'ForAnyValue:StringLikeIfExists': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }, { 'cognito-identity.amazonaws.com:amr': undefined }, 'Allow', 'ForAnyValue…IfExists holds when the key is absent'),
    list({ 'ForAnyValue:StringNotEquals': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }, {}, 'Allow', 'ForAnyValue:StringNotEquals holds when some value differs'),
    list({ 'ForAllValues:StringLike': { 'cognito-identity.amazonaws.com:amr': ['authenticated', 'cognito-idp.*'] } }, {}, 'Allow', 'ForAllValues holds when every value matches one policy value'),
    list({ 'ForAllValues:StringEquals': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }, {}, 'ImplicitDeny', 'ForAllValues fails when one value matches none'),
    list({ 'ForAllValues:StringEquals': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }, { 'cognito-identity.amazonaws.com:amr': undefined }, 'Allow', 'ForAllValues holds when the key is absent'),
    list({ Null: { 'aws:username': 'true' } }, {}, 'Allow', 'Null "true" holds for an absent key'),
    list({ Null: { 'cognito-identity.amazonaws.com:sub': 'true' } }, {}, 'ImplicitDeny', 'Null "true" fails for a present key'),
    list({ Null: { 'cognito-identity.amazonaws.com:sub': false } }, {}, 'Allow', 'Null false holds for a present key'),
    list({ Bool: { 's3:delimiter': 'true' } }, { 's3:delimiter': 'true' }, 'Allow', 'Bool matches "true"'),
    list({ Bool: { 's3:delimiter': true } }, { 's3:delimiter': 'false' }, 'ImplicitDeny', 'Bool fails for "false"'),
    list({ NumericLessThanEquals: { 's3:max-keys': 100 } }, { 's3:max-keys': '50' }, 'Allow', 'NumericLessThanEquals holds below the limit'),
    list({ NumericLessThanEquals: { 's3:max-keys': '100' } }, { 's3:max-keys': '500' }, 'ImplicitDeny', 'NumericLessThanEquals fails above the limit'),
    list({ NumericLessThan: { 's3:max-keys': '100' } }, { 's3:max-keys': 'many' }, 'ImplicitDeny', 'a numeric operator fails for a value that is not a number'),
    list({ NumericGreaterThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '11' }, 'Allow', 'NumericGreaterThan'),
    list({ NumericGreaterThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '9' }, 'ImplicitDeny', 'NumericGreaterThanEquals'),
    list({ NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10.0' }, 'Allow', 'NumericEquals compares numbers, not text'),
    list({ NumericNotEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10' }, 'ImplicitDeny', 'NumericNotEquals'),
  ]
}

describe('evaluatePolicies (AWS evaluation logic for identity-based policies)', () => {
  it.each(cases)('$name → $expected', ({ statements, action, resource, context, expected }) => {
    expect(decide(statements, { action, resource }, context)).toBe(expected)
  })

  it('ORs the statements of several policies and lets a Deny in any of them win', () => {
    const allow = compilePolicy({ Version: '2012-10-17', Statement: allowGet }, 'identity', 'allow')
    const deny = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: object('secret/*') }] }, 'identity', 'deny')
    const context = requestContext(SESSION)
    expect(evaluatePolicies([allow, deny], { action: 's3:GetObject', resource: object('a'), context })).toBe('Allow')
    expect(evaluatePolicies([allow, deny], { action: 's3:GetObject', resource: object('secret/a'), context })).toBe('ExplicitDeny')
  })
})

describe('trust policies', () => {
  const trust: PolicyDocument = {
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      },
    },
  }
  const assume = (principal: EvaluationRequest['principal'], context: Case['context'] = {}) =>
    evaluatePolicies([compilePolicy(trust, 'trust', 'trust')], {
      action: 'sts:AssumeRoleWithWebIdentity',
      principal,
      context: requestContext({ ...SESSION, ...context }),
    })
  const cognito = { type: 'Federated', id: 'cognito-identity.amazonaws.com' }

  it('lets the identity pool assume the role for an authenticated identity', () => {
    expect(assume(cognito)).toBe('Allow')
  })

  it('refuses another identity pool, an unauthenticated identity and another principal', () => {
    expect(assume(cognito, { 'cognito-identity.amazonaws.com:aud': 'us-east-1:00000000-0000-0000-0000-000000000000' })).toBe('ImplicitDeny')
    expect(assume(cognito, { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] })).toBe('ImplicitDeny')
    expect(assume({ type: 'Federated', id: 'accounts.google.com' })).toBe('ImplicitDeny')
    expect(assume({ type: 'AWS', id: 'arn:aws:iam::123456789012:root' })).toBe('ImplicitDeny')
    expect(assume(undefined)).toBe('ImplicitDeny')
  })
})

describe('start-up checks: anything the evaluator does not know is an error naming it, never a silent allow', () => {
  const statementWith = (overrides: Partial<PolicyStatement> & Record<string, unknown>): PolicyStatement =>
    ({ Effect: 'Allow', Action: 's3:GetObject', Resource: object('*'), ...overrides }) as PolicyStatement
  const refusals: { name: string; document: PolicyDocument; kind?: 'identity' | 'trust'; message: RegExp }[] = [
    { name: 'unknown operator', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { StringMatches: { 's3:prefix': 'a' } } }) }, message: /unknown condition operator StringMatches/ },
    { name: 'operator named like an inherited property', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { constructor: { 's3:prefix': 'a' } } }) }, message: /unknown condition operator constructor/ },
    { name: 'operator local AWS does not implement', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { DateGreaterThan: { 's3:prefix': '2020-01-01' } } }) }, message: /unknown condition operator DateGreaterThan/ },
    { name: 'unknown set operator', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { 'ForSomeValues:StringLike': { 's3:prefix': 'a' } } }) }, message: /unknown condition operator ForSomeValues:StringLike/ },
    { name: 'set operator on Null', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { 'ForAnyValue:Null': { 's3:prefix': 'true' } } }) }, message: /unsupported condition operator ForAnyValue:Null/ },
    { name: 'an operator local AWS does not implement, even without keys', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { IpAddress: {} } }) }, message: /unknown condition operator IpAddress/ },
    { name: 'an operator without keys', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { StringEquals: {} } }) }, message: /condition operator StringEquals must map keys to values/ },
    { name: 'unknown condition key', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }) }, message: /unknown condition key aws:SourceVpc/ },
    { name: 'unknown variable', document: { Version: '2012-10-17', Statement: statementWith({ Resource: object('${aws:SourceIp}/*') }) }, message: /unknown policy variable \$\{aws:SourceIp\}/ },
    { name: 'unknown variable in a condition value', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { StringLike: { 's3:prefix': '${cognito-identity.amazonaws.com:username}/*' } } }) }, message: /unknown policy variable \$\{cognito-identity\.amazonaws\.com:username\}/ },
    { name: 'multivalued key as a variable', document: { Version: '2012-10-17', Statement: statementWith({ Resource: object('${cognito-identity.amazonaws.com:amr}/*') }) }, message: /cognito-identity\.amazonaws\.com:amr\} is a multivalued key/ },
    { name: 'multivalued key without set operator', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { StringLike: { 'cognito-identity.amazonaws.com:amr': 'authenticated' } } }) }, message: /amr is multivalued and needs ForAnyValue/ },
    { name: 'unterminated variable', document: { Version: '2012-10-17', Statement: statementWith({ Resource: object('${aws:userid/*') }) }, message: /unterminated policy variable/ },
    { name: 'variables in a policy without Version 2012-10-17', document: { Statement: statementWith({ Resource: object('${aws:userid}/*') }) }, message: /policy variable \$\{aws:userid\} is not allowed here/ },
    { name: 'variable in a Bool value', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { Bool: { 's3:prefix': '${aws:userid}' } } }) }, message: /Bool expects "true" or "false"/ },
    { name: 'Null with something else than true/false', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { Null: { 's3:prefix': 'maybe' } } }) }, message: /Null expects a single "true" or "false"/ },
    { name: 'numeric operator with text', document: { Version: '2012-10-17', Statement: statementWith({ Condition: { NumericLessThan: { 's3:max-keys': 'ten' } } }) }, message: /numeric operator expects a number/ },
    { name: 'a misspelt element', document: { Version: '2012-10-17', Statement: statementWith({ Resources: object('*') }) }, message: /unknown statement element Resources/ },
    { name: 'both Action and NotAction', document: { Version: '2012-10-17', Statement: statementWith({ NotAction: 's3:PutObject' }) }, message: /exactly one of Action and NotAction/ },
    { name: 'no Resource', document: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject' } }, message: /exactly one of Resource and NotResource/ },
    { name: 'a malformed action', document: { Version: '2012-10-17', Statement: statementWith({ Action: 's3GetObject' }) }, message: /malformed action "s3GetObject"/ },
    { name: 'an Effect other than Allow or Deny', document: { Version: '2012-10-17', Statement: statementWith({ Effect: 'allow' as 'Allow' }) }, message: /Effect must be Allow or Deny/ },
    { name: 'a Principal in an identity-based policy', document: { Version: '2012-10-17', Statement: statementWith({ Principal: '*' }) }, message: /cannot name a Principal/ },
    { name: 'a trust statement without Principal', kind: 'trust', document: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity' } }, message: /needs a Principal/ },
    { name: 'NotPrincipal', kind: 'trust', document: { Version: '2012-10-17', Statement: { Effect: 'Allow', NotPrincipal: '*', Action: 'sts:AssumeRoleWithWebIdentity' } }, message: /NotPrincipal is not supported/ },
    { name: 'a trust policy with an unknown key', kind: 'trust', document: { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:audience': 'x' } } } }, message: /unknown condition key cognito-identity\.amazonaws\.com:audience/ },
  ]

  it.each(refusals)('$name', ({ document, kind, message }) => {
    const compile = () => compilePolicy(document, kind ?? 'identity', 'RiderRole/rider-objects')
    expect(compile).toThrow(PolicyError)
    expect(compile).toThrow(message)
    expect(compile).toThrow(/^Policy RiderRole\/rider-objects, statement /)
  })
})
