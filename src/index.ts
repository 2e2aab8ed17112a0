export { initBackend, type BackendPreference } from './backend/index.js';
