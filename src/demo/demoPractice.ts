import type { AppDeps } from '../services/context.js';
export interface DemoLogin { role: string; email: string; password: string }
export async function loadDemoPractice(_deps: AppDeps): Promise<DemoLogin[]> {
  throw new Error('demo: being written');
}
