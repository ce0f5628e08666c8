import { describe, expect, it } from 'vitest';

import {
  AbstractInvokable,
  CheckpointCoordinatorConfiguration,
  DistributionPattern,
  JobCheckpointingSettings,
  JobGraph,
  JobStatus,
  JobVertex,
  LongCounter,
  MiniCluster,
  MiniClusterConfiguration,
  RecordReader,
  ResultPartitionType,
} from '../index.js';

/** Emits 1..1000 split over the subtasks. */
class MySourceTask extends AbstractInvokable {
  async invoke(): Promise<void> {
    const writer = this.getEnvironment().getWriter<number>(0);
    const index = this.getIndexInSubtaskGroup();
    const parallelism = this.getCurrentNumberOfSubtasks();
    for (let i = 1 + index; i <= 1000; i += parallelism) {
      writer.emit(i);
      if (!writer.isAvailable()) await writer.getAvailableFuture();
    }
  }
}

/** Doubles and sums what it reads into an accumulator. */
class MyMapTask extends AbstractInvokable {
  async invoke(): Promise<void> {
    const sum = this.getEnvironment()
      .getAccumulatorRegistry()
      .getOrAdd('sum', () => new LongCounter());
    await new RecordReader<number>(this.getEnvironment().getInputGate(0)).forEach((value) => {
      sum.add(value * 2);
    });
  }
}

describe('the seed example, in TypeScript', () => {
  it('runs on a MiniCluster to FINISHED', async () => {
    const jobGraph = new JobGraph('MyFlinkJob');
    const sourceVertex = new JobVertex('Source');
    sourceVertex.setParallelism(4);
    sourceVertex.setInvokableClass(MySourceTask);
    const mapVertex = new JobVertex('Map');
    mapVertex.setParallelism(4);
    mapVertex.setInvokableClass(MyMapTask);
    mapVertex.connectNewDataSetAsInput(
      sourceVertex,
      DistributionPattern.ALL_TO_ALL,
      ResultPartitionType.PIPELINED,
    );
    jobGraph.addVertex(sourceVertex);
    jobGraph.addVertex(mapVertex);
    const checkpointingSettings = new JobCheckpointingSettings(
      [sourceVertex.getID(), mapVertex.getID()],
      [sourceVertex.getID(), mapVertex.getID()],
      [sourceVertex.getID(), mapVertex.getID()],
      new CheckpointCoordinatorConfiguration.Builder()
        .setCheckpointInterval(5000)
        .setCheckpointTimeout(60000)
        .build(),
      null,
    );
    jobGraph.setSnapshotSettings(checkpointingSettings);

    const config = new MiniClusterConfiguration.Builder()
      .setNumTaskManagers(1)
      .setNumSlotsPerTaskManager(4)
      .build();
    const miniCluster = new MiniCluster(config);
    try {
      await miniCluster.start();
      const result = await miniCluster.submitJob(jobGraph);
      expect(result.getJobID()).toBe(jobGraph.getJobID());
      const finalResult = await miniCluster.requestJobResult(result.getJobID());
      expect(finalResult.getApplicationStatus()).toBe('SUCCEEDED');
      expect(finalResult.getJobExecutionResult().getAccumulatorResult('sum')).toBe(1000 * 1001);
      expect(await miniCluster.getJobStatus(result.getJobID())).toBe(JobStatus.FINISHED);
    } finally {
      await miniCluster.closeAsync();
    }
  });
});
