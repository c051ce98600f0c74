/**
 * The flat-view webview: segment layout along the address axis, labels and tooltips, drawing.
 */
export { segmentLabel, tooltipRows } from './format';
export { layoutAxis, segmentsOf } from './layout';
export type { Segment } from './layout';
