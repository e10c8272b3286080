export { expectClose, expectNoLeaks, flushPendingAssertions, seededNormal } from './assertions.js';
export {
  BACKEND_RTOL,
  type BackendContext,
  describeBackends,
  type TestBackend,
  testBackends,
  useBackend,
} from './backends.js';
export { loadFixture } from './fixtures.js';
