/** `:taskmanagerid` names no registered TaskManager (Flink answers 404). */
export class TaskManagerNotFoundError extends Error {
  override readonly name = 'TaskManagerNotFoundError';
  constructor(readonly taskManagerId: string) {
    super(`Could not find TaskManager ${taskManagerId}.`);
  }
}
