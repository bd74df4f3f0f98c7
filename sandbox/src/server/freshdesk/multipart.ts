/** A strict multipart/form-data reader: what Freshdesk sees of a note or reply, part by part. */

export interface FormPart {
  name: string;
  /** Set for a file part (`filename="…"` in its Content-Disposition). */
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/** The boundary of a multipart/form-data Content-Type, or null when it is not one. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2] ?? null;
}

function headerParam(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  // Form serializers escape `"` and line breaks in names as %22, %0D, %0A.
  return m?.[1] === undefined ? null : m[1].replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}

/** The parts of a body, or null when it is not well-formed multipart (a real server answers 400). */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  at += delimiter.length;
  const parts: FormPart[] = [];
  for (;;) {
    const after = body.subarray(at, at + 2).toString('latin1');
    if (after === '--') return parts;
    if (after !== '\r\n') return null;
    const headEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headEnd < 0) return null;
    const headers = body
      .subarray(at + 2, headEnd)
      .toString('utf8')
      .split('\r\n');
    const end = body.indexOf(between, headEnd + 4);
    if (end < 0) return null;
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    if (!/^content-disposition:\s*form-data\s*;/i.test(disposition)) return null;
    const name = headerParam(disposition, 'name');
    if (name === null) return null;
    const type = headers.find((h) => /^content-type:/i.test(h));
    parts.push({
      name,
      filename: headerParam(disposition, 'filename'),
      contentType: type ? type.replace(/^content-type:\s*/i, '').trim() : null,
      data: Buffer.from(body.subarray(headEnd + 4, end)),
    });
    at = end + between.length;
  }
}
