export { chatFeature, type ChatFeatureDeps } from './feature.js';
export { chatSchema, chatRepository, type ChatRecord, type ChatRepository, type NewChatRecord } from './store.js';
