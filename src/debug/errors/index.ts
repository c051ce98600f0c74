/** The adapter's error type and its stable codes (docs/debugging.md lists them). */
export { AdapterError, AdapterErrorCode, errorMessage } from './adapterError';
