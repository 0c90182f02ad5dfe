import { createHash } from 'node:crypto'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { refusal } from '../../../tests/support/awsErrors.ts'
import { bucket, callS3, s3Fakes, s3Request, type S3Fakes } from '../../../tests/support/localAwsFakes.ts'
import type { ChecksumAlgorithm } from '../checksums.ts'
import type { MultipartUpload, UploadedPart } from '../multipartStore.ts'
import { createCompleteMultipartUpload } from './completeMultipartUpload.ts'

const KEY = 'private/us-east-1:rider/videos/ride.mp4'
const FIRST = Buffer.alloc(5 * 1024 * 1024, 'a')
const LAST = Buffer.from('the end of the ride')

async function uploadWithParts(fakes: S3Fakes, parts: Buffer[], checksumAlgorithm?: ChecksumAlgorithm): Promise<{ upload: MultipartUpload; parts: UploadedPart[] }> {
  const upload = fakes.uploads.create(bucket.name, KEY, { contentType: 'video/mp4', headers: {}, metadata: { ride: '42' } }, checksumAlgorithm)
  const uploaded: UploadedPart[] = []
  for (const [index, body] of parts.entries()) {
    const received = await fakes.objects.receive(s3Request(fakes, { body }).openPayload({ maxBytes: 1 << 30, checksumAlgorithm }))
    uploaded.push(fakes.uploads.commitPart(upload, index + 1, received))
  }
  return { upload, parts: uploaded }
}

function partsXml(parts: { partNumber: number; etag: string; checksum?: string }[], checksumName = 'SHA256'): string {
  const listed = parts.map(
    (part) => `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${part.etag}</ETag>${part.checksum ? `<Checksum${checksumName}>${part.checksum}</Checksum${checksumName}>` : ''}</Part>`,
  )
  return `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${listed.join('')}</CompleteMultipartUpload>`
}

function complete(fakes: S3Fakes, uploadId: string, body: string) {
  return callS3(createCompleteMultipartUpload({ store: fakes.objects, uploads: fakes.uploads }), s3Request(fakes, { key: KEY, query: { uploadId }, body }), 'POST')
}

const md5 = (body: Buffer) => createHash('md5').update(body).digest()

describe('CompleteMultipartUpload', () => {
  it('joins the parts into the object, with the multipart ETag, and forgets the upload', async () => {
    const fakes = await s3Fakes()
    const { upload, parts } = await uploadWithParts(fakes, [FIRST, LAST])
    const answer = await complete(fakes, upload.uploadId, partsXml(parts))
    const etag = `"${createHash('md5').update(Buffer.concat([md5(FIRST), md5(LAST)])).digest('hex')}-2"`
    expect(answer.status).toBe(200)
    expect(new XMLParser({ ignoreDeclaration: true }).parse(answer.body.toString())).toEqual({
      CompleteMultipartUploadResult: { Location: `http://127.0.0.1:4566/${bucket.name}/${KEY.split('/').map(encodeURIComponent).join('/')}`, Bucket: bucket.name, Key: KEY, ETag: etag },
    })
    expect(fakes.objects.find(bucket.name, KEY)).toMatchObject({ size: FIRST.length + LAST.length, etag, contentType: 'video/mp4', metadata: { ride: '42' } })
    const opened = await fakes.objects.open(bucket.name, KEY)
    const content = await opened!.file.readFile()
    await opened!.file.close()
    expect(content.equals(Buffer.concat([FIRST, LAST]))).toBe(true)
    expect(() => fakes.uploads.find(bucket.name, KEY, upload.uploadId)).toThrow('The specified upload does not exist.')
  })

  it('gives an upload created with a checksum algorithm the composite checksum of its parts', async () => {
    const fakes = await s3Fakes()
    const { upload, parts } = await uploadWithParts(fakes, [LAST], 'SHA256')
    const answer = await complete(fakes, upload.uploadId, partsXml(parts))
    expect(fakes.objects.find(bucket.name, KEY)?.checksum).toEqual({ algorithm: 'SHA256', value: expect.stringMatching(/-1$/), type: 'COMPOSITE' })
    expect(answer.body.toString()).toContain('<ChecksumType>COMPOSITE</ChecksumType>')
  })

  it("refuses a part that was not uploaded, or whose ETag or checksum differs, with InvalidPart", async () => {
    const fakes = await s3Fakes()
    const { upload, parts } = await uploadWithParts(fakes, [LAST], 'SHA256')
    const invalidPart = {
      code: 'InvalidPart',
      status: 400,
      message: "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    }
    const part = parts[0]!
    expect(await refusal(complete(fakes, upload.uploadId, partsXml([{ ...part, partNumber: 2 }])))).toEqual(invalidPart)
    expect(await refusal(complete(fakes, upload.uploadId, partsXml([{ ...part, etag: `"${'0'.repeat(32)}"` }])))).toEqual(invalidPart)
    expect(await refusal(complete(fakes, upload.uploadId, partsXml([{ ...part, checksum: createHash('sha256').update('x').digest('base64') }])))).toEqual(invalidPart)
    expect(fakes.objects.find(bucket.name, KEY)).toBeUndefined()
  })

  it('refuses parts out of order with InvalidPartOrder and a part under 5 MiB before the last with EntityTooSmall', async () => {
    const fakes = await s3Fakes()
    const { upload, parts } = await uploadWithParts(fakes, [LAST, FIRST])
    expect(await refusal(complete(fakes, upload.uploadId, partsXml([parts[1]!, parts[0]!])))).toEqual({
      code: 'InvalidPartOrder',
      status: 400,
      message: 'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
    })
    expect(await refusal(complete(fakes, upload.uploadId, partsXml(parts)))).toEqual({
      code: 'EntityTooSmall',
      status: 400,
      message: 'Your proposed upload is smaller than the minimum allowed object size.',
    })
  })

  it('refuses a part without the checksum its upload was created with with InvalidRequest', async () => {
    const fakes = await s3Fakes()
    const { upload, parts } = await uploadWithParts(fakes, [LAST], 'SHA256')
    expect(await refusal(complete(fakes, upload.uploadId, partsXml([{ ...parts[0]!, checksum: undefined }])))).toEqual({
      code: 'InvalidRequest',
      status: 400,
      message: 'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.',
    })
  })

  it('refuses a document that is not XML or lists no part with MalformedXML, and an unknown upload with NoSuchUpload', async () => {
    const fakes = await s3Fakes()
    const { upload } = await uploadWithParts(fakes, [LAST])
    const malformed = { code: 'MalformedXML', status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema' }
    expect(await refusal(complete(fakes, upload.uploadId, '<CompleteMultipartUpload><Part>'))).toEqual(malformed)
    expect(await refusal(complete(fakes, upload.uploadId, '<CompleteMultipartUpload></CompleteMultipartUpload>'))).toEqual(malformed)
    expect(await refusal(complete(fakes, 'B'.repeat(32), partsXml([])))).toMatchObject({ code: 'NoSuchUpload', status: 404 })
  })
})
