import type { CameraFacing, MediaState } from '@live-assist/protocol';
import type { GetUserMedia } from '../media.js';

/**
 * What an engine does when this side's camera or microphone changes. LocalMedia owns the capture
 * (which tracks exist, which are live); the engine only carries them to the other side.
 */
export interface LocalMediaEngine {
  /** The camera is about to change: whatever still carries the old video track lets go of it first. */
  releaseCamera?(): void;
  /** Carries the new camera track to the other side, or stops sending video (null). */
  sendVideo(track: MediaStreamTrack | null): Promise<void>;
  /** Engines that wrap the microphone track in their own object mute that too. */
  muteMicrophone?(enabled: boolean): void;
  /** A new local stream object (views notice the change by identity); never called with null. */
  localStreamChanged(stream: MediaStream): void;
  /** The camera or the microphone went on or off: the relay's view of this side must follow. */
  mediaStateChanged(media: MediaState): void;
  /** A camera change went through completely (after the new stream and media state were announced). */
  cameraChanged?(): void;
}

export type LocalMediaOptions = {
  engine: LocalMediaEngine;
  /** Asked for again when the camera is turned back on, so it comes back as the same camera. */
  videoConstraints: MediaTrackConstraints | true;
  getUserMedia?: GetUserMedia;
  createMediaStream?: (tracks: MediaStreamTrack[]) => MediaStream;
};

/**
 * This side's camera and microphone during a call, the same whatever engine carries them: off
 * stops the camera track (the camera light goes out), on captures a new one, mute disables the
 * microphone track (unmuting needs no new permission).
 */
export class LocalMedia {
  private readonly engine: LocalMediaEngine;
  private readonly createStream: (tracks: MediaStreamTrack[]) => MediaStream;
  private current: MediaStream | null = null;
  private camera = false;
  private microphone = false;
  private cameraOp: Promise<void> = Promise.resolve();
  private videoConstraints: MediaTrackConstraints | true;

  constructor(private readonly options: LocalMediaOptions) {
    this.engine = options.engine;
    this.videoConstraints = options.videoConstraints;
    this.createStream = options.createMediaStream ?? ((tracks) => new MediaStream(tracks));
  }

  /** null before the call starts and after it was left. */
  get stream(): MediaStream | null {
    return this.current;
  }
  get cameraEnabled(): boolean {
    return this.camera;
  }
  get microphoneEnabled(): boolean {
    return this.microphone;
  }

  /**
   * Takes over the media acquired before the call; its tracks say whether camera and microphone
   * are on. Silent: the engine calls `announce()` once its own state is set.
   */
  start(stream: MediaStream): void {
    this.current = stream;
    this.camera = stream.getVideoTracks().some((t) => t.readyState === 'live');
    this.microphone = stream.getAudioTracks().some((t) => t.enabled);
  }

  /** Tells the engine the current stream and media state. */
  announce(): void {
    if (this.current) this.engine.localStreamChanged(this.current);
    this.announceState();
  }

  /** Stops every track; the engine announces the end itself, in its own order of events. */
  stop(): void {
    for (const track of this.current?.getTracks() ?? []) track.stop();
    this.current = null;
  }

  /** Serialised so a double tap cannot open the camera twice and leak a track. */
  setCameraEnabled(enabled: boolean): Promise<void> {
    const op = this.cameraOp.then(() => this.applyCamera(enabled));
    this.cameraOp = op.catch(() => undefined);
    return op;
  }

  /**
   * Moves to the camera on the phone's other side (the specialist asked, or the customer did).
   * Phones open one camera at a time, so the old track is stopped before the new capture; when the
   * other camera cannot be opened the old one comes back and the call goes on as before. The
   * choice is kept: turning the camera off and on again brings back the same side.
   */
  switchCamera(facing: CameraFacing): Promise<void> {
    const op = this.cameraOp.then(() => this.applyFacing(facing));
    this.cameraOp = op.catch(() => undefined);
    return op;
  }

