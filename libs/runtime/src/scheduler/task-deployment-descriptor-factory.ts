import type { AllocationID } from '../core/ids.js';
import type { JobManagerTaskRestore } from '../state/state-handles.js';
import type { TaskDeploymentDescriptor } from '../deployment/task-deployment-descriptor.js';
import type { Execution } from '../executiongraph/execution.js';
import type { DefaultExecutionGraph } from '../executiongraph/default-execution-graph.js';
import type {
  InputGateDeploymentDescriptor,
  ResultPartitionDeploymentDescriptor,
} from '../io/network/shuffle-environment.js';
import { defaultPartitioner } from '../jobgraph/job-vertex.js';

/** Builds the plain-data descriptor that deploys `execution` into slot `allocationId`. */
export function createTaskDeploymentDescriptor(
  graph: DefaultExecutionGraph,
  execution: Execution,
  allocationId: AllocationID,
  taskRestore?: JobManagerTaskRestore,
): TaskDeploymentDescriptor {
  const vertex = execution.getVertex();
  const ejv = vertex.getJobVertex();
  const jobVertex = ejv.getJobVertex();

  const producedPartitions: ResultPartitionDeploymentDescriptor[] = vertex
    .getProducedPartitions()
    .map((partition, index) => {
      const edge = jobVertex.getProducedDataSets()[index]?.getConsumers()[0];
      return {
        resultId: partition.getIntermediateResult().getId(),
        partitionId: partition.getPartitionId(),
        partitionType: partition.getResultType(),
        numberOfSubpartitions: partition.getNumberOfSubpartitions(),
        partitioner: edge?.getPartitioner() ?? defaultPartitioner('POINTWISE'),
        consumerMaxParallelism: partition.getIntermediateResult().getConsumer()?.getMaxParallelism() ?? 1,
      };
    });

  const inputGates: InputGateDeploymentDescriptor[] = vertex.getConsumedPartitionGroups().map((group) => {
    const partitions = group.partitionNumbers.map((n) => {
      const partition = graph.getIntermediateResult(group.dataSetId)?.getPartition(n);
      if (partition === undefined) throw new RangeError(`Unknown partition ${n} of ${group.dataSetId}.`);
      return partition;
    });
    const first = partitions[0];
    return {
      consumedResultId: group.dataSetId,
      consumedPartitionType: group.resultType,
      consumedSubpartitionIndex:
        first?.getConsumerVertexGroup()?.subpartitionIndexOf(vertex.getParallelSubtaskIndex()) ?? 0,
      inputChannels: partitions.map((partition) => ({
        partitionId: partition.getPartitionId(),
        producerId: partition.getProducer().getCurrentExecutionAttempt().getAttemptId(),
      })),
    };
  });

  return {
    jobId: graph.getJobID(),
    jobName: graph.getJobName(),
    jobType: graph.getJobType(),
    executionId: execution.getAttemptId(),
    allocationId,
    jobVertexId: ejv.getJobVertexId(),
    taskName: ejv.getName(),
    subtaskIndex: vertex.getParallelSubtaskIndex(),
    numberOfSubtasks: ejv.getParallelism(),
    maxNumberOfSubtasks: ejv.getMaxParallelism(),
    attemptNumber: execution.getAttemptNumber(),
    invokableClassName: jobVertex.getInvokableClassName() ?? '',
    taskConfiguration: jobVertex.getConfiguration().toMap(),
    jobConfiguration: graph.getJobConfiguration().toMap(),
    producedPartitions,
    inputGates,
    ...(taskRestore !== undefined ? { taskRestore } : {}),
  };
}
