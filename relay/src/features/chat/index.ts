export { chatFeature, type ChatFeatureDeps } from './feature.js';
export { migrateChat, sqliteChatRepository, type ChatRecord, type ChatRepository, type NewChatRecord } from './store.js';
