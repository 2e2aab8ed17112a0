// The child process of CurvesRenderer: renders ablation-curves PNGs on request, exits when its parent
// disconnects (end of the fit) or dies.
import { renderAblationCurvesPng } from '../plots/index.js';
import type { CurvesReply, CurvesRequest } from './curves-renderer.js';

process.on('message', (request: CurvesRequest) => {
  renderAblationCurvesPng(request.classes, request.options).then(
    (image) => process.send!({ id: request.id, image } satisfies CurvesReply),
    (error: Error) => process.send!({ id: request.id, error: error.message } satisfies CurvesReply),
  );
});
process.on('disconnect', () => process.exit(0));
