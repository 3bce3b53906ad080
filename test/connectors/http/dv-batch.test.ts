import { describe, expect, it } from 'vitest';
import { DvBatchRefused, dvBatchBody, parseDvBatchResponse } from '../../../connectors/http/dv-batch.js';

const RESPONSE = [
  '--batchresponse_1',
  'Content-Type: multipart/mixed; boundary=changesetresponse_2',
  '',
  '--changesetresponse_2',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  'Content-ID: 1',
  '',
  'HTTP/1.1 204 No Content',
  'OData-Version: 4.0',
  '',
  '',
  '--changesetresponse_2',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  'Content-ID: 2',
  '',
  'HTTP/1.1 200 OK',
  'Content-Type: application/json; odata.metadata=minimal',
  '',
  '{"accountid":"a1","name":"x"}',
  '--changesetresponse_2--',
  '--batchresponse_1',
  'Content-Type: application/http',
  'Content-Transfer-Encoding: binary',
  '',
  'HTTP/1.1 412 Precondition Failed',
  'Content-Type: application/json',
  '',
  '{"error":{"code":"0x80060882","message":"stale"}}',
  '--batchresponse_1--',
  '',
].join('\r\n');

describe('Dataverse multipart $batch', () => {
  it('reads change set answers per request and plain answers per part, in order', () => {
    const answers = parseDvBatchResponse('multipart/mixed; boundary=batchresponse_1', RESPONSE);
    expect(answers).toEqual([
      [
        { status: 204, headers: { 'odata-version': '4.0' }, body: '' },
        {
          status: 200,
          headers: { 'content-type': 'application/json; odata.metadata=minimal' },
          body: '{"accountid":"a1","name":"x"}',
        },
      ],
      {
        status: 412,
        headers: { 'content-type': 'application/json' },
        body: '{"error":{"code":"0x80060882","message":"stale"}}',
      },
    ]);
  });

  it.each([
    ['not multipart', 'application/json', '{"value":[]}', /not multipart/],
    [
      'truncated',
      'multipart/mixed; boundary=batchresponse_1',
      RESPONSE.slice(0, 200),
      /ends before its closing boundary/,
    ],
  ])('refuses a response that is %s', (_name, contentType, text, message) => {
    expect(() => parseDvBatchResponse(contentType, text)).toThrow(message);
  });

  it("hands on the server's own message when it answers the whole batch with an OData error", () => {
    const body = '{"error":{"code":"0x80040216","message":"Generic SQL error."}}';
    let thrown: unknown;
    try {
      parseDvBatchResponse('application/json; odata.metadata=minimal', body);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DvBatchRefused);
    expect(thrown).toMatchObject({
      serverMessage: 'Generic SQL error.',
      code: '0x80040216',
      message: 'Generic SQL error. [0x80040216]',
    });
  });

  it('writes requests with their headers, and change sets with Content-IDs', () => {
    const { contentType, body } = dvBatchBody([
      {
        request: {
          method: 'PATCH',
          url: 'https://org/api/data/v9.2/accounts(a1)',
          headers: { 'If-Match': 'W/"1"' },
          body: '{"name":"x"}',
        },
      },
      { changeSet: [{ method: 'DELETE', url: 'https://org/api/data/v9.2/accounts(a2)' }] },
    ]);
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1] ?? '';
    expect(body.startsWith(`--${boundary}\r\n`)).toBe(true);
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
    expect(body).toContain(
      'PATCH https://org/api/data/v9.2/accounts(a1) HTTP/1.1\r\nIf-Match: W/"1"\r\nContent-Type: application/json; type=entry\r\n\r\n{"name":"x"}',
    );
    expect(body).toMatch(
      /Content-Type: multipart\/mixed; boundary=changeset_[\w-]+\r\n\r\n--changeset_[\w-]+\r\nContent-Type: application\/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\nDELETE /,
    );
  });
});
