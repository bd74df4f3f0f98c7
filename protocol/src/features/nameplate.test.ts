import { describe, expect, it } from 'vitest';
import { ClientToRelaySchema, RelayToClientSchema } from '../messages.js';
import { UploadPurpose, UploadPurposeSchema } from '../uploads.js';
import { MAX_NAMEPLATE_VALUE, NameplateField, NameplateValuesSchema } from './nameplate.js';

const confirm = (values: unknown, uploadId = 'upload-0001') =>
  ClientToRelaySchema.safeParse({ type: 'nameplate-confirm', uploadId, values });

describe('nameplate values', () => {
  it('name the three fields the console confirms', () => {
    expect(Object.values(NameplateField)).toEqual(['model', 'serial', 'date']);
  });

  it('are trimmed, each optional, at most 120 characters', () => {
    expect(NameplateValuesSchema.parse({ serial: '  SN 2231-0042 ' })).toEqual({ serial: 'SN 2231-0042' });
    expect(NameplateValuesSchema.safeParse({ model: 'x'.repeat(MAX_NAMEPLATE_VALUE) }).success).toBe(true);
    expect(NameplateValuesSchema.safeParse({ model: 'x'.repeat(MAX_NAMEPLATE_VALUE + 1) }).success).toBe(false);
    expect(NameplateValuesSchema.safeParse({ model: 5 }).success).toBe(false);
  });

  it('need at least one non-empty value', () => {
    expect(NameplateValuesSchema.safeParse({}).success).toBe(false);
    expect(NameplateValuesSchema.safeParse({ model: '   ', serial: '' }).success).toBe(false);
    expect(NameplateValuesSchema.safeParse({ model: '', date: '2019/07' }).success).toBe(true);
  });

  it('are one line: no control characters', () => {
    for (const bad of ['A\nB', 'A\tB', 'A\u0000B', 'A\u007fB', 'A\u0085B']) {
      expect(NameplateValuesSchema.safeParse({ serial: bad }).success, JSON.stringify(bad)).toBe(false);
    }
    expect(NameplateValuesSchema.safeParse({ serial: 'Ü-Ω 2231/07 № 5' }).success).toBe(true);
  });
});

describe('nameplate frames', () => {
  it('the specialist confirms an upload with values', () => {
    expect(confirm({ serial: 'SN 1' }).success).toBe(true);
    expect(confirm({ serial: 'SN 1' }, '../etc/passwd').success).toBe(false);
    expect(confirm({}).success).toBe(false);
  });

  it('the relay answers with what it stored', () => {
    expect(RelayToClientSchema.safeParse({ type: 'nameplate-saved', uploadId: 'upload-0001', values: { model: 'M' } }).success).toBe(true);
  });

  it('the crop is uploaded with its own purpose', () => {
    expect(UploadPurposeSchema.parse(UploadPurpose.nameplate)).toBe('nameplate');
  });
});
