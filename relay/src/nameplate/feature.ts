import { ErrorCode, MAX_NAMEPLATES, Role, UploadPurpose } from '@live-assist/protocol';
import type { FeatureRoom, FeatureSender, FrameOf, RoomFeature, RoomFeatureFactory } from '../rooms/feature.js';
import type { NameplateRepository } from './store.js';

/** The crop uploads the feature accepts: this session's, purpose `nameplate`, from the specialist's seat. */
export interface CropLookup {
  findById(id: string): Promise<{ sessionId: string; purpose: string; uploaderRole: string } | null>;
}

export interface NameplateFeatureOptions {
  store: NameplateRepository;
  uploads: CropLookup;
  now: () => number;
}

const FRAMES = ['nameplate-confirm'] as const;
type NameplateFrame = (typeof FRAMES)[number];

/**
 * Confirmed nameplates. Stored before the specialist hears `nameplate-saved`, so "Saved to the
 * note" is true even if this relay dies the next moment; the note and ticket fields are written
 * from the database when the call ends. Observers are refused by the room before this runs.
 */
export class NameplateFeature implements RoomFeature<NameplateFrame> {
  readonly frameTypes = FRAMES;

  constructor(
    private readonly sessionId: string,
    private readonly opts: NameplateFeatureOptions,
  ) {}

  async handle(frame: FrameOf<NameplateFrame>, from: FeatureSender, room: FeatureRoom): Promise<void> {
    if (from.role !== Role.specialist) {
      room.reject(from, ErrorCode.forbidden, 'only the specialist may confirm a nameplate');
      return;
    }
    const crop = await this.opts.uploads.findById(frame.uploadId);
    if (!crop || crop.sessionId !== this.sessionId || crop.purpose !== UploadPurpose.nameplate || crop.uploaderRole !== Role.specialist) {
      room.reject(from, ErrorCode.badFrame, `upload ${frame.uploadId} is not a nameplate crop of this session`);
      return;
    }
    const saved = await this.opts.store.save(this.sessionId, frame.uploadId, frame.values, this.opts.now());
    if ('full' in saved) {
      room.reject(from, ErrorCode.badFrame, `a call keeps at most ${MAX_NAMEPLATES} nameplates`);
      return;
    }
    // To the seat and every observer; the customer is never told.
    room.sendTo(Role.specialist, { type: 'nameplate-saved', uploadId: frame.uploadId, values: saved.record.values });
  }
}

export function nameplateFeature(opts: NameplateFeatureOptions): RoomFeatureFactory<NameplateFrame> {
  return ({ sessionId }) => new NameplateFeature(sessionId, opts);
}
