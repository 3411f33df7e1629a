import { ApiError, query, toApiError, type Problem } from './http.js';

export interface ProgressReportFile {
  blob: Blob;
  filename: string;
}

/** The file name the server gave (it never holds the client's name), or a safe fallback. */
function filenameOf(res: Response): string {
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return m?.[1] ?? 'progress-report.pdf';
}

export const progressReportApi = {
  url: (clientId: string, from: string, to: string) =>
    `/api/v1/clients/${clientId}/progress-report.pdf${query({ from, to })}`,

  /** Fetches the PDF so that a refusal or a bad period comes back as a problem the form can show. */
  async download(
    clientId: string,
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<ProgressReportFile> {
    let res: Response;
    try {
      res = await fetch(progressReportApi.url(clientId, from, to), {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/pdf, application/problem+json' },
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw toApiError(err);
    }
    if (!res.ok) {
      let problem: Problem = {
        title: res.statusText || 'Error',
        status: res.status,
        detail: 'The report could not be made.',
      };
      try {
        const body = (await res.json()) as unknown;
        if (body && typeof body === 'object' && 'status' in body) problem = body as Problem;
      } catch {
        // Not a problem document: keep the generic message.
      }
      throw new ApiError(problem);
    }
    return { blob: await res.blob(), filename: filenameOf(res) };
  },
};
