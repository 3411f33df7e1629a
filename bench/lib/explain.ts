/** Reading EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output into the few facts a report needs. */

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Sort Method'?: string;
  'Presorted Key'?: string[];
  'Full-sort Groups'?: { 'Group Count'?: number };
  'Pre-sorted Groups'?: { 'Group Count'?: number; 'Average Sort Space Used'?: number };
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export interface PlanSummary {
  /** e.g. "Limit > Nested Loop Left Join > Index Scan Backward (audit_events_pkey)" */
  shape: string;
  /** The node(s) that read audit_events. */
  auditAccess: string[];
  executionMs: number;
  sharedBuffers: number;
  rowsRemovedByFilter: number;
  /** Rows that went into Sort / Incremental Sort nodes (their child's output). */
  rowsSorted: number;
  flags: string[];
}

function label(n: PlanNode): string {
  const on = n['Index Name'] ?? n['Relation Name'];
  return on ? `${n['Node Type']} (${on})` : n['Node Type'];
}

function walk(n: PlanNode, visit: (n: PlanNode, depth: number) => void, depth = 0): void {
  visit(n, depth);
  for (const c of n.Plans ?? []) walk(c, visit, depth + 1);
}

export function summarizePlan(json: unknown): PlanSummary {
  const top = (json as { Plan: PlanNode; 'Execution Time': number }[])[0];
  if (!top) throw new Error('empty EXPLAIN output');
  const parts: string[] = [];
  const auditAccess: string[] = [];
  const flags: string[] = [];
  let removed = 0;
  let sorted = 0;
  walk(top.Plan, (n) => {
    parts.push(label(n));
    const loops = n['Actual Loops'] ?? 1;
    removed += (n['Rows Removed by Filter'] ?? 0) * loops + (n['Rows Removed by Index Recheck'] ?? 0) * loops;
    const rel = n['Relation Name'];
    if (rel === 'audit_events' || (n['Index Name'] ?? '').startsWith('audit_')) auditAccess.push(label(n));
    if (
      n['Node Type'] === 'Seq Scan' &&
      (n['Actual Rows'] ?? 0) * loops + (n['Rows Removed by Filter'] ?? 0) * loops > 1000
    ) {
      flags.push(
        `Seq Scan on ${rel ?? '?'} (${(n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)} rows read)`,
      );
    }
    if (n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort') {
      const input = (n.Plans ?? []).reduce(
        (s, c) => s + (c['Actual Rows'] ?? 0) * (c['Actual Loops'] ?? 1),
        0,
      );
      sorted += input;
      if (input > 1000)
        flags.push(`${n['Node Type']} over ${input} rows (${n['Sort Method'] ?? 'incremental'})`);
    }
    if (n['Node Type'] === 'Bitmap Heap Scan' && (n['Actual Rows'] ?? 0) > 10000) {
      flags.push(`Bitmap Heap Scan fetching ${n['Actual Rows']} rows`);
    }
  });
  const hit = top.Plan['Shared Hit Blocks'] ?? 0;
  const read = top.Plan['Shared Read Blocks'] ?? 0;
  if (removed > 10000) flags.push(`${removed} rows read and discarded by filters`);
  return {
    shape: parts.join(' > '),
    auditAccess,
    executionMs: Math.round(top['Execution Time'] * 1000) / 1000,
    sharedBuffers: hit + read,
    rowsRemovedByFilter: removed,
    rowsSorted: sorted,
    flags,
  };
}
