import type { ResponseBody } from '../common/dto/response-body.js';
import type { AsyncOperationState } from './async-operations.service.js';
import type {
  AsynchronousOperationStatusDto,
  CheckpointStatusDto,
  SavepointStatusDto,
} from './dto/async-operation.dto.js';

/** A savepoint or stop-with-savepoint as polled: `operation` `{location}` or `{"failure-cause"}`. */
export function toSavepointStatus(state: AsyncOperationState): ResponseBody<SavepointStatusDto> {
  if (state.status === 'IN_PROGRESS') return { status: { id: 'IN_PROGRESS' } };
  if ('failure' in state)
    return { status: { id: 'COMPLETED' }, operation: { 'failure-cause': state.failure } };
  return { status: { id: 'COMPLETED' }, operation: { location: String(state.result.location) } };
}

/** A checkpoint as polled: `operation` `{checkpointId}` or `{failureCause}`. */
export function toCheckpointStatus(state: AsyncOperationState): ResponseBody<CheckpointStatusDto> {
  if (state.status === 'IN_PROGRESS') return { status: { id: 'IN_PROGRESS' } };
  if ('failure' in state) return { status: { id: 'COMPLETED' }, operation: { failureCause: state.failure } };
  return { status: { id: 'COMPLETED' }, operation: { checkpointId: Number(state.result.checkpointId) } };
}

/** A generic operation (savepoint disposal) as polled: `operation` `{}` or `{"failure-cause"}`. */
export function toAsynchronousOperationStatus(
  state: AsyncOperationState,
): ResponseBody<AsynchronousOperationStatusDto> {
  if (state.status === 'IN_PROGRESS') return { status: { id: 'IN_PROGRESS' } };
  if ('failure' in state)
    return { status: { id: 'COMPLETED' }, operation: { 'failure-cause': state.failure } };
  return { status: { id: 'COMPLETED' }, operation: {} };
}
