import { Configuration } from '../core/configuration.js';
import { IllegalArgumentError } from '../core/errors.js';
import { JobID } from '../core/ids.js';
import type { JobVertexID } from '../core/ids.js';
import type { JobCheckpointingSettings } from './checkpointing-settings.js';
import { JobType } from './enums.js';
import { SavepointRestoreSettings } from './savepoint-restore-settings.js';
import type { JobVertex } from './job-vertex.js';

/**
 * A job as a directed acyclic graph of JobVertices connected through IntermediateDataSets: what a
 * user submits. Vertices keep the order they were added in.
 */
export class JobGraph {
  private readonly jobId: JobID;
  private readonly jobName: string;
  private readonly vertices = new Map<JobVertexID, JobVertex>();
  private jobType: JobType = JobType.STREAMING;
  private jobConfiguration = new Configuration();
  private snapshotSettings: JobCheckpointingSettings | undefined;
  private savepointRestoreSettings = SavepointRestoreSettings.none();

  /** `new JobGraph(name)` or `new JobGraph(jobId, name)`. */
  constructor(jobName: string);
  constructor(jobId: JobID | undefined, jobName: string);
  constructor(first: string | undefined, second?: string) {
    if (second === undefined) {
      this.jobId = JobID.generate();
      this.jobName = first ?? '(unnamed job)';
    } else {
      this.jobId = first === undefined ? JobID.generate() : JobID.fromHexString(first);
      this.jobName = second;
    }
  }

  getJobID(): JobID {
    return this.jobId;
  }
  getName(): string {
    return this.jobName;
  }

  /** Adds a vertex; adding another vertex with the same ID is an error. */
  addVertex(vertex: JobVertex): void {
    const existing = this.vertices.get(vertex.getID());
    if (existing !== undefined && existing !== vertex) {
      throw new IllegalArgumentError(`The job graph already contains a vertex with ID ${vertex.getID()}.`);
    }
    this.vertices.set(vertex.getID(), vertex);
  }

  getVertices(): Iterable<JobVertex> {
    return this.vertices.values();
  }
  getVerticesAsArray(): JobVertex[] {
    return [...this.vertices.values()];
  }
  getNumberOfVertices(): number {
    return this.vertices.size;
  }
  findVertexByID(id: JobVertexID): JobVertex | undefined {
    return this.vertices.get(id);
  }

  setJobType(jobType: JobType): void {
    this.jobType = jobType;
  }
  getJobType(): JobType {
    return this.jobType;
  }

  setJobConfiguration(configuration: Configuration): void {
    this.jobConfiguration = configuration;
  }
  getJobConfiguration(): Configuration {
    return this.jobConfiguration;
  }

  setSnapshotSettings(settings: JobCheckpointingSettings | undefined): void {
    this.snapshotSettings = settings;
  }
  getCheckpointingSettings(): JobCheckpointingSettings | undefined {
    return this.snapshotSettings;
  }
  /** The snapshot the job starts from (default: none). */
  setSavepointRestoreSettings(settings: SavepointRestoreSettings): void {
    this.savepointRestoreSettings = settings;
  }
  getSavepointRestoreSettings(): SavepointRestoreSettings {
    return this.savepointRestoreSettings;
  }

  isCheckpointingEnabled(): boolean {
    return this.snapshotSettings?.getCheckpointCoordinatorConfiguration().isCheckpointingEnabled() ?? false;
  }

  /**
   * The vertices ordered so that every producer comes before its consumers (Kahn's algorithm).
   * Throws naming the vertices on a cycle, or an edge whose producer is not in this graph.
   */
  getVerticesSortedTopologicallyFromSources(): JobVertex[] {
    const inDegree = new Map<JobVertex, number>();
    for (const vertex of this.vertices.values()) {
      for (const edge of vertex.getInputs()) {
        const producer = edge.getSource().getProducer();
        if (this.vertices.get(producer.getID()) !== producer) {
          throw new IllegalArgumentError(
            `Vertex '${vertex.getName()}' consumes from '${producer.getName()}' (${producer.getID()}), which is not in the job graph.`,
          );
        }
      }
      inDegree.set(vertex, vertex.getInputs().length);
    }
    const ready = [...this.vertices.values()].filter((v) => v.getInputs().length === 0);
    const sorted: JobVertex[] = [];
    while (ready.length > 0) {
      const vertex = ready.shift();
      if (vertex === undefined) break;
      sorted.push(vertex);
      for (const dataSet of vertex.getProducedDataSets()) {
        for (const edge of dataSet.getConsumers()) {
          const target = edge.getTarget();
          const remaining = (inDegree.get(target) ?? 0) - 1;
          inDegree.set(target, remaining);
          if (remaining === 0 && this.vertices.get(target.getID()) === target) ready.push(target);
        }
      }
    }
    if (sorted.length !== this.vertices.size) {
      const inCycle = [...this.vertices.values()]
        .filter((v) => !sorted.includes(v))
        .map((v) => `'${v.getName()}'`);
      throw new IllegalArgumentError(`The job graph has a cycle through the vertices ${inCycle.join(', ')}.`);
    }
    return sorted;
  }

  toString(): string {
    return `JobGraph(jobId: ${this.jobId}, name: ${this.jobName})`;
  }
}
