// outbox-fixture.ts imports the fake from here; the fake itself lives in src/testing/fakes/zendesk.ts.
export type { FakeZendesk } from '../../testing/fakes/zendesk.js';
