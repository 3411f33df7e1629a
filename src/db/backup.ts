export async function backupDatabase(_url: string, _file: string): Promise<void> {
  throw new Error('backup: being written');
}
export async function restoreDatabase(_url: string, _file: string): Promise<void> {
  throw new Error('restore: being written');
}