  setMicrophoneEnabled(enabled: boolean): void {
    if (!this.current) return;
    this.engine.muteMicrophone?.(enabled);
    for (const track of this.current.getAudioTracks()) track.enabled = enabled;
    this.microphone = enabled;
    this.announceState();
  }

  /**
   * The engine captured a track again by itself (iOS brings the page back from the background
   * with a new capture): the local stream follows it, so the preview and snapshots do too.
   */
  adoptRestartedTrack(fresh: MediaStreamTrack): void {
    if (!this.current) return;
    const isVideo = fresh.kind === 'video';
    const sameKind = isVideo ? this.current.getVideoTracks() : this.current.getAudioTracks();
    if (sameKind.includes(fresh)) return;
    const audio = isVideo ? this.current.getAudioTracks() : [fresh];
    const video = isVideo ? [fresh] : this.current.getVideoTracks();
    this.current = this.createStream([...audio, ...video]);
    this.engine.localStreamChanged(this.current);
  }

  private async applyCamera(enabled: boolean): Promise<void> {
    if (!this.current || enabled === this.camera) return;
    this.engine.releaseCamera?.();
    if (!enabled) {
      // Stopping (not just disabling) the capture turns the camera light off.
      for (const track of this.current.getVideoTracks()) track.stop();
      this.current = this.createStream(this.current.getAudioTracks());
      this.camera = false;
      await this.engine.sendVideo(null);
    } else {
      const track = await this.capture(this.videoConstraints);
      if (!track) return;
      await this.useTrack(track);
    }
    this.announceChange();
  }

  private async applyFacing(facing: CameraFacing): Promise<void> {
    if (!this.current || !this.camera) throw new Error('The camera is off');
    const base = this.videoConstraints === true ? {} : this.videoConstraints;
    const wanted: MediaTrackConstraints = { ...base, facingMode: { exact: facing } };
    this.engine.releaseCamera?.();
    for (const track of this.current.getVideoTracks()) track.stop();
    let track: MediaStreamTrack | null;
    let failure: unknown = null;
    try {
      track = await this.capture(wanted);
    } catch (err) {
      // No camera on that side (a laptop), or it would not open: the one we had comes back.
      failure = err;
      try {
        track = await this.capture(this.videoConstraints);
      } catch {
        // Neither camera opens any more: the call goes on as with the camera turned off.
        this.current = this.createStream(this.current.getAudioTracks());
        this.camera = false;
        await this.engine.sendVideo(null);
        this.announceChange();
        throw failure instanceof Error ? failure : new Error(String(failure));
      }
    }
    if (!track) return;
    if (!failure) this.videoConstraints = { ...base, facingMode: { ideal: facing } };
    await this.useTrack(track);
    this.announceChange();
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  }

  /** A new camera track, or null when the call was left while the camera opened (it is stopped). */
  private async capture(constraints: MediaTrackConstraints | true): Promise<MediaStreamTrack | null> {
    const getUserMedia = this.options.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
    const captured = await getUserMedia({ video: constraints });
    const track = captured.getVideoTracks()[0];
    if (!track) throw new Error('The camera returned no video track');
    // The call was left while the camera opened: nobody will stop this track later.
    if (!this.current) {
      track.stop();
      return null;
    }
    return track;
  }

  private async useTrack(track: MediaStreamTrack): Promise<void> {
    if (!this.current) return;
    this.current = this.createStream([...this.current.getAudioTracks(), track]);
    this.camera = true;
    await this.engine.sendVideo(track);
  }

  private announceChange(): void {
    // Left while the engine switched tracks: the call is over, there is nobody to tell.
    if (!this.current) return;
    this.announce();
    this.engine.cameraChanged?.();
  }

  private announceState(): void {
    this.engine.mediaStateChanged({ camera: this.camera, microphone: this.microphone });
  }
}
