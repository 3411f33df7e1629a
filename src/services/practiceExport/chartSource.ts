import type { Writable } from 'node:stream';
import { practiceExportScope } from '../../domain/practiceExport.js';
import { loadChartForExport } from '../chartExport/loadChart.js';
import { chartResources } from '../../interop/fhir/chartBundle.js';
import { writeChartPdf } from '../../documents/chartPdf.js';
import type { ChartSource } from './practiceArchive.js';

const scope = practiceExportScope();

/** The whole-practice export renders each chart with the same loaders as every other export. */
export const chartSource: ChartSource = {
  load: (tx, ctx, clientId) => loadChartForExport(tx, ctx, clientId, scope),
  resources: (chart) => chartResources(chart),
  writePdf: (chart, out: Writable) => writeChartPdf(chart, out),
};
